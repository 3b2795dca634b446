"""``with_raw_response`` and ``with_streaming_response``: a JSON, a paginated and an SSE operation.

Each is checked sync and async: the answer's metadata, ``parse()`` equal to the plain call,
a retried call, an error, and (for streaming responses) that nothing is read until asked.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from parley import (
    APIResponse,
    AsyncAPIResponse,
    AsyncPage,
    AsyncStream,
    BadRequestError,
    NotFoundError,
    Stream,
    SyncPage,
)
from parley_client.models import Conversation

from .client_fakes import (
    AGENT_ID,
    CONVERSATION_ID,
    Answer,
    EventBody,
    Script,
    async_client,
    chat_events,
    conversation,
    problem,
    record_sleeps,
    respond,
    stream_response,
    sync_client,
)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    return record_sleeps(monkeypatch)


class Tracked(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A JSON body that records whether anything read it."""

    def __init__(self, body: Any):
        self.content = json.dumps(body).encode()
        self.read = False

    def __iter__(self) -> Iterator[bytes]:
        self.read = True
        yield self.content

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.read = True
        yield self.content


def tracked(body: Tracked, request_id: str = "req-body") -> Answer:
    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json", "x-request-id": request_id}
        return httpx.Response(200, headers=headers, stream=body)

    return answer


def page_of(*items: dict[str, Any], page: int = 1, pages: int = 2) -> dict[str, Any]:
    return {"items": list(items), "page": page, "per_page": 1, "total": pages, "pages": pages}


ID = {"x-request-id": "req-1"}


# JSON operation -----------------------------------------------------------------------------


def test_raw_json_response_has_metadata_and_parses_as_the_plain_call(sleeps: list[float]) -> None:
    script = Script(
        respond(503, problem(503), headers={"x-request-id": "req-0", "retry-after": "0"}),
        respond(200, conversation(), headers={"x-request-id": "req-1", "x-ratelimit": "9"}),
    )
    with sync_client(script) as client:
        raw = client.conversations.with_raw_response.get_conversation(CONVERSATION_ID)
        plain = client.conversations.get_conversation(CONVERSATION_ID)
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200 and raw.headers["x-ratelimit"] == "9"
    assert raw.request_id == "req-1"  # the final attempt's
    assert raw.elapsed.total_seconds() >= 0
    assert raw.http_response.request.url.path == f"/v1/conversation/{CONVERSATION_ID}"
    assert isinstance(raw.parse(), Conversation) and raw.parse() == plain
    assert raw.parse() is raw.parse()
    assert len(script.requests) == 3 and sleeps == [0.0]  # retried once, like the plain call
    assert "req-1" in repr(raw)


def test_raw_post_keeps_one_idempotency_key_across_retries(sleeps: list[float]) -> None:
    script = Script(respond(503, problem(503)), respond(201, conversation()))
    with sync_client(script) as client:
        raw = client.conversations.with_raw_response.create_conversation(AGENT_ID, title="t")
    assert raw.status_code == 201 and raw.parse().id == raw.parse().id
    keys = {request.headers["Idempotency-Key"] for request in script.requests}
    assert len(script.requests) == 2 and len(keys) == 1


def test_streaming_json_response_reads_nothing_until_asked() -> None:
    body = Tracked(conversation())
    script = Script(tracked(body))
    with sync_client(script) as client:
        streaming = client.conversations.with_streaming_response.get_conversation(CONVERSATION_ID)
        assert not script.requests  # nothing is sent before the block is entered
        with streaming as response:
            assert response.status_code == 200 and response.request_id == "req-body"
            assert not body.read
            parsed = response.parse()
            assert body.read
        assert response.http_response.is_closed
    assert isinstance(parsed, Conversation) and str(parsed.id) == CONVERSATION_ID


def test_streaming_json_response_iterates_the_body() -> None:
    script = Script(respond(200, conversation()))
    with sync_client(script) as client:
        manager = client.conversations.with_streaming_response.get_conversation(CONVERSATION_ID)
        with manager as response:
            data = b"".join(response.iter_bytes())
    assert json.loads(data)["id"] == CONVERSATION_ID


def test_raw_and_streaming_calls_raise_the_plain_calls_errors() -> None:
    script = Script(respond(404, problem(404, "Not Found"), headers={"x-request-id": "req-404"}))
    with sync_client(script) as client:
        with pytest.raises(NotFoundError) as raised:
            client.conversations.with_raw_response.get_conversation(CONVERSATION_ID)
        manager = client.conversations.with_streaming_response.get_conversation(CONVERSATION_ID)
        with pytest.raises(NotFoundError) as streamed, manager:
            pass
    error = raised.value
    assert error.request_id == "req-404" and streamed.value.request_id == "req-404"
    assert isinstance(error.request, httpx.Request)
    assert error.request.url.path == f"/v1/conversation/{CONVERSATION_ID}"
    assert isinstance(error.response, httpx.Response) and error.response.status_code == 404
    assert "req-404" in str(error) and "request_id='req-404'" in repr(error)


@pytest.mark.anyio
async def test_async_raw_and_streaming_json(sleeps: list[float]) -> None:
    body = Tracked(conversation())
    script = Script(respond(503, problem(503)), respond(200, conversation(), headers=ID))
    async with async_client(script) as client:
        raw = await client.conversations.with_raw_response.get_conversation(CONVERSATION_ID)
        plain = await client.conversations.get_conversation(CONVERSATION_ID)
        script.answers = [tracked(body)]
        streaming = client.conversations.with_streaming_response.get_conversation(CONVERSATION_ID)
        async with streaming as response:
            assert not body.read
            parsed = await response.parse()
        script.answers = [respond(404, problem(404), headers={"x-request-id": "req-404"})]
        with pytest.raises(NotFoundError) as raised:
            await client.conversations.with_raw_response.get_conversation(CONVERSATION_ID)
    assert isinstance(raw, AsyncAPIResponse) and raw.request_id == "req-1"
    assert await raw.parse() == plain and parsed == plain
    assert len(sleeps) == 1 and body.read
    assert raised.value.request_id == "req-404" and raised.value.response is not None


# Paginated operation ------------------------------------------------------------------------


def test_raw_page_parses_as_a_page_that_fetches_the_next(sleeps: list[float]) -> None:
    second = conversation(title="second")
    script = Script(
        respond(429, problem(429), headers={"retry-after": "0"}),
        respond(200, page_of(conversation()), headers=ID),
        respond(200, page_of(second, page=2)),
    )
    with sync_client(script) as client:
        raw = client.conversations.with_raw_response.list_conversations(per_page=1, status="active")
        page = raw.parse()
        titles = [item.title for item in page]
    assert raw.request_id == "req-1" and raw.status_code == 200
    assert isinstance(page, SyncPage) and page.total == 2
    assert titles == ["Website widget session", "second"]
    assert [request.url.params["page"] for request in script.requests] == ["1", "1", "2"]
    assert script.requests[2].url.params["status"] == "active"  # the next page keeps the filter


def test_streaming_page_and_its_error() -> None:
    script = Script(respond(200, page_of(conversation(), pages=1)))
    with sync_client(script) as client:
        with client.conversations.with_streaming_response.list_conversations() as response:
            lines = list(response.iter_lines())
        script.answers = [respond(400, problem(400, "Bad Request"))]
        with pytest.raises(BadRequestError):
            client.conversations.with_raw_response.list_conversations(per_page=1)
    assert json.loads("".join(lines))["total"] == 1


@pytest.mark.anyio
async def test_async_raw_and_streaming_pages(sleeps: list[float]) -> None:
    script = Script(
        respond(503, problem(503)),
        respond(200, page_of(conversation()), headers=ID),
        respond(200, page_of(conversation(title="second"), page=2)),
    )
    async with async_client(script) as client:
        raw = await client.conversations.with_raw_response.list_conversations(per_page=1)
        page = await raw.parse()
        titles = [item.title async for item in page]
        script.answers = [respond(200, page_of(conversation(), pages=1))]
        async with client.conversations.with_streaming_response.list_conversations() as response:
            streamed = await response.parse()
        script.answers = [respond(400, problem(400, "Bad Request"))]
        manager = client.conversations.with_streaming_response.list_conversations(per_page=1)
        with pytest.raises(BadRequestError):
            async with manager:
                pass
    assert isinstance(page, AsyncPage) and raw.request_id == "req-1"
    assert titles == ["Website widget session", "second"] and len(sleeps) == 1
    assert isinstance(streamed, AsyncPage) and len(streamed) == 1


# SSE operation ------------------------------------------------------------------------------


def test_raw_stream_opens_with_retries_and_parses_as_the_stream(sleeps: list[float]) -> None:
    body = EventBody(chat_events("Hello there"))
    script = Script(respond(503, problem(503)), stream_response(body))
    with sync_client(script) as client:
        raw = client.messages.with_raw_response.send_message_stream(CONVERSATION_ID, "hi")
        assert raw.status_code == 200 and raw.headers["content-type"] == "text/event-stream"
        assert len(script.requests) == 2 and len(sleeps) == 1
        assert not raw.http_response.is_closed  # the events are not read
        with raw.parse() as stream:
            assert isinstance(stream, Stream)
            events = [event.event for event in stream]
    assert events == ["start", "delta", "delta", "complete"]
    assert len(script.requests) == 2  # the stream read the connection the raw call opened
    keys = {request.headers["Idempotency-Key"] for request in script.requests}
    assert len(keys) == 1 and body.closed


def test_streaming_response_of_a_stream_gives_its_lines_or_the_stream() -> None:
    script = Script(stream_response(EventBody(chat_events("Hello there"))))
    with sync_client(script) as client:
        streaming = client.messages.with_streaming_response
        with streaming.send_message_stream(CONVERSATION_ID, "x") as response:
            lines = list(response.iter_lines())
        script.answers = [stream_response(EventBody(chat_events("one")))]
        with client.messages.with_streaming_response.send_message_stream(
            CONVERSATION_ID, "y"
        ) as response:
            final = response.parse().final_message()
    assert "event: start" in lines and "event: complete" in lines
    assert final.content == "one"


def test_raw_stream_refused_raises_the_plain_error() -> None:
    script = Script(respond(404, problem(404), headers={"x-request-id": "req-404"}))
    with sync_client(script) as client, pytest.raises(NotFoundError) as raised:
        client.messages.with_raw_response.send_message_stream(CONVERSATION_ID, "hi")
    assert raised.value.request_id == "req-404"
    assert raised.value.request is not None and raised.value.request.method == "POST"


@pytest.mark.anyio
async def test_async_raw_and_streaming_streams(sleeps: list[float]) -> None:
    script = Script(respond(502, problem(502)), stream_response(EventBody(chat_events("a b"))))
    async with async_client(script) as client:
        raw = await client.messages.with_raw_response.send_message_stream(CONVERSATION_ID, "hi")
        async with await raw.parse() as stream:
            assert isinstance(stream, AsyncStream)
            text = [piece async for piece in stream.text_deltas()]
        script.answers = [stream_response(EventBody(chat_events("c")))]
        manager = client.messages.with_streaming_response.send_message_stream(CONVERSATION_ID, "x")
        async with manager as response:
            lines = [line async for line in response.iter_lines()]
        script.answers = [respond(409, problem(409))]
        with pytest.raises(Exception) as raised:
            async with client.agent_conversations.with_streaming_response.stream("agent", "q"):
                pass
    assert text == ["a", " b"] and len(sleeps) == 1
    assert "event: complete" in lines
    assert type(raised.value).__name__ == "ConflictError"
