"""``AsyncStream``: a Server-Sent Event stream read with ``async for``.

A stream sends its request when first read. Opening it is retried like any call (connection
errors, 408/429/5xx) with the same ``Idempotency-Key``. Once events flow, a broken connection
is resumed: the request is sent again with that key and ``Last-Event-ID``, and events already
seen are dropped, so the caller gets each event exactly once. A stream that sends no event for
its idle timeout raises :class:`APITimeoutError`. Leaving the ``async with`` block, or
finishing the iteration, closes the connection.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, AsyncIterator
from datetime import timedelta
from types import TracebackType
from typing import Self, TypeVar

import httpx
from httpx_sse import EventSource, ServerSentEvent, SSEError

from .. import _retries
from .._base import log_request, log_response
from .._events import CompleteT, StartT, StreamEvent, StreamKind
from .._retries import Retrier
from .._streaming import (
    Connection,
    Decode,
    StreamBase,
    StreamRequest,
    idle,
    not_sse,
    opened,
)
from .response import AsyncAPIResponse
from .retrying import run

T = TypeVar("T")


class AsyncStream(StreamBase[StartT, CompleteT]):
    """An event stream: ``async with client.messages.send_message_stream(...) as s:``.

    Iterating it (``async for event in s``) yields :class:`StreamStartEvent`,
    :class:`StreamDeltaEvent` and :class:`StreamCompleteEvent` objects in order (and a
    :class:`StreamUnknownEvent` for an event name newer than this client).
    """

    def __init__(
        self, http: httpx.AsyncClient, request: StreamRequest, kind: StreamKind[StartT, CompleteT]
    ):
        super().__init__(request, kind)
        self._http = http
        self._connection: Connection[AsyncIterator[ServerSentEvent]] | None = None
        self._iterator: AsyncIterator[StreamEvent[StartT, CompleteT]] | None = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __aiter__(self) -> AsyncIterator[StreamEvent[StartT, CompleteT]]:
        if self._iterator is None:
            self._iterator = self._read(self._state.accept)
        return self._iterator

    async def close(self) -> None:
        """Stop reading and close the connection."""
        self._closed = True
        await self._disconnect()

    def text_deltas(self) -> AsyncIterator[str]:
        """Yield the text pieces of the ``delta`` events, from where reading has got to.

        Other events are still checked and recorded (an ``error`` event raises; the
        ``complete`` one is kept for :meth:`final_message`), but not yielded.
        """
        return self._read(self._state.accept_text)

    async def final_message(self) -> CompleteT:
        """Read to the end; return the completed ``Message`` or ``AgentConversation``.

        Raises:
            APIStatusError: The stream failed with an ``error`` event or an error status.
            APIConnectionError: The stream broke and could not be resumed.
        """
        async for _ in self:
            pass
        return self._state.result()

    async def open_response(self) -> AsyncAPIResponse[Self]:
        """Open the connection now and return its answer, for ``with_raw_response``.

        The answer's ``parse()`` gives this stream, which reads from that connection.

        Raises:
            APIStatusError: The stream was refused (after any retries).
            APIConnectionError: No answer after the retries.
        """
        started = time.monotonic()
        connection = self._connection or await self._connect()
        elapsed = timedelta(seconds=time.monotonic() - started)
        return AsyncAPIResponse(connection.response, lambda _: self, elapsed, read_first=False)

    async def _open(self) -> httpx.Response:
        async def send() -> httpx.Response:
            request = self._request.build(self._http, self._state.resume_headers())
            log_request(request)
            response = await self._http.send(request, stream=True)
            log_response(response)
            if not response.is_success:
                await response.aread()
                await response.aclose()
            return response

        retrier = Retrier(self._request.call.max_retries, f"stream {self._request.url}")
        return opened(await run(send, retrier))

    async def _connect(self) -> Connection[AsyncIterator[ServerSentEvent]]:
        response = await self._open()
        self._connection = Connection(response, EventSource(response).aiter_sse())
        return self._connection

    async def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.response.aclose()

    async def _read(self, decode: Decode[T]) -> AsyncGenerator[T]:
        """Read events with ``decode``, resuming a broken connection, until the stream ends."""
        state = self._state
        while not self._finished:
            connection = self._connection or await self._connect()
            response = connection.response
            error: Exception | None = None
            broken = False
            try:
                async for sse in connection.events:
                    item = decode(sse, response)
                    if item is not None:
                        yield item
                        if self._connection is not connection:
                            break  # closed, or resumed by another reader meanwhile
                    if state.done:
                        break
                else:
                    broken = True
            except httpx.ReadTimeout as exc:
                await self._disconnect()
                raise idle(self._request, exc) from exc
            except httpx.TransportError as exc:
                error, broken = exc, True
            except SSEError as exc:
                await self._disconnect()
                raise not_sse(exc) from exc
            except Exception:
                await self._disconnect()
                raise
            if broken:
                await self._disconnect()
                await _retries.async_sleep(self._dropped(error))
        await self._disconnect()
