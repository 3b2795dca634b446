"""Parley's service style: ``ConversationService(client).create(...)``.

Thin adapters over the resources of a client (:class:`AsyncParley`): each method calls one
resource method, so errors, retries and per-call options are the same.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Unpack
from uuid import UUID

from parley_client.models import (
    ChatStreamStart,
    Conversation,
    ConversationAnalytics,
    EntityType,
    Message,
)

from .._base import RequestOptions, StreamOptions
from .pagination import AsyncPage
from .streaming import AsyncStream

if TYPE_CHECKING:
    from .client import AsyncParley

Id = str | UUID


def _user_only(role: str) -> None:
    if role != "user":
        raise ValueError(f"only role='user' can be sent, not {role!r}")


class AsyncConversationService:
    """Conversation lifecycle over ``client.conversations``.

    Args:
        client: The AsyncParley client to call through.
    """

    def __init__(self, client: AsyncParley):
        self._conversations = client.conversations

    async def create(
        self,
        agent_id: Id,
        entity_type: EntityType | str | None = None,
        metadata: Mapping[str, Any] | None = None,
        title: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Start a conversation (``createConversation``).

        Raises:
            NotFoundError: The tenant has no agent ``agent_id``.
            APIStatusError: Another 4xx or 5xx answer.
        """
        return await self._conversations.create_conversation(
            agent_id, title=title, metadata=metadata, entity_type=entity_type, **options
        )

    async def list(
        self, params: Mapping[str, Any] | None = None, **options: Unpack[RequestOptions]
    ) -> AsyncPage[Conversation]:
        """List conversations (``listConversations``).

        Args:
            params: Any of ``page``, ``per_page``, ``agent_id``, ``status``, ``sort_by``,
                ``sort_order``.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query`` and
                ``extra_body`` (see :class:`RequestOptions`).

        Returns:
            The first page; ``len()`` counts its items, iterating walks every page.

        Raises:
            BadRequestError: An invalid filter.
        """
        return await self._conversations.list_conversations(**dict(params or {}), **options)

    async def update(
        self,
        conversation_id: Id,
        metadata: Mapping[str, Any] | None = None,
        title: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Replace the metadata or change the title (``updateConversation``).

        Raises:
            NotFoundError: No such conversation.
        """
        return await self._conversations.update_conversation(
            conversation_id, metadata=metadata, title=title, **options
        )

    async def end_conversation(
        self,
        conversation_id: Id,
        rating: int | None = None,
        feedback: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """End a conversation with an optional rating and feedback (``endConversation``).

        Raises:
            NotFoundError: No such conversation.
        """
        return await self._conversations.end_conversation(
            conversation_id, rating, feedback, **options
        )


class AsyncMessageService:
    """Messages over ``client.messages`` and ``client.conversations``.

    Args:
        client: The AsyncParley client to call through.
    """

    def __init__(self, client: AsyncParley):
        self._client = client

    async def send_message(
        self,
        conversation_id: Id,
        content: str,
        role: str = "user",
        **options: Unpack[RequestOptions],
    ) -> Message:
        """Send a user message; return the assistant's reply (``sendMessage``).

        Raises:
            ValueError: ``role`` is not ``"user"``.
            NotFoundError: No such conversation.
            ConflictError: The conversation is ended or archived.
        """
        _user_only(role)
        reply = await self._client.messages.send_message(conversation_id, content, **options)
        return reply.message

    def send_message_stream(
        self,
        conversation_id: Id,
        content: str,
        role: str = "user",
        **options: Unpack[StreamOptions],
    ) -> AsyncStream[ChatStreamStart, Message]:
        """Send a user message and stream the reply (``sendMessage``, text/event-stream).

        Returns:
            The Stream; iterate it (delta events have ``.content``).

        Raises:
            ValueError: ``role`` is not ``"user"``.
        """
        _user_only(role)
        return self._client.messages.send_message_stream(conversation_id, content, **options)

    async def list_messages(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> builtins.list[Message]:
        """Every message of a conversation, oldest first (``listConversationMessages``).

        Raises:
            NotFoundError: No such conversation.
        """
        page = await self._client.conversations.list_conversation_messages(
            conversation_id, per_page=100, **options
        )
        return [message async for message in page]

    async def rate_message(
        self,
        message_id: Id,
        rating: int,
        feedback: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Message:
        """Rate a message 1-5 with optional feedback (``rateMessage``).

        Raises:
            NotFoundError: No such message.
        """
        return await self._client.messages.rate_message(message_id, rating, feedback, **options)


class AsyncAnalyticsService:
    """Analytics over ``client.analytics``.

    Args:
        client: The AsyncParley client to call through.
    """

    def __init__(self, client: AsyncParley):
        self._analytics = client.analytics

    async def get_conversation_analytics(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> ConversationAnalytics:
        """Analytics of one conversation (``getConversationAnalytics``).

        Raises:
            NotFoundError: No such conversation.
        """
        return await self._analytics.get_conversation_analytics(conversation_id, **options)
