"""Context-managed Server-Sent Event streams over httpx streaming and httpx-sse.

A stream sends its request when first iterated. Opening it is retried like any call
(connection errors, 408/429/5xx) with the same ``Idempotency-Key``. Once events flow, a broken
connection is resumed: the request is sent again with that key and ``Last-Event-ID``, and
events already seen are dropped, so the caller gets each event exactly once. A stream that
sends no event for its idle timeout raises :class:`APITimeoutError`. Leaving the ``with``
block, or finishing the iteration, closes the connection.

``text_deltas()`` reads the same connection as iteration does, through a lighter decoder
(:meth:`StreamState.accept_text`) that builds no model or event object for a delta: a reply of
many small deltas is where a stream spends its time.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import httpx
from httpx_sse import EventSource, ServerSentEvent, SSEError
from parley_client.models import AgentConversation, AgentStreamStart, ChatStreamStart, Message

from . import _retries
from ._base import CallOptions, apply_call
from ._errors import APITimeoutError, ParleyError, status_error
from ._events import CompleteT, StartT, StreamEvent, StreamKind, StreamState
from ._logging import logger


@dataclass
class StreamRequest:
    """A stream request as the generated ``_get_kwargs`` describes it, plus its options."""

    method: str
    url: str
    body: Any
    call: CallOptions
    idle_timeout: float | None

    def build(
        self, http: httpx.Client | httpx.AsyncClient, resume: dict[str, str]
    ) -> httpx.Request:
        """The request to send, resuming after ``Last-Event-ID`` when ``resume`` has it."""
        request = http.build_request(self.method, self.url, json=self.body)
        timeout = self.call.timeout
        call = CallOptions(
            headers={**self.call.headers, "Accept": "text/event-stream", **resume},
            timeout=httpx.Timeout(
                connect=timeout.connect,
                read=self.idle_timeout,
                write=timeout.write,
                pool=timeout.pool,
            ),
            max_retries=self.call.max_retries,
        )
        apply_call(request, call)
        return request


def _opened(response: httpx.Response) -> httpx.Response:
    if response.is_success:
        return response
    raise status_error(response.status_code, response.headers, response.content)


def _idle(request: StreamRequest, exc: Exception) -> APITimeoutError:
    return APITimeoutError(f"Stream sent no event for {request.idle_timeout}s: {exc}")


def _not_sse(exc: SSEError) -> ParleyError:
    return ParleyError(f"Not an event stream: {exc}")


T = TypeVar("T")
Decode = Callable[[ServerSentEvent, httpx.Headers], T | None]
EventsT = TypeVar("EventsT", Iterator[ServerSentEvent], AsyncIterator[ServerSentEvent])


@dataclass
class _Connection(Generic[EventsT]):
    """An open stream response and the events being read from it."""

    response: httpx.Response
    events: EventsT


class _StreamBase(Generic[StartT, CompleteT]):
    """What the sync and async streams share: the request, the decoding state, drop handling.

    The open connection belongs to the stream, not to one iteration of it: iterating the
    stream, ``text_deltas()`` and ``final_message()`` all read from it, each taking up where
    the last one stopped. Each reader decodes events with a :class:`StreamState` method:
    ``accept`` (typed events) or ``accept_text`` (the text of deltas only).
    """

    def __init__(self, request: StreamRequest, kind: StreamKind[StartT, CompleteT]):
        self._request = request
        self._state: StreamState[StartT, CompleteT] = StreamState(
            kind, max_reconnects=request.call.max_retries
        )
        self._closed = False

    @property
    def last_event_id(self) -> int | None:
        """The id of the last event delivered, as sent in ``Last-Event-ID`` on a resume."""
        return self._state.last_event_id

    @property
    def text(self) -> str:
        """The text of every delta delivered so far."""
        return self._state.text

    @property
    def _finished(self) -> bool:
        return self._state.done or self._closed

    def _dropped(self, exc: Exception | None) -> float:
        reason = "the stream ended before its complete event" if exc is None else repr(exc)
        delay = _retries.backoff(self._state.on_drop(reason))
        logger.info(
            "stream %s broke after event %s (%s); resuming in %.2fs",
            self._request.url,
            self._state.last_event_id,
            reason,
            delay,
        )
        return delay


class Stream(_StreamBase[StartT, CompleteT]):
    """A synchronous event stream: ``with client.messages.send_message_stream(...) as s:``.

    Iterating yields :class:`StreamStartEvent`, :class:`StreamDeltaEvent` and
    :class:`StreamCompleteEvent` objects in order (and a :class:`StreamUnknownEvent` for an
    event name newer than this client).
    """

    def __init__(
        self, http: httpx.Client, request: StreamRequest, kind: StreamKind[StartT, CompleteT]
    ):
        super().__init__(request, kind)
        self._http = http
        self._connection: _Connection[Iterator[ServerSentEvent]] | None = None
        self._iterator: Iterator[StreamEvent[StartT, CompleteT]] | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __iter__(self) -> Iterator[StreamEvent[StartT, CompleteT]]:
        if self._iterator is None:
            self._iterator = self._read(self._state.accept)
        return self._iterator

    def close(self) -> None:
        """Stop reading and close the connection."""
        self._closed = True
        self._disconnect()

    def text_deltas(self) -> Iterator[str]:
        """Yield the text pieces of the ``delta`` events, from where reading has got to.

        Other events are still checked and recorded (an ``error`` event raises; the
        ``complete`` one is kept for :meth:`final_message`), but not yielded.
        """
        return self._read(self._state.accept_text)

    def final_message(self) -> CompleteT:
        """Read to the end; return the completed ``Message`` or ``AgentConversation``.

        Raises:
            APIStatusError: The stream failed with an ``error`` event or an error status.
            APIConnectionError: The stream broke and could not be resumed.
        """
        for _ in self:
            pass
        return self._state.result()

    def _open(self) -> httpx.Response:
        def send() -> httpx.Response:
            request = self._request.build(self._http, self._state.resume_headers())
            response = self._http.send(request, stream=True)
            if not response.is_success:
                response.read()
                response.close()
            return response

        retrier = _retries.Retrier(self._request.call.max_retries, f"stream {self._request.url}")
        return _opened(_retries.run(send, retrier))

    def _connect(self) -> _Connection[Iterator[ServerSentEvent]]:
        response = self._open()
        self._connection = _Connection(response, EventSource(response).iter_sse())
        return self._connection

    def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.response.close()

    def _read(self, decode: Decode[T]) -> Generator[T]:
        """Read events with ``decode``, resuming a broken connection, until the stream ends."""
        state = self._state
        while not self._finished:
            connection = self._connection or self._connect()
            headers = connection.response.headers
            error: Exception | None = None
            broken = False
            try:
                for sse in connection.events:
                    item = decode(sse, headers)
                    if item is not None:
                        yield item
                        if self._connection is not connection:
                            break  # closed, or resumed by another reader meanwhile
                    if state.done:
                        break
                else:
                    broken = True
            except httpx.ReadTimeout as exc:
                self._disconnect()
                raise _idle(self._request, exc) from exc
            except httpx.TransportError as exc:
                error, broken = exc, True
            except SSEError as exc:
                self._disconnect()
                raise _not_sse(exc) from exc
            except Exception:
                self._disconnect()
                raise
            if broken:
                self._disconnect()
                _retries.sleep(self._dropped(error))
        self._disconnect()


class AsyncStream(_StreamBase[StartT, CompleteT]):
    """An asynchronous event stream: ``async with ... as s: async for event in s:``."""

    def __init__(
        self, http: httpx.AsyncClient, request: StreamRequest, kind: StreamKind[StartT, CompleteT]
    ):
        super().__init__(request, kind)
        self._http = http
        self._connection: _Connection[AsyncIterator[ServerSentEvent]] | None = None
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
        """Yield the text pieces of the ``delta`` events; see :meth:`Stream.text_deltas`."""
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

    async def _open(self) -> httpx.Response:
        async def send() -> httpx.Response:
            request = self._request.build(self._http, self._state.resume_headers())
            response = await self._http.send(request, stream=True)
            if not response.is_success:
                await response.aread()
                await response.aclose()
            return response

        retrier = _retries.Retrier(self._request.call.max_retries, f"stream {self._request.url}")
        return _opened(await _retries.arun(send, retrier))

    async def _connect(self) -> _Connection[AsyncIterator[ServerSentEvent]]:
        response = await self._open()
        self._connection = _Connection(response, EventSource(response).aiter_sse())
        return self._connection

    async def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.response.aclose()

    async def _read(self, decode: Decode[T]) -> AsyncGenerator[T]:
        """Async mirror of :meth:`Stream._read`."""
        state = self._state
        while not self._finished:
            connection = self._connection or await self._connect()
            headers = connection.response.headers
            error: Exception | None = None
            broken = False
            try:
                async for sse in connection.events:
                    item = decode(sse, headers)
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
                raise _idle(self._request, exc) from exc
            except httpx.TransportError as exc:
                error, broken = exc, True
            except SSEError as exc:
                await self._disconnect()
                raise _not_sse(exc) from exc
            except Exception:
                await self._disconnect()
                raise
            if broken:
                await self._disconnect()
                await _retries.async_sleep(self._dropped(error))
        await self._disconnect()


ChatStream = Stream[ChatStreamStart, Message]
AsyncChatStream = AsyncStream[ChatStreamStart, Message]
AgentStream = Stream[AgentStreamStart, AgentConversation]
AsyncAgentStream = AsyncStream[AgentStreamStart, AgentConversation]
