"""One pass per call: the generated builder and parser once each, the URL handed over joined.

A call builds its request with the operation module's public ``request_kwargs`` and parses
the answer with its ``parse_response``, once each, and never runs the module's I/O functions.
The ``httpx.Request`` the overlays build themselves is the one ``httpx.Client.build_request``
would build (URL, headers, body), for base URLs with and without a path, quoted path
segments, encoded queries, and clients with their own headers, cookies and query parameters.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import httpx
import pytest
from parley._operation import CallOptions, RequestSpec, build_request
from parley_client.api.conversations import get_conversation, list_conversations

from .client_fakes import CONVERSATION_ID, Script, conversation, respond, sync_client

OVERLAYS = Path(__file__).resolve().parents[2] / "overlays" / "parley"
GENERATED_IO = {"sync", "sync_detailed", "asyncio", "asyncio_detailed"}


def test_a_call_runs_the_builder_and_the_parser_once_and_no_generated_io(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    for name in ("request_kwargs", "parse_response"):
        original = getattr(get_conversation, name)

        def counted(*args: Any, _name: str = name, _original: Any = original, **kw: Any) -> Any:
            calls.append(_name)
            return _original(*args, **kw)

        monkeypatch.setattr(get_conversation, name, counted)
    for name in GENERATED_IO:
        monkeypatch.setattr(get_conversation, name, lambda *a, **k: pytest.fail("I/O function"))
    with sync_client(Script(respond(200, conversation()))) as client:
        client.conversations.get_conversation(CONVERSATION_ID)
    assert calls == ["request_kwargs", "parse_response"]


def test_no_overlay_names_a_private_or_io_function_of_the_generated_client() -> None:
    for path in OVERLAYS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("parley_client"):
                assert not any(alias.name.startswith("_") for alias in node.names), path
            if isinstance(node, ast.Attribute):
                assert node.attr not in GENERATED_IO | {"_get_kwargs", "_parse_response"}, path


CLIENTS = {
    "plain": {"base_url": "http://parley.test"},
    "prefixed": {"base_url": "https://parley.test:8443/api/v2"},
    "slash": {"base_url": "http://parley.test/api/"},
    "headers": {"base_url": "http://parley.test", "headers": {"User-Agent": "me", "X-A": "1"}},
    "cookies": {"base_url": "http://parley.test", "cookies": {"session": "abc"}},
    "params": {"base_url": "http://parley.test", "params": {"tenant": "t1"}},
    "queried": {"base_url": "http://parley.test/api?x=1"},
}
SPECS = [
    RequestSpec("GET", f"/v1/conversation/{CONVERSATION_ID}"),
    RequestSpec("GET", "/v1/conversation", params={"page": 2, "per_page": 5, "status": "active"}),
    RequestSpec("GET", "/agents/a%2Fb%20c/conversations", params={"q": "é & ü", "flag": True}),
    RequestSpec("POST", "/v1/conversation", json={"title": "Ünïcode", "n": None}),
    RequestSpec(
        "POST",
        "/v1/conversation/x/chat",
        json={"message": "hi"},
        headers={"Content-Type": "application/json", "Idempotency-Key": "k"},
    ),
]


@pytest.mark.parametrize("client", sorted(CLIENTS))
@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: f"{spec.method} {spec.url}")
def test_the_request_is_the_one_httpx_would_build(client: str, spec: RequestSpec) -> None:
    call = CallOptions({"X-API-Key": "k", "Accept": "application/json"}, httpx.Timeout(3.0), 0)
    with httpx.Client(**CLIENTS[client]) as http:
        ours = build_request(http, spec, call)
        theirs = http.build_request(
            spec.method, spec.url, params=spec.params or None, json=spec.json, headers=spec.headers
        )
        for name, value in call.headers.items():
            theirs.headers[name] = value
    assert (ours.method, str(ours.url)) == (theirs.method, str(theirs.url))
    assert ours.url.raw_path == theirs.url.raw_path
    assert sorted(ours.headers.multi_items()) == sorted(theirs.headers.multi_items())  # any order
    assert ours.read() == theirs.read()
    assert ours.extensions["timeout"] == httpx.Timeout(3.0).as_dict()


def test_a_changed_base_url_is_followed() -> None:
    spec = list_conversations.request_kwargs(page=1)
    request = RequestSpec("GET", spec["url"], params=spec["params"])
    call = CallOptions({}, httpx.Timeout(1.0), 0)
    with httpx.Client(base_url="http://one.test") as http:
        first = build_request(http, request, call)
        http.base_url = httpx.URL("http://two.test/v")
        second = build_request(http, request, call)
    assert str(first.url) == "http://one.test/v1/conversation?page=1&per_page=20"
    assert str(second.url) == "http://two.test/v/v1/conversation?page=1&per_page=20"
