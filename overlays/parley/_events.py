"""Typed Server-Sent Events and the decoding state a stream keeps across reconnects.

Every stream of the contract sends ``start``, then ``delta`` events, then ``complete`` (or
``error``), each with a decimal ``id`` that grows by one. The payloads are the generated
models: ``ChatStreamStart``/``AgentStreamStart``, ``StreamDelta``, ``Message``/
``AgentConversation`` and ``Problem``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

import httpx
from httpx_sse import ServerSentEvent
from parley_client.models import (
    AgentConversation,
    AgentStreamStart,
    ChatStreamStart,
    Message,
    Problem,
    StreamDelta,
)

from ._errors import APIConnectionError, ParleyError, status_error

StartT = TypeVar("StartT", bound=ChatStreamStart | AgentStreamStart)
CompleteT = TypeVar("CompleteT", bound=Message | AgentConversation)


@dataclass(frozen=True)
class StreamStartEvent(Generic[StartT]):
    """``start``: the ids of what the stream is about to produce.

    Attributes:
        id: The event's position in the stream, from 1.
        data: ``ChatStreamStart`` (sendMessage) or ``AgentStreamStart`` (agent streams).
        event: Always ``"start"``.
    """

    id: int
    data: StartT
    event: Literal["start"] = "start"


@dataclass(frozen=True)
class StreamDeltaEvent:
    """``delta``: the next piece of the reply's text.

    Attributes:
        id: The event's position in the stream, from 1.
        data: The generated ``StreamDelta`` (``content``, ``index``).
        event: Always ``"delta"``.
    """

    id: int
    data: StreamDelta
    event: Literal["delta"] = "delta"

    @property
    def content(self) -> str:
        """The text piece."""
        return self.data.content

    @property
    def index(self) -> int:
        """The position of this piece in the reply, from 0."""
        return self.data.index


@dataclass(frozen=True)
class StreamCompleteEvent(Generic[CompleteT]):
    """``complete``: the finished result; the stream ends here.

    Attributes:
        id: The event's position in the stream, from 1.
        data: The stored ``Message`` (sendMessage) or the whole ``AgentConversation``.
        event: Always ``"complete"``.
    """

    id: int
    data: CompleteT
    event: Literal["complete"] = "complete"


@dataclass(frozen=True)
class StreamUnknownEvent:
    """An event name this client does not know: one a newer server added to the contract.

    It is surfaced, never raised, so a client keeps working when the server gains events;
    ``text_deltas()`` skips it. Its id still counts for ``Last-Event-ID`` resume.

    Attributes:
        id: The event's position in the stream, from 1.
        event: The event name as sent (``event:`` field; ``"message"`` when absent).
        data: The raw ``data:`` text, undecoded (JSON under the contract's conventions).
    """

    id: int
    event: str
    data: str

    def json(self) -> Any:
        """The data decoded as JSON.

        Raises:
            ValueError: The data is not JSON.
        """
        return json.loads(self.data)


StreamEvent = (
    StreamStartEvent[StartT]
    | StreamDeltaEvent
    | StreamCompleteEvent[CompleteT]
    | StreamUnknownEvent
)
KNOWN_EVENTS = frozenset({"start", "delta", "complete", "error"})


@dataclass(frozen=True)
class StreamKind(Generic[StartT, CompleteT]):
    """The payload models of one kind of stream."""

    start: Callable[[Mapping[str, Any]], StartT]
    complete: Callable[[Mapping[str, Any]], CompleteT]


CHAT_STREAM: StreamKind[ChatStreamStart, Message] = StreamKind(
    ChatStreamStart.from_dict, Message.from_dict
)
AGENT_STREAM: StreamKind[AgentStreamStart, AgentConversation] = StreamKind(
    AgentStreamStart.from_dict, AgentConversation.from_dict
)


@dataclass
class StreamState(Generic[StartT, CompleteT]):
    """What a stream has seen so far; the sync and async streams share it.

    ``last_event_id`` is sent as ``Last-Event-ID`` on a reconnect, and an event whose id is
    not above it is dropped, so the caller sees every event exactly once.
    """

    kind: StreamKind[StartT, CompleteT]
    max_reconnects: int
    last_event_id: int | None = None
    final: CompleteT | None = None
    done: bool = False
    drops: int = 0
    pieces: list[str] = field(default_factory=list)

    def accept(
        self, sse: ServerSentEvent, response: httpx.Response
    ) -> StreamEvent[StartT, CompleteT] | None:
        """Decode one event; None for a repeat, a :class:`StreamUnknownEvent` for a new name.

        Args:
            sse: The event.
            response: The stream's answer (its headers give the request id).

        Raises:
            APIStatusError: For an ``error`` event, the subclass matching its Problem's status,
                with the stream's ``request`` and ``response``.
            ParleyError: For an event whose data is not the JSON the contract describes.
        """
        event_id = self._position(sse)
        if event_id is None:
            return None
        if sse.event not in KNOWN_EVENTS:
            self.last_event_id = event_id
            self.drops = 0
            return StreamUnknownEvent(event_id, sse.event, sse.data)
        try:
            payload: Any = json.loads(sse.data)
            decoded = self._decode(sse.event, event_id, payload)
        except (ValueError, KeyError, TypeError) as exc:
            raise _malformed(sse, event_id, exc) from exc
        self.last_event_id = event_id
        self.drops = 0
        if isinstance(decoded, Problem):
            self.done = True
            raise status_error(
                decoded.status, response.headers, sse.data.encode(), decoded, response=response
            )
        return decoded

    def accept_text(self, sse: ServerSentEvent, response: httpx.Response) -> str | None:
        """Like :meth:`accept`, but a ``delta`` gives its text alone; what ``text_deltas`` uses.

        A delta is checked and recorded as by :meth:`accept` (its id, a repeat dropped, its
        ``content`` and ``index`` present, its text added to :attr:`text`) without building the
        ``StreamDelta`` model or the event. Any other event goes through :meth:`accept` and
        gives None.

        Raises:
            APIStatusError: For an ``error`` event, the subclass matching its Problem's status.
            ParleyError: For an event whose data is not the JSON the contract describes.
        """
        if sse.event != "delta":
            self.accept(sse, response)
            return None
        event_id = self._position(sse)
        if event_id is None:
            return None
        try:
            payload: Any = json.loads(sse.data)
            content: str = payload["content"]
            payload["index"]  # required, as StreamDelta.from_dict requires it
        except (ValueError, KeyError, TypeError) as exc:
            raise _malformed(sse, event_id, exc) from exc
        self.last_event_id = event_id
        self.drops = 0
        self.pieces.append(content)
        return content

    def _position(self, sse: ServerSentEvent) -> int | None:
        """The event's id (the next one when it has none), or None for one already seen."""
        event_id = int(sse.id) if sse.id.isdigit() else (self.last_event_id or 0) + 1
        if self.last_event_id is not None and event_id <= self.last_event_id:
            return None
        return event_id

    def _decode(
        self, name: str, event_id: int, payload: Any
    ) -> StreamEvent[StartT, CompleteT] | Problem:
        if name == "error":
            return Problem.from_dict(payload)
        if name == "start":
            return StreamStartEvent(event_id, self.kind.start(payload))
        if name == "delta":
            delta = StreamDelta.from_dict(payload)
            self.pieces.append(delta.content)
            return StreamDeltaEvent(event_id, delta)
        final = self.kind.complete(payload)
        self.final, self.done = final, True
        return StreamCompleteEvent(event_id, final)

    @property
    def text(self) -> str:
        """The text of every delta so far."""
        return "".join(self.pieces)

    def resume_headers(self) -> dict[str, str]:
        """``Last-Event-ID`` once an event has been seen, for a reconnect."""
        if self.last_event_id is None:
            return {}
        return {"Last-Event-ID": str(self.last_event_id)}

    def on_drop(self, reason: str) -> int:
        """Count a broken connection; returns the reconnect number (from 0).

        Raises:
            APIConnectionError: More consecutive drops than ``max_reconnects``.
        """
        self.drops += 1
        if self.drops > self.max_reconnects:
            raise APIConnectionError(f"Stream broken and not resumed: {reason}")
        return self.drops - 1

    def result(self) -> CompleteT:
        """The ``complete`` payload.

        Raises:
            APIConnectionError: The stream ended without a ``complete`` event.
        """
        if self.final is None:
            raise APIConnectionError("Stream ended without a complete event")
        return self.final


def _malformed(sse: ServerSentEvent, event_id: int, exc: Exception) -> ParleyError:
    return ParleyError(f"malformed {sse.event!r} event {event_id}: {exc}")
