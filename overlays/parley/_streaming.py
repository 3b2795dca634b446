"""What the sync and async event streams share (the streams are in ``_async``/``_sync``).

Streams are context-managed Server-Sent Event readers over httpx streaming and httpx-sse.

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

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import httpx
from httpx_sse import ServerSentEvent, SSEError

from . import _retries
from ._errors import APITimeoutError, ParleyError, status_error
from ._events import CompleteT, StartT, StreamKind, StreamState
from ._logging import logger
from ._operation import CallOptions, RequestSpec, build_request


@dataclass
class StreamRequest:
    """A stream request as its generated function describes it, plus the call's options."""

    spec: RequestSpec
    call: CallOptions
    idle_timeout: float | None

    @property
    def url(self) -> str:
        """The stream's path, for messages."""
        return self.spec.url

    def build(
        self, http: httpx.Client | httpx.AsyncClient, resume: dict[str, str]
    ) -> httpx.Request:
        """The request to send, resuming after ``Last-Event-ID`` when ``resume`` has it."""
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
        return build_request(http, self.spec, call)


def opened(response: httpx.Response) -> httpx.Response:
    """``response`` when it is a 2xx, else the error matching its (read) status.

    Raises:
        APIStatusError: The stream was refused.
    """
    if response.is_success:
        return response
    raise status_error(response.status_code, response.headers, response.content, response=response)


def idle(request: StreamRequest, exc: Exception) -> APITimeoutError:
    """The error for a stream that sent no event for its idle timeout."""
    return APITimeoutError(f"Stream sent no event for {request.idle_timeout}s: {exc}")


def not_sse(exc: SSEError) -> ParleyError:
    """The error for an answer that is not an event stream."""
    return ParleyError(f"Not an event stream: {exc}")


T = TypeVar("T")
Decode = Callable[[ServerSentEvent, httpx.Response], T | None]
EventsT = TypeVar("EventsT", Iterator[ServerSentEvent], AsyncIterator[ServerSentEvent])


@dataclass
class Connection(Generic[EventsT]):
    """An open stream response and the events being read from it."""

    response: httpx.Response
    events: EventsT


class StreamBase(Generic[StartT, CompleteT]):
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
