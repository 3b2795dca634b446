"""``client.messages``: the ``messages`` tag of the Conversations API v1.

Every method takes the per-call options ``headers=``, ``timeout=`` and ``max_retries=``, and
raises, besides the errors it names, :class:`APIStatusError` subclasses for other 4xx/5xx
answers and :class:`APIConnectionError` when no answer came.
"""

from __future__ import annotations

from typing import Unpack
from uuid import UUID

from parley_client.api.messages import (
    delete_message,
    list_deleted_messages,
    rate_message,
    restore_message,
    send_message,
)
from parley_client.models import (
    ChatResponse,
    ChatStreamStart,
    Message,
    MessagePage,
    RateMessageRequest,
    SendMessageRequest,
)

from .._base import RequestOptions, StreamOptions
from .._events import CHAT_STREAM
from .._pagination import AsyncPage, SyncPage
from .._streaming import AsyncStream, Stream
from ._shared import AsyncAPIResource, SyncAPIResource, as_uuid, opt, typed

Id = str | UUID


def _rate_body(rating: int, feedback: str | None) -> RateMessageRequest:
    return RateMessageRequest(rating=rating, feedback=opt(feedback))


def _stream_kwargs(conversation_id: Id, message: str) -> dict[str, object]:
    # The generated sendMessage parses JSON only; a stream is the same request with
    # Accept: text/event-stream, sent through httpx directly.
    return send_message._get_kwargs(
        as_uuid(conversation_id, "conversation_id"), body=SendMessageRequest(message=message)
    )


class Messages(SyncAPIResource):
    """Send, stream, rate, delete and restore messages, synchronously."""

    def send_message(
        self, conversation_id: Id, message: str, **options: Unpack[RequestOptions]
    ) -> ChatResponse:
        """Send a message, get the agent's reply (``sendMessage``, POST .../{id}/chat).

        Args:
            conversation_id: The conversation's id.
            message: The user's text (1-32000 characters).
            **options: Per-call ``headers``, ``timeout``, ``max_retries``.

        Returns:
            ChatResponse: the assistant ``message``, the stored ``user_message`` and the recent
            ``history`` turns, the last being this exchange.

        Raises:
            NotFoundError: No such conversation.
            ConflictError: The conversation is ended or archived, or the key is in flight.
        """
        body = SendMessageRequest(message=message)
        return typed(
            ChatResponse,
            self._call(
                send_message.sync_detailed,
                as_uuid(conversation_id, "conversation_id"),
                body=body,
                options=options,
                post=True,
            ),
        )

    def send_message_stream(
        self, conversation_id: Id, message: str, **options: Unpack[StreamOptions]
    ) -> Stream[ChatStreamStart, Message]:
        """Send a message and stream the reply (``sendMessage`` with text/event-stream).

        Args:
            conversation_id: The conversation's id.
            message: The user's text.
            **options: Per-call ``headers``, ``timeout``, ``max_retries`` and ``idle_timeout``.

        Returns:
            A Stream (use it in ``with``) of start (ChatStreamStart), delta (StreamDelta) and
            complete (the stored assistant Message) events.

        Raises:
            NotFoundError: No such conversation (raised when iteration starts).
            ConflictError: The conversation is ended or archived.
            APITimeoutError: No event for ``idle_timeout`` seconds.
        """
        return self._client._stream(_stream_kwargs(conversation_id, message), CHAT_STREAM, options)

    def delete_message(self, message_id: Id, **options: Unpack[RequestOptions]) -> None:
        """Soft-delete a message (``deleteMessage``, DELETE /v1/message/{id}).

        Raises:
            NotFoundError: No such message, or already deleted.
        """
        self._call(delete_message.sync_detailed, as_uuid(message_id, "message_id"), options=options)

    def restore_message(self, message_id: Id, **options: Unpack[RequestOptions]) -> Message:
        """Restore a soft-deleted message; idempotent (``restoreMessage``).

        Raises:
            NotFoundError: No such message.
        """
        return typed(
            Message,
            self._call(
                restore_message.sync_detailed, as_uuid(message_id, "message_id"), options=options
            ),
        )

    def list_deleted_messages(
        self, *, page: int = 1, per_page: int = 20, **options: Unpack[RequestOptions]
    ) -> SyncPage[Message]:
        """List soft-deleted messages (``listDeletedMessages``, GET /v1/message/deleted).

        Returns:
            A page of Message, most recently deleted first; iterate it to walk every page.
        """
        return self._page(
            list_deleted_messages.sync_detailed,
            MessagePage,
            page=page,
            per_page=per_page,
            options=options,
        )

    def rate_message(
        self,
        message_id: Id,
        rating: int,
        feedback: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Message:
        """Rate a message 1-5 with optional feedback (``rateMessage``, POST .../{id}/rate).

        Returns:
            The rated Message.

        Raises:
            NotFoundError: No such message.
            BadRequestError: ``rating`` outside 1-5.
        """
        return typed(
            Message,
            self._call(
                rate_message.sync_detailed,
                as_uuid(message_id, "message_id"),
                body=_rate_body(rating, feedback),
                options=options,
                post=True,
            ),
        )


class AsyncMessages(AsyncAPIResource):
    """Async mirror of :class:`Messages`: the same methods, awaited."""

    async def send_message(
        self, conversation_id: Id, message: str, **options: Unpack[RequestOptions]
    ) -> ChatResponse:
        """``sendMessage``; see :meth:`Messages.send_message`.

        Raises:
            NotFoundError: No such conversation.
            ConflictError: The conversation is ended or archived.
        """
        body = SendMessageRequest(message=message)
        return typed(
            ChatResponse,
            await self._call(
                send_message.asyncio_detailed,
                as_uuid(conversation_id, "conversation_id"),
                body=body,
                options=options,
                post=True,
            ),
        )

    def send_message_stream(
        self, conversation_id: Id, message: str, **options: Unpack[StreamOptions]
    ) -> AsyncStream[ChatStreamStart, Message]:
        """``sendMessage`` streamed; see :meth:`Messages.send_message_stream`.

        Use ``async with`` and ``async for``; nothing is sent before iteration starts.

        Raises:
            APITimeoutError: No event for ``idle_timeout`` seconds.
        """
        return self._client._stream(_stream_kwargs(conversation_id, message), CHAT_STREAM, options)

    async def delete_message(self, message_id: Id, **options: Unpack[RequestOptions]) -> None:
        """``deleteMessage``; see :meth:`Messages.delete_message`.

        Raises:
            NotFoundError: No such message, or already deleted.
        """
        await self._call(
            delete_message.asyncio_detailed, as_uuid(message_id, "message_id"), options=options
        )

    async def restore_message(self, message_id: Id, **options: Unpack[RequestOptions]) -> Message:
        """``restoreMessage``; see :meth:`Messages.restore_message`.

        Raises:
            NotFoundError: No such message.
        """
        return typed(
            Message,
            await self._call(
                restore_message.asyncio_detailed, as_uuid(message_id, "message_id"), options=options
            ),
        )

    async def list_deleted_messages(
        self, *, page: int = 1, per_page: int = 20, **options: Unpack[RequestOptions]
    ) -> AsyncPage[Message]:
        """``listDeletedMessages``; see :meth:`Messages.list_deleted_messages`.

        Raises:
            APIStatusError: A 4xx or 5xx answer.
        """
        return await self._page(
            list_deleted_messages.asyncio_detailed,
            MessagePage,
            page=page,
            per_page=per_page,
            options=options,
        )

    async def rate_message(
        self,
        message_id: Id,
        rating: int,
        feedback: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Message:
        """``rateMessage``; see :meth:`Messages.rate_message`.

        Raises:
            NotFoundError: No such message.
        """
        return typed(
            Message,
            await self._call(
                rate_message.asyncio_detailed,
                as_uuid(message_id, "message_id"),
                body=_rate_body(rating, feedback),
                options=options,
                post=True,
            ),
        )
