"""Async mirrors of the services of :mod:`._services`, over an :class:`AsyncParley`."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Unpack

from parley_client.models import (
    ChatStreamStart,
    Conversation,
    ConversationAnalytics,
    EntityType,
    Message,
)

from ._base import RequestOptions, StreamOptions
from ._pagination import AsyncPage
from ._services import Id, _user_only
from ._streaming import AsyncStream

if TYPE_CHECKING:
    from ._client import AsyncParley


class AsyncConversationService:
    """Async mirror of :class:`ConversationService`, over an :class:`AsyncParley`."""

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
        """``createConversation``; see :meth:`ConversationService.create`.

        Raises:
            NotFoundError: The tenant has no agent ``agent_id``.
        """
        return await self._conversations.create_conversation(
            agent_id, title=title, metadata=metadata, entity_type=entity_type, **options
        )

    async def list(
        self, params: Mapping[str, Any] | None = None, **options: Unpack[RequestOptions]
    ) -> AsyncPage[Conversation]:
        """``listConversations``; see :meth:`ConversationService.list`.

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
        """``updateConversation``; see :meth:`ConversationService.update`.

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
        """``endConversation``; see :meth:`ConversationService.end_conversation`.

        Raises:
            NotFoundError: No such conversation.
        """
        return await self._conversations.end_conversation(
            conversation_id, rating, feedback, **options
        )


class AsyncMessageService:
    """Async mirror of :class:`MessageService`, over an :class:`AsyncParley`."""

    def __init__(self, client: AsyncParley):
        self._client = client

    async def send_message(
        self,
        conversation_id: Id,
        content: str,
        role: str = "user",
        **options: Unpack[RequestOptions],
    ) -> Message:
        """``sendMessage``; see :meth:`MessageService.send_message`.

        Raises:
            ValueError: ``role`` is not ``"user"``.
            NotFoundError: No such conversation.
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
        """``sendMessage`` streamed; see :meth:`MessageService.send_message_stream`.

        Raises:
            ValueError: ``role`` is not ``"user"``.
        """
        _user_only(role)
        return self._client.messages.send_message_stream(conversation_id, content, **options)

    async def list_messages(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> builtins.list[Message]:
        """``listConversationMessages``, every page; see :meth:`MessageService.list_messages`.

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
        """``rateMessage``; see :meth:`MessageService.rate_message`.

        Raises:
            NotFoundError: No such message.
        """
        return await self._client.messages.rate_message(message_id, rating, feedback, **options)


class AsyncAnalyticsService:
    """Async mirror of :class:`AnalyticsService`, over an :class:`AsyncParley`."""

    def __init__(self, client: AsyncParley):
        self._analytics = client.analytics

    async def get_conversation_analytics(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> ConversationAnalytics:
        """``getConversationAnalytics``; see :meth:`AnalyticsService.get_conversation_analytics`.

        Raises:
            NotFoundError: No such conversation.
        """
        return await self._analytics.get_conversation_analytics(conversation_id, **options)
