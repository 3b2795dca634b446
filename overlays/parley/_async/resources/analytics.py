"""``client.analytics``: the ``analytics`` tag of the Conversations API v1."""

from __future__ import annotations

from functools import cached_property
from typing import Unpack, cast
from uuid import UUID

from parley_client.api.analytics import get_conversation_analytics
from parley_client.models import ConversationAnalytics

from ..._base import RequestOptions
from ..._response import Mode, ModeT, Raw, Streamed
from ..._shared import as_uuid, model
from ..twins import api_method
from ._resource import AsyncAPIResource


class AsyncAnalytics(AsyncAPIResource[ModeT]):
    """Per-conversation analytics."""

    @cached_property
    def with_raw_response(self) -> AsyncAnalytics[Raw]:
        """Each method returning its ``AsyncAPIResponse``; ``await parse()`` is the result."""
        return cast("AsyncAnalytics[Raw]", self._twin(Mode.RAW))

    @cached_property
    def with_streaming_response(self) -> AsyncAnalytics[Streamed]:
        """Each method returning a context manager of its answer, the body unread."""
        return cast("AsyncAnalytics[Streamed]", self._twin(Mode.STREAM))

    @api_method
    async def get_conversation_analytics(
        self, conversation_id: str | UUID, **options: Unpack[RequestOptions]
    ) -> ConversationAnalytics:
        """Analytics of one conversation (``getConversationAnalytics``).

        GET /v1/analytic/conversation/{conversation_id}.

        Args:
            conversation_id: The conversation's id.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query`` and
                ``extra_body`` (see :class:`RequestOptions`).

        Returns:
            ConversationAnalytics: ``message_statistics``, ``conversation_flow`` (with
            ``duration_minutes``) and ``quality_metrics`` (with ``satisfaction_rating``).

        Raises:
            NotFoundError: No such conversation.
            APIStatusError: Another 4xx or 5xx answer.
            APIConnectionError: No answer after the retries.
        """
        return await self._call(
            get_conversation_analytics,
            as_uuid(conversation_id, "conversation_id"),
            options=options,
            cast_to=model(ConversationAnalytics),
        )
