"""Server-Sent Events: encoding, and live streams that outlive their first client.

A :class:`LiveStream` collects the events a background task produces. Any number of readers
follow it from a given ``Last-Event-ID``; a reader that disconnects does not stop the producer,
so the reply is stored whole either way.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

SSE_MEDIA_TYPE = "text/event-stream"

Event = tuple[int, str, str]
"""One event: (id from 1, event name, JSON data text)."""


def encode(event: Event) -> bytes:
    """Encodes one event as ``id:``, ``event:`` and ``data:`` lines and a blank line."""
    ident, name, data = event
    return f"id: {ident}\nevent: {name}\ndata: {data}\n\n".encode()


def dump(events: Sequence[Event]) -> bytes:
    """Serializes events for the idempotency store (a JSON array of ``[id, event, data]``)."""
    return json.dumps([list(e) for e in events]).encode()


def load(raw: bytes) -> list[Event]:
    """Reverses :func:`dump`."""
    return [(int(i), str(n), str(d)) for i, n, d in json.loads(raw)]


async def replay(events: Sequence[Event], after: int) -> AsyncIterator[bytes]:
    """Yields the stored events whose id is greater than ``after``."""
    for event in events:
        if event[0] > after:
            yield encode(event)


class LiveStream:
    """The events of one stream as they are produced."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.done = False
        self._changed = asyncio.Condition()

    async def emit(self, name: str, data: Any) -> None:
        """Appends an event with the next id (``data`` is JSON-encoded) and wakes readers."""
        async with self._changed:
            self.events.append((len(self.events) + 1, name, json.dumps(data)))
            self._changed.notify_all()

    async def wait_beyond(self, count: int) -> None:
        """Returns once there are more than ``count`` events or the stream is finished."""
        async with self._changed:
            while len(self.events) <= count and not self.done:
                await self._changed.wait()

    async def finish(self) -> None:
        """Marks the stream complete; readers end after the last event."""
        async with self._changed:
            self.done = True
            self._changed.notify_all()

    async def follow(self, after: int = 0) -> AsyncIterator[bytes]:
        """Yields encoded events with id greater than ``after``, waiting for new ones.

        Ends once the producer finished and every event was sent.
        """
        sent = after
        while True:
            async with self._changed:
                while len(self.events) <= sent and not self.done:
                    await self._changed.wait()
                pending = self.events[sent:]
                finished = self.done
            for event in pending:
                yield encode(event)
            sent += len(pending)
            if finished and sent >= len(self.events):
                return
