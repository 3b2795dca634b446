"""Streams: typed events, idle timeout, error events, resume after a cut with no loss or repeat."""

from __future__ import annotations

import json

import httpx
import pytest
from parley import (
    APIConnectionError,
    APITimeoutError,
    ConflictError,
    NotFoundError,
    ParleyError,
    StreamCompleteEvent,
    StreamDeltaEvent,
    StreamStartEvent,
    StreamUnknownEvent,
)

from .client_fakes import (
    CONVERSATION_ID,
    EventBody,
    Script,
    async_client,
    chat_events,
    problem,
    record_sleeps,
    respond,
    sse_event,
    stream_response,
    sync_client,
)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    return record_sleeps(monkeypatch)


def test_stream_yields_typed_events_and_closes() -> None:
    body = EventBody(chat_events("Hello there"))
    script = Script(stream_response(body))
    with sync_client(script) as client:
        with client.messages.send_message_stream(CONVERSATION_ID, "hi") as stream:
            events = list(stream)
        request = script.requests[0]
    assert [event.event for event in events] == ["start", "delta", "delta", "complete"]
    assert isinstance(events[0], StreamStartEvent)
    assert isinstance(events[1], StreamDeltaEvent) and events[1].content == "Hello"
    assert isinstance(events[-1], StreamCompleteEvent) and events[-1].data.content == "Hello there"
    assert [event.id for event in events] == [1, 2, 3, 4]
    assert request.headers["Accept"] == "text/event-stream"
    assert request.headers["Idempotency-Key"]
    assert request.url.path == f"/v1/conversation/{CONVERSATION_ID}/chat"
    assert body.closed


def test_text_deltas_and_final_message() -> None:
    script = Script(stream_response(EventBody(chat_events("one two three"))))
    with sync_client(script) as client:
        with client.messages.send_message_stream(CONVERSATION_ID, "hi") as stream:
            assert "".join(stream.text_deltas()) == "one two three"
            assert stream.final_message().content == "one two three"
        with client.messages.send_message_stream(CONVERSATION_ID, "again") as stream:
            assert stream.final_message().role.value == "assistant"
            assert stream.text == "one two three"


def test_error_event_raises_the_matching_error_with_the_streams_request_and_response() -> None:
    chunks = [*chat_events("x")[:1], sse_event(2, "error", problem(409, "Conversation closed"))]
    answer = stream_response(EventBody(chunks), headers={"x-request-id": "req-stream"})
    script = Script(answer)
    with (
        sync_client(script) as client,
        client.messages.send_message_stream(CONVERSATION_ID, "hi") as s,
        pytest.raises(ConflictError) as info,
    ):
        list(s)
    error = info.value
    assert error.problem is not None and error.problem.title == "Conversation closed"
    assert error.status_code == 409 and error.request_id == "req-stream"
    assert error.request is script.requests[0]
    assert error.request.url.path == f"/v1/conversation/{CONVERSATION_ID}/chat"
    assert error.response is not None and error.response.status_code == 200
    assert error.response.request is error.request
    assert error.response.headers["content-type"] == "text/event-stream"


def test_idle_stream_times_out() -> None:
    body = EventBody(chat_events("x")[:1], error=httpx.ReadTimeout("no data"))
    script = Script(stream_response(body))
    with sync_client(script) as client:
        stream = client.messages.send_message_stream(CONVERSATION_ID, "hi", idle_timeout=1.5)
        with stream, pytest.raises(APITimeoutError):
            for _ in stream:
                pass
    assert len(script.requests) == 1
    assert script.requests[0].extensions["timeout"]["read"] == 1.5
    assert body.closed


def test_cut_stream_resumes_with_last_event_id_exactly_once(sleeps: list[float]) -> None:
    events = chat_events("a b c d")  # ids 1..6: start, 4 deltas, complete
    first = EventBody(events[:3], error=httpx.ReadError("connection reset"))
    # The server replays from event 2 (one too many): the client must drop the repeat.
    second = EventBody(events[1:])
    script = Script(stream_response(first), stream_response(second))
    with (
        sync_client(script) as client,
        client.messages.send_message_stream(CONVERSATION_ID, "hi") as stream,
    ):
        seen = list(stream)
    assert [event.id for event in seen] == [1, 2, 3, 4, 5, 6]
    assert "".join(e.content for e in seen if isinstance(e, StreamDeltaEvent)) == "a b c d"
    opened, resumed = script.requests
    assert "Last-Event-ID" not in opened.headers
    assert resumed.headers["Last-Event-ID"] == "3"
    assert resumed.headers["Idempotency-Key"] == opened.headers["Idempotency-Key"]
    assert first.closed and second.closed and len(sleeps) == 1


def test_stream_ending_early_is_resumed_and_gives_up_eventually(sleeps: list[float]) -> None:
    events = chat_events("a b")
    script = Script(stream_response(EventBody(events[:2])), stream_response(EventBody(events[2:])))
    with sync_client(script) as client:
        final = client.messages.send_message_stream(CONVERSATION_ID, "hi").final_message()
    assert final.content == "a b"
    broken = Script(stream_response(EventBody(events[:2], error=httpx.ReadError("reset"))))
    with sync_client(broken, max_retries=2) as client, pytest.raises(APIConnectionError):
        client.messages.send_message_stream(CONVERSATION_ID, "hi").final_message()
    assert len(broken.requests) == 3


def test_stream_open_is_retried_before_the_first_event(sleeps: list[float]) -> None:
    script = Script(
        httpx.ConnectError("refused"),
        respond(503, problem(503), {"Retry-After": "1"}),
        stream_response(EventBody(chat_events("ok"))),
    )
    with sync_client(script) as client:
        text = "".join(client.messages.send_message_stream(CONVERSATION_ID, "hi").text_deltas())
    assert text == "ok"
    assert len({request.headers["Idempotency-Key"] for request in script.requests}) == 1
    assert sleeps[1] == 1.0


def test_stream_open_404_raises() -> None:
    script = Script(respond(404, problem(404)))
    with sync_client(script) as client, pytest.raises(NotFoundError):
        list(client.messages.send_message_stream(CONVERSATION_ID, "hi"))


def test_agent_stream_final_conversation() -> None:
    conversation = {
        "id": "c1",
        "agentKey": "a1",
        "title": "q",
        "recordIds": [],
        "departments": [],
        "modelKey": None,
        "modelName": None,
        "chatMode": None,
        "messages": [],
        "createdAt": "2025-03-15T14:30:00+00:00",
        "updatedAt": "2025-03-15T14:30:00+00:00",
    }
    chunks = [
        sse_event(1, "start", {"conversationId": "c1", "messageId": "m1"}),
        sse_event(2, "delta", {"content": "Hi", "index": 0}),
        sse_event(3, "complete", conversation),
    ]
    script = Script(stream_response(EventBody(chunks)))
    with (
        sync_client(script) as client,
        client.agent_conversations.stream(agent_key="a1", query="q") as stream,
    ):
        first = next(iter(stream))
        assert isinstance(first, StreamStartEvent) and first.data.conversation_id == "c1"
        assert stream.final_message().agent_key == "a1"
    assert script.requests[0].url.path == "/agents/a1/conversations/stream"


@pytest.mark.anyio
async def test_async_cut_stream_resumes_exactly_once(sleeps: list[float]) -> None:
    events = chat_events("x y z")
    first = EventBody(events[:2], error=httpx.RemoteProtocolError("peer closed"))
    script = Script(stream_response(first), stream_response(EventBody(events[2:])))
    async with (
        async_client(script) as client,
        client.messages.send_message_stream(CONVERSATION_ID, "hi") as stream,
    ):
        ids = [event.id async for event in stream]
        final = await stream.final_message()
    assert ids == [1, 2, 3, 4, 5]
    assert final.content == "x y z"
    assert script.requests[1].headers["Last-Event-ID"] == "2"


@pytest.mark.anyio
async def test_async_idle_timeout_and_text_deltas() -> None:
    script = Script(stream_response(EventBody(chat_events("p q"))))
    async with async_client(script) as client:
        stream = client.messages.send_message_stream(CONVERSATION_ID, "hi")
        assert [piece async for piece in stream.text_deltas()] == ["p", " q"]
        idle = Script(stream_response(EventBody([], error=httpx.ReadTimeout("idle"))))
    async with async_client(idle) as client:
        with pytest.raises(APITimeoutError):
            await client.messages.send_message_stream(CONVERSATION_ID, "hi").final_message()


def test_text_deltas_resume_exactly_once(sleeps: list[float]) -> None:
    events = chat_events("a b c d")  # ids 1..6: start, 4 deltas, complete
    first = EventBody(events[:3], error=httpx.ReadError("connection reset"))
    second = EventBody(events[1:])  # replays from event 2: the repeats must be dropped
    script = Script(stream_response(first), stream_response(second))
    with (
        sync_client(script) as client,
        client.messages.send_message_stream(CONVERSATION_ID, "hi") as stream,
    ):
        pieces = list(stream.text_deltas())
        assert stream.final_message().content == "a b c d"
        assert stream.text == "a b c d" and stream.last_event_id == 6
    assert pieces == ["a", " b", " c", " d"]
    assert script.requests[1].headers["Last-Event-ID"] == "3"
    assert first.closed and second.closed and len(sleeps) == 1


def test_readers_take_up_where_the_last_one_stopped() -> None:
    body = EventBody(chat_events("one two three"))  # start, 3 deltas, complete
    script = Script(stream_response(body))
    with sync_client(script) as client:
        stream = client.messages.send_message_stream(CONVERSATION_ID, "hi")
        with stream:
            start = next(iter(stream))
            texts = stream.text_deltas()
            assert next(texts) == "one"
            following = next(iter(stream))
            assert isinstance(following, StreamDeltaEvent) and following.content == " two"
            assert list(stream.text_deltas()) == [" three"]
            assert stream.final_message().content == "one two three"
            assert body.closed  # finishing the stream closes the connection
    assert isinstance(start, StreamStartEvent)
    assert stream.text == "one two three"
    assert len(script.requests) == 1


def test_a_reader_follows_a_resume_made_by_another(sleeps: list[float]) -> None:
    events = chat_events("a b c")  # ids 1..5
    first = EventBody(events[:2], error=httpx.ReadError("reset"))
    script = Script(stream_response(first), stream_response(EventBody(events[2:])))
    with (
        sync_client(script) as client,
        client.messages.send_message_stream(CONVERSATION_ID, "hi") as stream,
    ):
        typed = iter(stream)
        assert next(typed).id == 1
        texts = stream.text_deltas()
        assert [next(texts), next(texts)] == ["a", " b"]  # the second one after the resume
        assert [event.id for event in typed] == [4, 5]
    assert len(script.requests) == 2 and first.closed


def test_text_deltas_raise_error_events_and_idle_timeouts() -> None:
    chunks = [*chat_events("x")[:2], sse_event(3, "error", problem(404, "Gone"))]
    script = Script(stream_response(EventBody(chunks)))
    with sync_client(script) as client:
        stream = client.messages.send_message_stream(CONVERSATION_ID, "hi")
        with stream, pytest.raises(NotFoundError) as info:
            list(stream.text_deltas())
        assert stream.text == "x"
    assert info.value.problem is not None and info.value.problem.title == "Gone"
    idle = EventBody(chat_events("x")[:2], error=httpx.ReadTimeout("no data"))
    with sync_client(Script(stream_response(idle))) as client:
        stream = client.messages.send_message_stream(CONVERSATION_ID, "hi", idle_timeout=2)
        with stream, pytest.raises(APITimeoutError, match="no event for 2s"):
            list(stream.text_deltas())
    assert idle.closed


@pytest.mark.parametrize(
    "data",
    [{"index": 0}, {"content": "x"}, ["x"], "not json"],
    ids=["no content", "no index", "not an object", "not json"],
)
def test_malformed_delta_raises_parley_error(data: object) -> None:
    raw = data if isinstance(data, str) else json.dumps(data)
    delta = f"id: 2\nevent: delta\ndata: {raw}\n\n".encode()
    chunks = [chat_events("x")[0], delta]
    for read in (list, lambda stream: list(stream.text_deltas())):
        script = Script(stream_response(EventBody(chunks)))
        with (
            sync_client(script) as client,
            client.messages.send_message_stream(CONVERSATION_ID, "hi") as stream,
            pytest.raises(ParleyError, match="malformed 'delta' event 2"),
        ):
            read(stream)


def test_close_stops_every_reader() -> None:
    body = EventBody(chat_events("a b c"))
    script = Script(stream_response(body))
    with sync_client(script) as client:
        stream = client.messages.send_message_stream(CONVERSATION_ID, "hi")
        texts = stream.text_deltas()
        assert next(texts) == "a"
        stream.close()
        assert body.closed
        assert list(texts) == [] and list(stream) == []
    assert len(script.requests) == 1


@pytest.mark.anyio
async def test_async_text_deltas_resume_and_readers_share_the_connection(
    sleeps: list[float],
) -> None:
    events = chat_events("x y z")  # ids 1..5
    first = EventBody(events[:3], error=httpx.RemoteProtocolError("peer closed"))
    second = EventBody(events[2:])  # replays event 3
    script = Script(stream_response(first), stream_response(second))
    async with (
        async_client(script) as client,
        client.messages.send_message_stream(CONVERSATION_ID, "hi") as stream,
    ):
        start = await stream.__aiter__().__anext__()
        texts = stream.text_deltas()
        assert await texts.__anext__() == "x"
        assert [piece async for piece in stream.text_deltas()] == [" y", " z"]
        final = await stream.final_message()
    assert isinstance(start, StreamStartEvent)
    assert final.content == "x y z" and stream.text == "x y z"
    assert script.requests[1].headers["Last-Event-ID"] == "3"
    assert first.closed and second.closed and len(sleeps) == 1


@pytest.mark.anyio
async def test_async_text_deltas_raise_error_events() -> None:
    chunks = [*chat_events("x")[:2], sse_event(3, "error", problem(409, "Conversation closed"))]
    script = Script(stream_response(EventBody(chunks)))
    async with async_client(script) as client:
        stream = client.messages.send_message_stream(CONVERSATION_ID, "hi")
        with pytest.raises(ConflictError) as info:
            async with stream:
                async for _ in stream.text_deltas():
                    pass
    assert info.value.request is script.requests[0]
    assert info.value.response is not None and info.value.response.status_code == 200


def test_new_event_name_is_surfaced_as_an_unknown_event(sleeps: list[float]) -> None:
    start, hi, there, complete = chat_events("Hi there")
    thinking = sse_event(3, "thinking", {"summary": "pondering"})
    renumbered = [
        start,
        hi,
        thinking,
        there.replace(b"id: 3", b"id: 4"),
        complete.replace(b"id: 4", b"id: 5"),
    ]
    script = Script(stream_response(EventBody(renumbered)))
    with (
        sync_client(script) as client,
        client.messages.send_message_stream(CONVERSATION_ID, "hi") as stream,
    ):
        seen = list(stream)
        assert stream.final_message().content == "Hi there"
    assert [event.event for event in seen] == ["start", "delta", "thinking", "delta", "complete"]
    unknown = seen[2]
    assert isinstance(unknown, StreamUnknownEvent)
    assert unknown.id == 3 and unknown.json() == {"summary": "pondering"}
    assert [event.id for event in seen] == [1, 2, 3, 4, 5]


def test_text_deltas_skip_an_unknown_event() -> None:
    events = chat_events("Hi", first_id=1)
    body = [events[0], sse_event(2, "usage", {"tokens": 3}), *chat_events("Hi", first_id=2)[1:]]
    script = Script(stream_response(EventBody(body)))
    with (
        sync_client(script) as client,
        client.messages.send_message_stream(CONVERSATION_ID, "hi") as stream,
    ):
        assert list(stream.text_deltas()) == ["Hi"]


@pytest.mark.anyio
async def test_async_stream_surfaces_an_unknown_event_and_resumes_after_it(
    sleeps: list[float],
) -> None:
    start, hi, there, complete = chat_events("Hi there")
    usage = sse_event(3, "usage", {"tokens": 2})
    first = EventBody([start, hi, usage], error=httpx.RemoteProtocolError("peer closed"))
    rest = EventBody([there.replace(b"id: 3", b"id: 4"), complete.replace(b"id: 4", b"id: 5")])
    script = Script(stream_response(first), stream_response(rest))
    async with (
        async_client(script) as client,
        client.messages.send_message_stream(CONVERSATION_ID, "hi") as stream,
    ):
        seen = [event async for event in stream]
    assert [(event.id, event.event) for event in seen] == [
        (1, "start"),
        (2, "delta"),
        (3, "usage"),
        (4, "delta"),
        (5, "complete"),
    ]
    assert isinstance(seen[2], StreamUnknownEvent) and seen[2].data == '{"tokens": 2}'
    assert script.requests[1].headers["Last-Event-ID"] == "3"  # the unknown event counts
