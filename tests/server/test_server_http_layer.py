"""Requests malformed at the HTTP layer get a 400 Problem from `parley serve`, not uvicorn's text.

The server runs as `parley serve` does (a subprocess, uvicorn with ProblemH11Protocol); each
request is written byte for byte on a raw socket, since httpx refuses to send most of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from parley_server.requestid import is_well_formed
from parley_server.testing import EmbeddedServer, start_server

from tests.hostile.rawhttp import exchange

PATH = "/v1/conversation/6f1a2b3c-0000-4000-8000-000000000000/messages"

MALFORMED = {
    "content-length-not-a-number": (
        f"DELETE {PATH} HTTP/1.1\r\nHost: x\r\nX-API-Key: {{key}}\r\nContent-Length: CY2\r\n\r\n"
    ),
    "two-content-lengths": (
        "POST /v1/agent HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{{}}"
    ),
    "header-value-nul-byte": "GET /v1/agent HTTP/1.1\r\nHost: x\r\nX-API-Key: a\x00b\r\n\r\n",
    "header-value-bare-cr": "GET /v1/agent HTTP/1.1\r\nHost: x\r\nX-API-Key: a\rb\r\n\r\n",
    "header-name-control-byte": "GET /v1/agent HTTP/1.1\r\nHost: x\r\nX-\x01: b\r\n\r\n",
    "header-name-with-space": "GET /v1/agent HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n",
    "bad-request-line": "GET/v1/agent\r\nHost: x\r\n\r\n",
    "bad-http-version": "GET /v1/agent HTTP/9\r\nHost: x\r\n\r\n",
    # Over h11's 16 KiB limit before the headers end (the server answers without waiting).
    "oversized-headers": "GET /v1/agent HTTP/1.1\r\nHost: x\r\nX-Big: " + "a" * 40_000,
    "unsupported-transfer-encoding": (
        "POST /v1/agent HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"
    ),
    "no-host-header": "GET /v1/agent HTTP/1.1\r\nX-API-Key: k\r\n\r\n",
}


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with start_server() as running:
        yield running


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_request_gets_a_400_problem(server: EmbeddedServer, name: str) -> None:
    raw = MALFORMED[name].format(key=server.tenant.write_key).encode("latin-1")
    status, headers, body = exchange(server, raw)
    assert status == 400
    assert headers["content-type"] == "application/problem+json"
    assert headers["connection"] == "close"
    problem = json.loads(body)
    assert problem["status"] == 400
    assert problem["type"] == "https://parley.dev/problems/malformed-request"
    assert problem["title"] and problem["detail"]
    # Its request id: in the header and the Problem alike, new (the headers were unreadable).
    assert is_well_formed(headers["x-request-id"])
    assert problem["request_id"] == headers["x-request-id"]


def test_well_formed_request_on_the_same_server_still_works(server: EmbeddedServer) -> None:
    raw = f"GET /v1/agent HTTP/1.1\r\nHost: x\r\nX-API-Key: {server.tenant.read_key}\r\n"
    status, headers, body = exchange(server, (raw + "Connection: close\r\n\r\n").encode())
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert "items" in json.loads(body)


def test_upgrade_header_is_served_as_plain_http(server: EmbeddedServer) -> None:
    raw = (
        f"GET /v1/agent HTTP/1.1\r\nHost: x\r\nX-API-Key: {server.tenant.read_key}\r\n"
        "Connection: Upgrade, close\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    )
    status, headers, _ = exchange(server, raw.encode())
    assert status == 200
    assert headers["content-type"] == "application/json"
