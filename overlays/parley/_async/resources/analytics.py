"""``client.analytics``: the ``analytics`` tag of the Conversations API v1."""

from __future__ import annotations

from functools import cached_property
from typing import Unpack
from uuid import UUID

from parley_client.api.analytics import get_conversation_analytics
from parley_client.models import ConversationAnalytics

from ..._base import RequestOptions
from ..._shared import as_uuid, model
from ..response import raw, streamed
from ._resource import AsyncAPIResource


class AsyncAnalytics(AsyncAPIResource):
    """Per-conversation analytics."""

    @cached_property
    def with_raw_response(self) -> AsyncAnalyticsWithRawResponse:
        """The methods returning their ``AsyncAPIResponse``; ``await parse()`` is the result."""
        return AsyncAnalyticsWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AsyncAnalyticsWithStreamingResponse:
        """The methods returning a context manager of their answer, its body unread."""
        return AsyncAnalyticsWithStreamingResponse(self)

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


class AsyncAnalyticsWithRawResponse:
    """``analytics.with_raw_response``: each method returns its answer, read."""

    def __init__(self, resource: AsyncAnalytics):
        self.get_conversation_analytics = raw(resource.get_conversation_analytics)


class AsyncAnalyticsWithStreamingResponse:
    """``analytics.with_streaming_response``: each method returns a context manager."""

    def __init__(self, resource: AsyncAnalytics):
        self.get_conversation_analytics = streamed(resource.get_conversation_analytics)
