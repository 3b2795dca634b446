"""Parley's service style: ``ConversationService(client).create(...)``.

Thin adapters over the resources of a client (:class:`AsyncParley`): each method calls one
resource method, so errors, retries and per-call options are the same, and so are the
``with_raw_response`` and ``with_streaming_response`` twins every method has (``twins``).
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Unpack, cast
from uuid import UUID

from parley_client.models import (
    ChatResponse,
    ChatStreamStart,
    Conversation,
    ConversationAnalytics,
    EntityType,
    Message,
)

from .._base import RequestOptions, StreamOptions
from .._not_given import NOT_GIVEN, NotGiven
from .._response import MethodGroup, Mode, ModeT, Raw, Streamed
from .pagination import AsyncPage
from .streaming import AsyncStream
from .twins import api_method, stream_method, then

if TYPE_CHECKING:
    from .client import AsyncParley

Id = str | UUID


def _user_only(role: str) -> None:
    if role != "user":
        raise ValueError(f"only role='user' can be sent, not {role!r}")


async def _reply_message(reply: ChatResponse) -> Message:
    return reply.message


async def _every_message(page: AsyncPage[Message]) -> builtins.list[Message]:
    return [message async for message in page]


class AsyncConversationService(MethodGroup[ModeT]):
    """Conversation lifecycle over ``client.conversations``.

    Args:
        client: The AsyncParley client to call through.
    """

    def __init__(self, client: AsyncParley):
        self._conversations = client.conversations

    @cached_property
    def with_raw_response(self) -> AsyncConversationService[Raw]:
        """Each method returning its ``AsyncAPIResponse``; ``await parse()`` is the result."""
        return cast("AsyncConversationService[Raw]", self._twin(Mode.RAW))

    @cached_property
    def with_streaming_response(self) -> AsyncConversationService[Streamed]:
        """Each method returning a context manager of its answer, the body unread."""
        return cast("AsyncConversationService[Streamed]", self._twin(Mode.STREAM))

    @api_method
    async def create(
        self,
        agent_id: Id,
        entity_type: EntityType | str | None = None,
        metadata: Mapping[str, Any] | None = None,
        title: str | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Start a conversation (``createConversation``).

        Args:
            agent_id: The agent's id (UUID).
            entity_type: ``"USER"`` or ``"LEAD"``; ``None`` leaves it to the server.
            metadata: Arbitrary JSON object for custom tags or CRM ids.
            title: A title; ``None`` sends ``null`` (no title), leaving it out sends nothing.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query`` and
                ``extra_body`` (see :class:`RequestOptions`).

        Raises:
            NotFoundError: The tenant has no agent ``agent_id``.
            APIStatusError: Another 4xx or 5xx answer.
        """
        return await self._conversations.create_conversation(
            agent_id, title=title, metadata=metadata, entity_type=entity_type, **options
        )

    @api_method
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

    @api_method
    async def update(
        self,
        conversation_id: Id,
        metadata: Mapping[str, Any] | None = None,
        title: str | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Replace the metadata or change the title (``updateConversation``).

        Args:
            conversation_id: The conversation's id.
            metadata: A JSON object replacing the whole metadata; ``None`` keeps it.
            title: The new title; ``None`` clears it (sends ``null``). Left out, it is kept.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query`` and
                ``extra_body`` (see :class:`RequestOptions`).

        Raises:
            NotFoundError: No such conversation.
        """
        return await self._conversations.update_conversation(
            conversation_id, metadata=metadata, title=title, **options
        )

    @api_method
    async def end_conversation(
        self,
        conversation_id: Id,
        rating: int | NotGiven | None = NOT_GIVEN,
        feedback: str | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """End a conversation with an optional rating and feedback (``endConversation``).

        Args:
            conversation_id: The conversation's id.
            rating: 1-5; ``None`` clears a stored rating (sends ``null``). Left out, it is kept.
            feedback: Free text; ``None`` clears stored feedback. Left out, it is kept.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query`` and
                ``extra_body`` (see :class:`RequestOptions`).

        Raises:
            NotFoundError: No such conversation.
        """
        return await self._conversations.end_conversation(
            conversation_id, rating, feedback, **options
        )


class AsyncMessageService(MethodGroup[ModeT]):
    """Messages over ``client.messages`` and ``client.conversations``.

    Args:
        client: The AsyncParley client to call through.
    """

    def __init__(self, client: AsyncParley):
        self._client = client

    @cached_property
    def with_raw_response(self) -> AsyncMessageService[Raw]:
        """Each method returning its ``AsyncAPIResponse``; ``await parse()`` is the result."""
        return cast("AsyncMessageService[Raw]", self._twin(Mode.RAW))

    @cached_property
    def with_streaming_response(self) -> AsyncMessageService[Streamed]:
        """Each method returning a context manager of its answer, the body unread."""
        return cast("AsyncMessageService[Streamed]", self._twin(Mode.STREAM))

    @api_method
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
        return await then(reply, _reply_message)

    @stream_method
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

    @api_method
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
        return await then(page, _every_message)

    @api_method
    async def rate_message(
        self,
        message_id: Id,
        rating: int,
        feedback: str | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Message:
        """Rate a message 1-5 with optional feedback (``rateMessage``).

        Args:
            message_id: The message's id.
            rating: 1-5.
            feedback: Free text; ``None`` sends ``null``, leaving it out sends nothing.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query`` and
                ``extra_body`` (see :class:`RequestOptions`).

        Raises:
            NotFoundError: No such message.
        """
        return await self._client.messages.rate_message(message_id, rating, feedback, **options)


class AsyncAnalyticsService(MethodGroup[ModeT]):
    """Analytics over ``client.analytics``.

    Args:
        client: The AsyncParley client to call through.
    """

    def __init__(self, client: AsyncParley):
        self._analytics = client.analytics

    @cached_property
    def with_raw_response(self) -> AsyncAnalyticsService[Raw]:
        """Each method returning its ``AsyncAPIResponse``; ``await parse()`` is the result."""
        return cast("AsyncAnalyticsService[Raw]", self._twin(Mode.RAW))

    @cached_property
    def with_streaming_response(self) -> AsyncAnalyticsService[Streamed]:
        """Each method returning a context manager of its answer, the body unread."""
        return cast("AsyncAnalyticsService[Streamed]", self._twin(Mode.STREAM))

    @api_method
    async def get_conversation_analytics(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> ConversationAnalytics:
        """Analytics of one conversation (``getConversationAnalytics``).

        Raises:
            NotFoundError: No such conversation.
        """
        return await self._analytics.get_conversation_analytics(conversation_id, **options)
