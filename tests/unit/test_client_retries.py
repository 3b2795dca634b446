"""Retries: backoff on connection errors, 408/429/5xx, Retry-After, Idempotency-Key reuse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from parley import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
)
from parley._retries import MAX_RETRY_AFTER, backoff, retry_after

from .client_fakes import (
    AGENT_ID,
    CONVERSATION_ID,
    EventBody,
    Script,
    async_client,
    conversation,
    problem,
    record_sleeps,
    respond,
    sync_client,
)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    return record_sleeps(monkeypatch)


def test_connection_error_is_retried_with_the_same_idempotency_key(sleeps: list[float]) -> None:
    script = Script(httpx.ConnectError("refused"), respond(201, conversation()))
    with sync_client(script) as client:
        created = client.conversations.create_conversation(AGENT_ID, title="t")
    assert str(created.id) == CONVERSATION_ID
    assert len(script.requests) == 2
    keys = {request.headers["Idempotency-Key"] for request in script.requests}
    assert len(keys) == 1 and keys != {""}
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 0.5


def test_429_waits_for_retry_after_seconds(sleeps: list[float]) -> None:
    script = Script(
        respond(429, problem(429), {"Retry-After": "3"}),
        respond(200, conversation()),
    )
    with sync_client(script) as client:
        client.conversations.get_conversation(CONVERSATION_ID)
    assert sleeps == [3.0]
    assert len(script.requests) == 2


def test_retry_after_http_date_and_cap() -> None:
    now = datetime(2025, 3, 15, 14, 30, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=7), usegmt=True)
    assert retry_after({"retry-after": later}, now=now) == pytest.approx(7.0)
    assert retry_after({"retry-after": "86400"}) == MAX_RETRY_AFTER
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({}) is None


def test_backoff_grows_exponentially_with_jitter() -> None:
    for attempt, ceiling in [(0, 0.5), (1, 1.0), (2, 2.0), (10, 8.0)]:
        delay = backoff(attempt)
        assert 0.75 * ceiling <= delay <= ceiling


def test_503_is_retried_until_it_succeeds(sleeps: list[float]) -> None:
    script = Script(
        respond(503, problem(503)),
        respond(503, problem(503)),
        respond(201, conversation()),
    )
    with sync_client(script) as client:
        client.conversations.create_conversation(AGENT_ID)
    assert len(script.requests) == 3
    assert len({request.headers["Idempotency-Key"] for request in script.requests}) == 1
    assert len(sleeps) == 2


def test_retries_give_up_after_max_retries(sleeps: list[float]) -> None:
    script = Script(respond(503, problem(503, "Service unavailable"), {"Retry-After": "1"}))
    with sync_client(script, max_retries=3) as client, pytest.raises(InternalServerError) as info:
        client.conversations.get_conversation(CONVERSATION_ID)
    assert len(script.requests) == 4
    assert sleeps == [1.0, 1.0, 1.0]
    assert info.value.status_code == 503
    assert info.value.problem is not None and info.value.problem.title == "Service unavailable"


def test_non_problem_503_body_is_still_retried_and_mapped(sleeps: list[float]) -> None:
    def html(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            503, content=b"<html>busy</html>", headers={"content-type": "text/html"}
        )

    script = Script(html)
    with sync_client(script, max_retries=1) as client, pytest.raises(InternalServerError) as info:
        client.conversations.get_conversation(CONVERSATION_ID)
    assert len(script.requests) == 2
    assert info.value.problem is None and info.value.body == b"<html>busy</html>"


def test_408_and_500_are_retried_but_404_is_not(sleeps: list[float]) -> None:
    script = Script(
        respond(408, problem(408)), respond(500, problem(500)), respond(200, conversation())
    )
    with sync_client(script) as client:
        client.conversations.get_conversation(CONVERSATION_ID)
    assert len(script.requests) == 3
    missing = Script(respond(404, problem(404)))
    with sync_client(missing) as client, pytest.raises(NotFoundError):
        client.conversations.get_conversation(CONVERSATION_ID)
    assert len(missing.requests) == 1


def test_per_call_max_retries_zero_disables_retries(sleeps: list[float]) -> None:
    script = Script(respond(429, problem(429), {"Retry-After": "1"}))
    with sync_client(script) as client, pytest.raises(RateLimitError):
        client.conversations.get_conversation(CONVERSATION_ID, max_retries=0)
    assert len(script.requests) == 1 and sleeps == []


def test_timeouts_become_api_timeout_error(sleeps: list[float]) -> None:
    script = Script(httpx.ReadTimeout("slow"))
    with sync_client(script, max_retries=1) as client, pytest.raises(APITimeoutError):
        client.conversations.get_conversation(CONVERSATION_ID)
    assert len(script.requests) == 2


def test_connection_errors_exhausted(sleeps: list[float]) -> None:
    script = Script(httpx.ConnectError("refused"))
    with sync_client(script) as client, pytest.raises(APIConnectionError) as info:
        client.agents.list()
    assert not isinstance(info.value, APITimeoutError)
    assert len(script.requests) == 3


def test_every_post_carries_an_idempotency_key_and_gets_do_not() -> None:
    script = Script(respond(200, {**conversation(), "status": "ended"}))
    with sync_client(script) as client:
        client.conversations.end_conversation(CONVERSATION_ID, rating=4)
        client.conversations.end_conversation(CONVERSATION_ID, rating=4)
    post_keys = [request.headers.get("Idempotency-Key") for request in script.requests]
    assert all(post_keys) and post_keys[0] != post_keys[1]
    reads = Script(respond(200, conversation()))
    with sync_client(reads) as client:
        client.conversations.get_conversation(CONVERSATION_ID)
    assert "Idempotency-Key" not in reads.requests[0].headers


def test_caller_chosen_idempotency_key_is_kept(sleeps: list[float]) -> None:
    script = Script(httpx.ConnectError("refused"), respond(201, conversation()))
    with sync_client(script) as client:
        client.conversations.create_conversation(AGENT_ID, headers={"Idempotency-Key": "mine-1"})
    assert [request.headers["Idempotency-Key"] for request in script.requests] == ["mine-1"] * 2


@pytest.mark.anyio
async def test_async_retries_reuse_the_idempotency_key(sleeps: list[float]) -> None:
    script = Script(
        httpx.ConnectError("refused"),
        respond(429, problem(429), {"Retry-After": "2"}),
        respond(201, conversation()),
    )
    async with async_client(script) as client:
        created = await client.conversations.create_conversation(AGENT_ID)
    assert str(created.id) == CONVERSATION_ID
    assert len({request.headers["Idempotency-Key"] for request in script.requests}) == 1
    assert len(sleeps) == 2 and sleeps[1] == 2.0


def test_a_body_cut_mid_way_is_retried_and_its_connection_freed(sleeps: list[float]) -> None:
    cut = EventBody([b'{"id": '], error=httpx.ReadError("connection reset"))

    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "application/json"}, stream=cut)

    script = Script(broken, respond(200, conversation()))
    with sync_client(script) as client:
        fetched = client.conversations.get_conversation(CONVERSATION_ID)
    assert str(fetched.id) == CONVERSATION_ID
    assert len(script.requests) == 2 and len(sleeps) == 1
    assert cut.closed
