"""Client options: auth, per-call headers/timeout/max_retries, with_options isolation."""

from __future__ import annotations

import logging
import uuid

import httpx
import pytest
from parley import AsyncParley, Parley

from .client_fakes import (
    AGENT_ID,
    BASE_URL,
    CONVERSATION_ID,
    Script,
    async_client,
    conversation,
    respond,
    sync_client,
)


def test_api_key_and_bearer_token_headers() -> None:
    script = Script(respond(200, conversation()))
    with sync_client(script, api_key="k-1") as client:
        client.conversations.get_conversation(CONVERSATION_ID)
    with sync_client(script, api_key=None, bearer_token="jwt-1") as client:
        client.conversations.get_conversation(CONVERSATION_ID)
    assert script.requests[0].headers["X-API-Key"] == "k-1"
    assert "Authorization" not in script.requests[0].headers
    assert script.requests[1].headers["Authorization"] == "Bearer jwt-1"
    assert "X-API-Key" not in script.requests[1].headers


def test_seed_aliases_server_url_and_bearer_auth() -> None:
    script = Script(respond(200, []))
    http = httpx.Client(transport=httpx.MockTransport(script))
    with Parley(server_url=BASE_URL, bearer_auth="tok", http_client=http) as client:
        assert client.agent_conversations.list(agent_key="a") == []
    assert str(script.requests[0].url) == f"{BASE_URL}/agents/a/conversations"
    assert script.requests[0].headers["Authorization"] == "Bearer tok"


def test_per_call_options_do_not_leak_into_the_client() -> None:
    script = Script(respond(200, conversation()))
    with sync_client(script, timeout=30.0) as client:
        client.conversations.get_conversation(
            CONVERSATION_ID, headers={"X-Trace": "1", "X-API-Key": "other"}, timeout=2.5
        )
        client.conversations.get_conversation(CONVERSATION_ID)
        assert client.timeout == httpx.Timeout(30.0)
    first, second = script.requests
    assert first.headers["X-Trace"] == "1" and first.headers["X-API-Key"] == "other"
    assert first.extensions["timeout"] == httpx.Timeout(2.5).as_dict()
    assert "X-Trace" not in second.headers and second.headers["X-API-Key"] == "secret-key"
    assert second.extensions["timeout"] == httpx.Timeout(30.0).as_dict()


def test_with_options_copies_and_shares_the_pool() -> None:
    script = Script(respond(200, conversation()))
    parent = sync_client(script, max_retries=2)
    child = parent.with_options(
        api_key="child-key", timeout=9.0, max_retries=0, default_headers={"X-Tenant": "t2"}
    )
    assert child._http is parent._http
    assert child.max_retries == 0 and parent.max_retries == 2
    assert child.conversations is not parent.conversations
    child.conversations.get_conversation(CONVERSATION_ID)
    parent.conversations.get_conversation(CONVERSATION_ID)
    from_child, from_parent = script.requests
    assert from_child.headers["X-API-Key"] == "child-key" and from_child.headers["X-Tenant"] == "t2"
    assert from_child.extensions["timeout"] == httpx.Timeout(9.0).as_dict()
    assert (
        from_parent.headers["X-API-Key"] == "secret-key" and "X-Tenant" not in from_parent.headers
    )
    assert parent.timeout == httpx.Timeout(60.0, connect=5.0)
    switched = parent.with_options(bearer_token="jwt")
    switched.conversations.get_conversation(CONVERSATION_ID)
    assert script.requests[2].headers["Authorization"] == "Bearer jwt"
    assert "X-API-Key" not in script.requests[2].headers
    parent.close()
    assert child._http.is_closed


def test_base_url_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARLEY_BASE_URL", raising=False)
    with pytest.raises(ValueError, match="base_url"):
        Parley()


def test_debug_log_redacts_secrets(caplog: pytest.LogCaptureFixture) -> None:
    script = Script(respond(200, conversation()))
    with caplog.at_level(logging.DEBUG, logger="parley"), sync_client(script) as client:
        client.conversations.get_conversation(CONVERSATION_ID)
    assert "request: GET" in caplog.text
    assert "secret-key" not in caplog.text and "<redacted>" in caplog.text


@pytest.mark.anyio
async def test_async_per_call_options_and_with_options() -> None:
    script = Script(respond(200, conversation()))
    async with async_client(script) as client:
        copy = client.with_options(api_key="k2")
        assert isinstance(copy, AsyncParley)
        await copy.conversations.get_conversation(CONVERSATION_ID, headers={"X-Trace": "a"})
        await client.conversations.get_conversation(CONVERSATION_ID)
    assert script.requests[0].headers["X-API-Key"] == "k2"
    assert script.requests[0].headers["X-Trace"] == "a"
    assert script.requests[1].headers["X-API-Key"] == "secret-key"
    assert "X-Trace" not in script.requests[1].headers


def test_parley_log_env_attaches_a_debug_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    from parley._logging import logger, setup_logging

    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    monkeypatch.setenv("PARLEY_LOG", "debug")
    setup_logging()
    assert logger.level == logging.DEBUG and len(logger.handlers) == 1
    setup_logging()
    assert len(logger.handlers) == 1


def test_retry_is_logged_with_its_reason(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("parley._retries.sleep", lambda seconds: None)
    script = Script(httpx.ConnectError("refused"), respond(200, conversation()))
    with caplog.at_level(logging.DEBUG, logger="parley"), sync_client(script) as client:
        client.conversations.get_conversation(CONVERSATION_ID)
    assert "retrying get_conversation" in caplog.text and "ConnectError: refused" in caplog.text


def test_idempotency_keys_are_fresh_uuid4s_unless_given() -> None:
    script = Script(respond(201, conversation()))
    with sync_client(script) as client:
        client.conversations.create_conversation(AGENT_ID)
        client.conversations.create_conversation(AGENT_ID)
        client.conversations.create_conversation(AGENT_ID, headers={"idempotency-key": "mine"})
        keyed = client.with_options(default_headers={"Idempotency-Key": "fixed"})
        keyed.conversations.create_conversation(AGENT_ID)
    generated = [uuid.UUID(request.headers["Idempotency-Key"]) for request in script.requests[:2]]
    assert generated[0] != generated[1]
    assert all(key.version == 4 and key.variant == uuid.RFC_4122 for key in generated)
    assert str(generated[0]) == script.requests[0].headers["Idempotency-Key"]
    assert script.requests[2].headers.get_list("Idempotency-Key") == ["mine"]
    assert script.requests[3].headers.get_list("Idempotency-Key") == ["fixed"]


def test_a_request_cannot_change_the_timeout_of_other_calls() -> None:
    def meddle(request: httpx.Request) -> None:
        with pytest.raises(TypeError):
            request.extensions["timeout"]["read"] = 0.001

    script = Script(respond(200, conversation()))
    http = httpx.Client(transport=httpx.MockTransport(script))
    with Parley(BASE_URL, api_key="k", http_client=http, timeout=30.0) as client:
        http.event_hooks["request"].append(meddle)  # runs after the client's own hook
        client.conversations.get_conversation(CONVERSATION_ID)
        client.conversations.get_conversation(CONVERSATION_ID, timeout=1.0)
        client.conversations.get_conversation(CONVERSATION_ID)
    timeouts = [dict(request.extensions["timeout"]) for request in script.requests]
    assert timeouts == [httpx.Timeout(t).as_dict() for t in (30.0, 1.0, 30.0)]


def test_request_log_is_not_built_unless_debug_is_on(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(headers: object) -> dict[str, str]:
        raise AssertionError("redact called with debug logging off")

    monkeypatch.setattr("parley._base.redact", fail)
    monkeypatch.setattr("parley._logging.logger.level", logging.INFO)
    script = Script(respond(200, conversation()))
    with sync_client(script) as client:
        client.conversations.get_conversation(CONVERSATION_ID)
    assert script.requests[0].headers["X-API-Key"] == "secret-key"
