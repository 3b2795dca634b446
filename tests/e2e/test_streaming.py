"""Streams against the reference server: typed events, resume after a cut, errors."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from parley import ConflictError, Parley, StreamDeltaEvent
from parley_server.testing import EmbeddedServer


class _CutAfter(httpx.SyncByteStream):
    """Passes ``events`` SSE events through, then fails like a reset connection."""

    def __init__(self, inner: httpx.SyncByteStream, events: int):
        self.inner = inner
        self.events = events

    def __iter__(self) -> Iterator[bytes]:
        buffer = b""
        for chunk in self.inner:
            buffer += chunk
            if buffer.count(b"\n\n") >= self.events:
                end = 0
                for _ in range(self.events):
                    end = buffer.index(b"\n\n", end) + 2
                yield buffer[:end]
                raise httpx.ReadError("connection reset by the test")
        yield buffer

    def close(self) -> None:
        self.inner.close()


class CutFirstStream(httpx.BaseTransport):
    """A real transport that breaks the first event stream after a few events."""

    def __init__(self, events: int):
        self.inner = httpx.HTTPTransport()
        self.events = events
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response = self.inner.handle_request(request)
        if request.headers.get("accept") == "text/event-stream" and len(self.requests) == 1:
            assert isinstance(response.stream, httpx.SyncByteStream)
            response.stream = _CutAfter(response.stream, self.events)
        return response

    def close(self) -> None:
        self.inner.close()


def test_cut_stream_resumes_against_the_server(server: EmbeddedServer, agent_id: str) -> None:
    with Parley(server.base_url, api_key=server.tenant.write_key) as setup:
        conversation = setup.conversations.create_conversation(agent_id)
    transport = CutFirstStream(events=4)
    http = httpx.Client(transport=transport)
    with Parley(server.base_url, api_key=server.tenant.write_key, http_client=http) as client:
        with client.messages.send_message_stream(conversation.id, "Tell me everything") as stream:
            events = list(stream)
        history = client.conversations.list_conversation_messages(conversation.id)
    ids = [event.id for event in events]
    assert ids == list(range(1, len(ids) + 1)) and len(ids) > 5
    text = "".join(e.content for e in events if isinstance(e, StreamDeltaEvent))
    final = stream.final_message()
    assert final.content == text
    first, resumed, listing = transport.requests
    assert listing.method == "GET"
    assert resumed.headers["Last-Event-ID"] == "4"
    assert resumed.headers["Idempotency-Key"] == first.headers["Idempotency-Key"]
    assert [m.content for m in history] == ["Tell me everything", text]


def test_stream_on_ended_conversation_raises(client: Parley, agent_id: str) -> None:
    conversation = client.conversations.create_conversation(agent_id)
    client.conversations.end_conversation(conversation.id)
    with (
        client.messages.send_message_stream(conversation.id, "hi") as stream,
        pytest.raises(ConflictError),
    ):
        stream.final_message()


def test_stream_text_deltas_match_the_stored_reply(client: Parley, agent_id: str) -> None:
    conversation = client.conversations.create_conversation(agent_id)
    with client.messages.send_message_stream(conversation.id, "hello", idle_timeout=10) as stream:
        text = "".join(stream.text_deltas())
        assert stream.final_message().content == text
    assert stream.last_event_id is not None and stream.text == text
