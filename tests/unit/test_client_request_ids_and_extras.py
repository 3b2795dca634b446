"""Request ids (sent, shown on errors and in logs) and per-call ``extra_query``/``extra_body``."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from parley import (
    APIResponseValidationError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
)

from .client_fakes import (
    AGENT_ID,
    CONVERSATION_ID,
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


def body_of(request: httpx.Request) -> dict[str, object]:
    data = json.loads(request.content)
    assert isinstance(data, dict)
    return data


# Request ids --------------------------------------------------------------------------------


def test_error_request_id_comes_from_the_header_else_the_problem_member() -> None:
    with_member = {**problem(404), "request_id": "from-body"}
    script = Script(
        respond(404, with_member, headers={"X-Request-ID": "from-header"}),
        respond(404, with_member),
        respond(404, problem(404)),
    )
    errors = []
    with sync_client(script) as client:
        for _ in range(3):
            with pytest.raises(NotFoundError) as raised:
                client.conversations.get_conversation(CONVERSATION_ID)
            errors.append(raised.value)
    assert [error.request_id for error in errors] == ["from-header", "from-body", None]
    assert str(errors[0]).endswith("(request_id: from-header)")
    assert "request_id" not in str(errors[2])
    assert repr(errors[1]) == (
        "NotFoundError('404 Problem: status 404', status_code=404, request_id='from-body')"
    )
    assert all(isinstance(error.response, httpx.Response) for error in errors)
    assert all(error.request is error.response.request for error in errors if error.response)


def test_stream_error_event_carries_the_streams_request_id() -> None:
    events = [
        *chat_events("Hi")[:2],
        b'id: 3\nevent: error\ndata: {"type": "about:blank", "title": "Down", "status": 503}\n\n',
    ]

    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "text/event-stream", "x-request-id": "req-sse"}
        return httpx.Response(200, headers=headers, stream=EventBody(events))

    with sync_client(Script(answer), max_retries=0) as client:
        stream = client.messages.send_message_stream(CONVERSATION_ID, "hi")
        with pytest.raises(InternalServerError) as raised, stream:
            list(stream)
    assert raised.value.request_id == "req-sse"


def test_the_users_request_id_is_sent_from_default_or_call_headers() -> None:
    script = Script(respond(200, conversation()))
    with sync_client(script, default_headers={"X-Request-ID": "client-wide"}) as client:
        client.conversations.get_conversation(CONVERSATION_ID)
        client.conversations.get_conversation(CONVERSATION_ID, headers={"x-request-id": "mine"})
        raw = client.messages.with_raw_response.send_message_stream(
            CONVERSATION_ID, "hi", headers={"X-Request-ID": "stream"}
        )
        raw.close()
    sent = [request.headers.get_list("X-Request-ID") for request in script.requests]
    assert sent == [["client-wide"], ["mine"], ["stream"]]


def test_debug_log_lines_name_the_request_id(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sleeps = record_sleeps(monkeypatch)
    script = Script(
        respond(429, problem(429), headers={"x-request-id": "req-429", "retry-after": "0"}),
        respond(200, conversation(), headers={"x-request-id": "req-200"}),
    )
    with caplog.at_level(logging.DEBUG, logger="parley"), sync_client(script) as client:
        client.conversations.get_conversation(CONVERSATION_ID, headers={"X-Request-ID": "mine"})
    lines = [record.getMessage() for record in caplog.records]
    sent = [line for line in lines if line.startswith("request: GET")]
    assert len(sent) == 2 and all("'x-request-id': 'mine'" in line for line in sent)
    assert any("-> 429 request_id=req-429" in line for line in lines)
    assert any("-> 200 request_id=req-200" in line for line in lines)
    assert any("retrying" in line and "req-429" in line for line in lines)
    assert sleeps == [0.0]


def test_a_final_429_keeps_its_request_id(monkeypatch: pytest.MonkeyPatch) -> None:
    record_sleeps(monkeypatch)
    script = Script(respond(429, problem(429), headers={"x-request-id": "last"}))
    with sync_client(script, max_retries=1) as client, pytest.raises(RateLimitError) as raised:
        client.conversations.get_conversation(CONVERSATION_ID)
    assert raised.value.request_id == "last" and len(script.requests) == 2


def test_a_2xx_that_breaks_the_contract_keeps_its_answer_and_request_id() -> None:
    script = Script(respond(200, {"id": "not-a-conversation"}, headers={"x-request-id": "bad-1"}))
    with sync_client(script) as client:
        with pytest.raises(APIResponseValidationError) as raised:
            client.conversations.get_conversation(CONVERSATION_ID)
        raw = client.conversations.with_raw_response.get_conversation(CONVERSATION_ID)
        with pytest.raises(APIResponseValidationError) as parsed:
            raw.parse()
    error = raised.value
    assert error.request_id == "bad-1" and parsed.value.request_id == "bad-1"
    assert error.response is not None and error.response.status_code == 200
    assert error.request is error.response.request and raw.status_code == 200


# Per-call extras ----------------------------------------------------------------------------


def test_extra_body_and_query_are_merged_over_what_the_method_builds() -> None:
    script = Script(respond(201, conversation()))
    with sync_client(script) as client:
        client.conversations.create_conversation(
            AGENT_ID,
            title="t",
            extra_body={"priority": "high", "tags": ["a"]},
            extra_query={"dry_run": "1"},
        )
        empty = {"items": [], "page": 1, "per_page": 5, "total": 0, "pages": 0}
        script.answers = [respond(200, empty)]
        client.conversations.list_conversations(per_page=5, extra_query={"channel": "web"})
    created, listed = script.requests
    assert body_of(created) == {
        "agent_id": AGENT_ID,
        "title": "t",
        "priority": "high",
        "tags": ["a"],
    }
    assert created.url.params["dry_run"] == "1"
    assert dict(listed.url.params) == {"page": "1", "per_page": "5", "channel": "web"}


def test_an_extra_that_clashes_with_an_argument_is_refused_before_sending() -> None:
    script = Script(respond(201, conversation()))
    with sync_client(script) as client:
        with pytest.raises(ValueError, match="extra_body sets 'title'"):
            client.conversations.create_conversation(
                AGENT_ID, title="t", extra_body={"title": "other"}
            )
        with pytest.raises(ValueError, match="extra_query sets 'page', 'per_page'"):
            client.conversations.list_conversations(extra_query={"per_page": 9, "page": 2})
        with pytest.raises(ValueError, match="extra_body sets 'query'"):
            client.agent_conversations.stream("agent", "q", extra_body={"query": "other"})
        # A member the method leaves out (title not given) is no clash: the extra sends it.
        client.conversations.create_conversation(AGENT_ID, extra_body={"title": "via extra"})
    assert len(script.requests) == 1 and body_of(script.requests[0])["title"] == "via extra"


def test_extras_reach_streams_and_their_resumes(monkeypatch: pytest.MonkeyPatch) -> None:
    record_sleeps(monkeypatch)
    events = chat_events("one two three")
    script = Script(
        stream_response(EventBody(events[:2], error=httpx.ReadError("cut"))),
        stream_response(EventBody(events[2:])),
    )
    with sync_client(script) as client:
        stream = client.messages.send_message_stream(
            CONVERSATION_ID, "hi", extra_body={"temperature": 0.2}, extra_query={"v": "2"}
        )
        with stream:
            assert stream.final_message().content == "one two three"
    assert len(script.requests) == 2
    for request in script.requests:
        assert body_of(request) == {"message": "hi", "temperature": 0.2}
        assert request.url.params["v"] == "2"


def test_extra_body_on_an_operation_without_a_body_becomes_the_body() -> None:
    script = Script(respond(200, conversation()))
    with sync_client(script) as client:
        client.conversations.restore_conversation(CONVERSATION_ID, extra_body={"reason": "x"})
    assert body_of(script.requests[0]) == {"reason": "x"}


@pytest.mark.anyio
async def test_async_extras_and_request_ids() -> None:
    script = Script(respond(201, conversation(), headers={"x-request-id": "a-1"}))
    async with async_client(script, default_headers={"X-Request-ID": "mine"}) as client:
        raw = await client.conversations.with_raw_response.create_conversation(
            AGENT_ID, extra_body={"priority": "low"}, extra_query={"trace": "on"}
        )
        with pytest.raises(ValueError, match="extra_body sets 'agent_id'"):
            await client.conversations.create_conversation(AGENT_ID, extra_body={"agent_id": "x"})
    request = script.requests[0]
    assert body_of(request)["priority"] == "low" and request.url.params["trace"] == "on"
    assert request.headers["X-Request-ID"] == "mine" and raw.request_id == "a-1"
    assert len(script.requests) == 1
