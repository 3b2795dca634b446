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
from typing import Unpack, cast
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
    SendMessageRequest,
)

from ..._base import RequestOptions, StreamOptions
from ..._bodies import rate_body
from ..._events import CHAT_STREAM
from ..._not_given import NOT_GIVEN, NotGiven
from ..._response import Mode, ModeT, Raw, Streamed
from ..._shared import as_uuid, model, nothing
from ..pagination import AsyncPage
from ..streaming import AsyncStream
from ..twins import api_method, stream_method
from ._resource import AsyncAPIResource

Id = str | UUID


class AsyncMessages(AsyncAPIResource[ModeT]):
    """Send, stream, rate, delete and restore messages."""

    @cached_property
    def with_raw_response(self) -> AsyncMessages[Raw]:
        """Each method returning its ``AsyncAPIResponse``; ``await parse()`` is the result."""
        return cast("AsyncMessages[Raw]", self._twin(Mode.RAW))

    @cached_property
    def with_streaming_response(self) -> AsyncMessages[Streamed]:
        """Each method returning a context manager of its answer, the body unread."""
        return cast("AsyncMessages[Streamed]", self._twin(Mode.STREAM))

    @api_method
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

    @stream_method
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

    @api_method
    async def delete_message(self, message_id: Id, **options: Unpack[RequestOptions]) -> None:
        """Soft-delete a message (``deleteMessage``, DELETE /v1/message/{id}).

        Raises:
            NotFoundError: No such message, or already deleted.
        """
        await self._call(
            delete_message, as_uuid(message_id, "message_id"), options=options, cast_to=nothing
        )

    @api_method
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

    @api_method
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

    @api_method
    async def rate_message(
        self,
        message_id: Id,
        rating: int,
        feedback: str | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Message:
        """Rate a message 1-5 with optional feedback (``rateMessage``, POST .../{id}/rate).

        The rating and feedback replace what the message had.

        Args:
            message_id: The message's id.
            rating: 1-5.
            feedback: Free text; ``None`` sends ``null``, leaving it out sends nothing (the
                reference server stores no feedback either way).
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query`` and
                ``extra_body`` (see :class:`RequestOptions`).

        Returns:
            The rated Message.

        Raises:
            NotFoundError: No such message.
            BadRequestError: ``rating`` outside 1-5.
        """
        return await self._call(
            rate_message,
            as_uuid(message_id, "message_id"),
            body=rate_body(rating, feedback),
            options=options,
            post=True,
            cast_to=model(Message),
        )
