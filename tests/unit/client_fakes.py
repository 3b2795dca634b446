"""Scripted httpx.MockTransport servers for the client unit tests (no network, no sleeping)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from parley import AsyncParley, Parley

BASE_URL = "http://parley.test"
CONVERSATION_ID = "9b2f4c7e-1a3d-4e5f-8a6b-7c8d9e0f1a2b"
AGENT_ID = "3f1c2a9e-7b4d-4c1e-9a2f-5d6e7f8a9b0c"
MESSAGE_ID = "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e"

Answer = Callable[[httpx.Request], httpx.Response] | Exception


def conversation(**changes: Any) -> dict[str, Any]:
    return {
        "id": CONVERSATION_ID,
        "agent_id": AGENT_ID,
        "entity_type": "USER",
        "entity_id": "user-1",
        "title": "Website widget session",
        "metadata": {"source": "pricing-page"},
        "status": "active",
        "max_context_length": 20,
        "message_count": 0,
        "rating": None,
        "feedback": None,
        "started_at": "2025-03-15T14:30:00+00:00",
        "ended_at": None,
        "created_at": "2025-03-15T14:30:00+00:00",
        "updated_at": "2025-03-15T14:30:00+00:00",
        "deleted_at": None,
        **changes,
    }


def message(content: str = "Hello", role: str = "assistant", **changes: Any) -> dict[str, Any]:
    return {
        "id": MESSAGE_ID,
        "conversation_id": CONVERSATION_ID,
        "role": role,
        "content": content,
        "rating": None,
        "feedback": None,
        "created_at": "2025-03-15T14:30:05+00:00",
        "deleted_at": None,
        **changes,
    }


def problem(status: int, title: str = "Problem") -> dict[str, Any]:
    return {"type": "about:blank", "title": title, "status": status, "detail": f"status {status}"}


def respond(status: int, body: Any = None, headers: dict[str, str] | None = None) -> Answer:
    def answer(request: httpx.Request) -> httpx.Response:
        if body is None:
            return httpx.Response(status, headers=headers)
        content_type = "application/problem+json" if status >= 400 else "application/json"
        return httpx.Response(
            status,
            content=json.dumps(body).encode(),
            headers={"content-type": content_type, **(headers or {})},
        )

    return answer


def sse_event(event_id: int, name: str, data: dict[str, Any]) -> bytes:
    return f"id: {event_id}\nevent: {name}\ndata: {json.dumps(data)}\n\n".encode()


def chat_events(text: str = "Hello there", first_id: int = 1) -> list[bytes]:
    """start, one delta per word, complete: the events of a sendMessage stream."""
    words = text.split(" ")
    pieces = [word if i == 0 else " " + word for i, word in enumerate(words)]
    start = {
        "conversation_id": CONVERSATION_ID,
        "user_message_id": AGENT_ID,
        "message_id": MESSAGE_ID,
    }
    events = [sse_event(first_id, "start", start)]
    for index, piece in enumerate(pieces):
        events.append(sse_event(first_id + 1 + index, "delta", {"content": piece, "index": index}))
    events.append(sse_event(first_id + 1 + len(pieces), "complete", message(text)))
    return events


class EventBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that yields events and then, optionally, fails like a broken socket."""

    def __init__(self, chunks: list[bytes], error: Exception | None = None):
        self.chunks = chunks
        self.error = error
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks
        if self.error is not None:
            raise self.error

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def stream_response(body: EventBody, headers: dict[str, str] | None = None) -> Answer:
    def answer(request: httpx.Request) -> httpx.Response:
        sent = {"content-type": "text/event-stream", **(headers or {})}
        return httpx.Response(200, headers=sent, stream=body)

    return answer


class Script:
    """A MockTransport handler answering each request with the next scripted answer.

    The last answer repeats once the others are used up. Every request is recorded.
    """

    def __init__(self, *answers: Answer):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer(request)


def sync_client(handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> Parley:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    kwargs.setdefault("api_key", "secret-key")
    return Parley(BASE_URL, http_client=http, **kwargs)


def async_client(handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> AsyncParley:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    kwargs.setdefault("api_key", "secret-key")
    return AsyncParley(BASE_URL, http_client=http, **kwargs)


def record_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Replace the retry sleeps by a recorder, so no test waits."""
    delays: list[float] = []

    async def async_sleep(seconds: float) -> None:
        delays.append(seconds)

    monkeypatch.setattr("parley._retries.sleep", delays.append)
    monkeypatch.setattr("parley._retries.async_sleep", async_sleep)
    return delays
