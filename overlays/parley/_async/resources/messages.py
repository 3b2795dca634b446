"""``client.messages``: the ``messages`` tag of the Conversations API v1.

Every method takes the per-call options ``headers=``, ``timeout=``, ``max_retries=``,
``extra_query=`` and ``extra_body=`` (:class:`RequestOptions`: an extra naming what the method
already sends is refused with ``ValueError``), has a ``with_raw_response`` and a
``with_streaming_response`` twin, and
raises, besides the errors it names, :class:`APIStatusError` subclasses for other 4xx/5xx
answers and :class:`APIConnectionError` when no answer came.
"""

from __future__ import annotations

from functools import cached_property
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

from ..._base import RequestOptions, StreamOptions
from ..._events import CHAT_STREAM
from ..._shared import as_uuid, model, nothing, opt
from ..pagination import AsyncPage
from ..response import raw, raw_stream, streamed, streamed_stream
from ..streaming import AsyncStream
from ._resource import AsyncAPIResource

Id = str | UUID


def _rate_body(rating: int, feedback: str | None) -> RateMessageRequest:
    return RateMessageRequest(rating=rating, feedback=opt(feedback))


class AsyncMessages(AsyncAPIResource):
    """Send, stream, rate, delete and restore messages."""

    @cached_property
    def with_raw_response(self) -> AsyncMessagesWithRawResponse:
        """The methods returning their ``AsyncAPIResponse``; ``await parse()`` is the result."""
        return AsyncMessagesWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AsyncMessagesWithStreamingResponse:
        """The methods returning a context manager of their answer, its body unread."""
        return AsyncMessagesWithStreamingResponse(self)

    async def send_message(
        self, conversation_id: Id, message: str, **options: Unpack[RequestOptions]
    ) -> ChatResponse:
        """Send a message, get the agent's reply (``sendMessage``, POST .../{id}/chat).

        Args:
            conversation_id: The conversation's id.
            message: The user's text (1-32000 characters).
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query`` and
                ``extra_body`` (see :class:`RequestOptions`).

        Returns:
            ChatResponse: the assistant ``message``, the stored ``user_message`` and the recent
            ``history`` turns, the last being this exchange.

        Raises:
            NotFoundError: No such conversation.
            ConflictError: The conversation is ended or archived, or the key is in flight.
        """
        body = SendMessageRequest(message=message)
        return await self._call(
            send_message,
            as_uuid(conversation_id, "conversation_id"),
            body=body,
            options=options,
            post=True,
            cast_to=model(ChatResponse),
        )

    def send_message_stream(
        self, conversation_id: Id, message: str, **options: Unpack[StreamOptions]
    ) -> AsyncStream[ChatStreamStart, Message]:
        """Send a message and stream the reply (``sendMessage`` with text/event-stream).

        Args:
            conversation_id: The conversation's id.
            message: The user's text.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query``,
                ``extra_body`` (see :class:`RequestOptions`) and ``idle_timeout``.

        Returns:
            A Stream (use it in ``with``) of start (ChatStreamStart), delta (StreamDelta) and
            complete (the stored assistant Message) events.

        Raises:
            NotFoundError: No such conversation (raised when iteration starts).
            ConflictError: The conversation is ended or archived.
            APITimeoutError: No event for ``idle_timeout`` seconds.
        """
        # sendMessage answers JSON, or events when asked for text/event-stream: the stream
        # sends the request the generated function describes, with that Accept header.
        return self._stream(
            send_message,
            as_uuid(conversation_id, "conversation_id"),
            body=SendMessageRequest(message=message),
            kind=CHAT_STREAM,
            options=options,
        )

    async def delete_message(self, message_id: Id, **options: Unpack[RequestOptions]) -> None:
        """Soft-delete a message (``deleteMessage``, DELETE /v1/message/{id}).

        Raises:
            NotFoundError: No such message, or already deleted.
        """
        await self._call(
            delete_message, as_uuid(message_id, "message_id"), options=options, cast_to=nothing
        )

    async def restore_message(self, message_id: Id, **options: Unpack[RequestOptions]) -> Message:
        """Restore a soft-deleted message; idempotent (``restoreMessage``).

        Raises:
            NotFoundError: No such message.
        """
        return await self._call(
            restore_message,
            as_uuid(message_id, "message_id"),
            options=options,
            cast_to=model(Message),
        )

    async def list_deleted_messages(
        self, *, page: int = 1, per_page: int = 20, **options: Unpack[RequestOptions]
    ) -> AsyncPage[Message]:
        """List soft-deleted messages (``listDeletedMessages``, GET /v1/message/deleted).

        Returns:
            A page of Message, most recently deleted first; iterate it to walk every page.
        """
        return await self._page(
            list_deleted_messages,
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
        """Rate a message 1-5 with optional feedback (``rateMessage``, POST .../{id}/rate).

        Returns:
            The rated Message.

        Raises:
            NotFoundError: No such message.
            BadRequestError: ``rating`` outside 1-5.
        """
        return await self._call(
            rate_message,
            as_uuid(message_id, "message_id"),
            body=_rate_body(rating, feedback),
            options=options,
            post=True,
            cast_to=model(Message),
        )


class AsyncMessagesWithRawResponse:
    """``messages.with_raw_response``: each method returns its answer, read."""

    def __init__(self, resource: AsyncMessages):
        self.send_message = raw(resource.send_message)
        self.delete_message = raw(resource.delete_message)
        self.restore_message = raw(resource.restore_message)
        self.list_deleted_messages = raw(resource.list_deleted_messages)
        self.rate_message = raw(resource.rate_message)
        self.send_message_stream = raw_stream(resource.send_message_stream)


class AsyncMessagesWithStreamingResponse:
    """``messages.with_streaming_response``: each method returns a context manager."""

    def __init__(self, resource: AsyncMessages):
        self.send_message = streamed(resource.send_message)
        self.delete_message = streamed(resource.delete_message)
        self.restore_message = streamed(resource.restore_message)
        self.list_deleted_messages = streamed(resource.list_deleted_messages)
        self.rate_message = streamed(resource.rate_message)
        self.send_message_stream = streamed_stream(resource.send_message_stream)
