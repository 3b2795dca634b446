"""``client.analytics``: the ``analytics`` tag of the Conversations API v1."""

from __future__ import annotations

from typing import Unpack
from uuid import UUID

from parley_client.api.analytics import get_conversation_analytics
from parley_client.models import ConversationAnalytics

from .._base import RequestOptions
from ._shared import AsyncAPIResource, SyncAPIResource, as_uuid, typed


class Analytics(SyncAPIResource):
    """Per-conversation analytics, synchronously."""

    def get_conversation_analytics(
        self, conversation_id: str | UUID, **options: Unpack[RequestOptions]
    ) -> ConversationAnalytics:
        """Analytics of one conversation (``getConversationAnalytics``).

        GET /v1/analytic/conversation/{conversation_id}.

        Args:
            conversation_id: The conversation's id.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``.

        Returns:
            ConversationAnalytics: ``message_statistics``, ``conversation_flow`` (with
            ``duration_minutes``) and ``quality_metrics`` (with ``satisfaction_rating``).

        Raises:
            NotFoundError: No such conversation.
            APIStatusError: Another 4xx or 5xx answer.
            APIConnectionError: No answer after the retries.
        """
        return typed(
            ConversationAnalytics,
            self._call(
                get_conversation_analytics.sync_detailed,
                as_uuid(conversation_id, "conversation_id"),
                options=options,
            ),
        )


class AsyncAnalytics(AsyncAPIResource):
    """Async mirror of :class:`Analytics`."""

    async def get_conversation_analytics(
        self, conversation_id: str | UUID, **options: Unpack[RequestOptions]
    ) -> ConversationAnalytics:
        """``getConversationAnalytics``; see :meth:`Analytics.get_conversation_analytics`.

        Raises:
            NotFoundError: No such conversation.
        """
        return typed(
            ConversationAnalytics,
            await self._call(
                get_conversation_analytics.asyncio_detailed,
                as_uuid(conversation_id, "conversation_id"),
                options=options,
            ),
        )
