"""Request framing per RFC 9112 over raw sockets against `parley serve` (issue 25).

Each request is written byte for byte (httpx refuses to send most of them); each answer is
read until the server closes the connection.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

import httpx
import pytest
from parley_server.testing import EmbeddedServer, start_server

from tests.hostile.rawhttp import connect, exchange, parse, read_to_close

PROBLEMS = "https://parley.dev/problems/"


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with start_server() as running:
        yield running


def _problem(status: int, headers: dict[str, str], body: bytes, want: int, slug: str) -> None:
    assert status == want, body
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == want
    assert problem["type"] == PROBLEMS + slug


def test_content_length_with_transfer_encoding_is_refused_and_closed(
    server: EmbeddedServer,
) -> None:
    """Framed by Content-Length, the body would be `0\\r\\n` and a second request would follow."""
    smuggled = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    raw = (
        b"POST /v1/agent HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled
    )
    with connect(server) as sock:
        sock.sendall(raw)
        answer = read_to_close(sock)  # returns: the server closed the connection
    status, headers, body = parse(answer)
    _problem(status, headers, body, 400, "malformed-request")
    assert headers["connection"] == "close"
    assert b"HTTP/1.1 200" not in answer  # the smuggled request was never answered


def _head(extra: bytes) -> bytes:
    return b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + extra + b"\r\n"


HEADS = {
    "17 kB header, one write": [_head(b"X-Big: " + b"a" * 17_000 + b"\r\n")],
    "60 kB header, one write": [_head(b"X-Big: " + b"a" * 60_000 + b"\r\n")],
    "100 kB header, one write": [_head(b"X-Big: " + b"a" * 100_000 + b"\r\n")],
    "10,000 small headers, one write": [_head(b"".join(b"X-%d: 1\r\n" % i for i in range(10_000)))],
}
whole = _head(b"X-Big: " + b"a" * 20_000 + b"\r\n")
HEADS["20 kB header in 1 kB writes"] = [whole[i : i + 1024] for i in range(0, len(whole), 1024)]


@pytest.mark.parametrize("name", sorted(HEADS))
def test_a_head_over_16_kib_is_refused_however_it_arrives(
    server: EmbeddedServer, name: str
) -> None:
    with connect(server) as sock:
        with contextlib.suppress(OSError):  # it may answer and close mid-way
            for piece in HEADS[name]:
                sock.sendall(piece)
        status, headers, body = parse(read_to_close(sock))
    _problem(status, headers, body, 400, "malformed-request")


def test_a_head_under_the_limit_is_served(server: EmbeddedServer) -> None:
    raw = _head(b"X-Big: " + b"a" * 15_000 + b"\r\nConnection: close\r\n")
    assert exchange(server, raw)[0] == 200


def test_an_http_version_other_than_1_0_or_1_1_gets_505(server: EmbeddedServer) -> None:
    status, headers, body = exchange(server, b"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n")
    _problem(status, headers, body, 505, "http-version-not-supported")
    assert exchange(server, b"GET /healthz HTTP/1.0\r\n\r\n")[0] == 200


def test_an_encoded_slash_never_separates_segments(server: EmbeddedServer) -> None:
    key = server.tenant.write_key
    with httpx.Client(base_url=server.base_url, headers={"X-API-Key": key}) as client:
        agent = client.post("/v1/agent", json={"name": "Slash"}).json()["id"]
        cid = client.post("/v1/conversation", json={"agent_id": agent}).json()["id"]
        for slash in (b"%2F", b"%2f"):
            raw = (
                b"POST /v1/conversation/%s%send HTTP/1.1\r\nHost: x\r\nX-API-Key: %s\r\n"
                b"Content-Type: application/json\r\nContent-Length: 2\r\n"
                b"Connection: close\r\n\r\n{}" % (cid.encode(), slash, key.encode())
            )
            status, headers, body = exchange(server, raw)
            _problem(status, headers, body, 404, "not-found")
        assert client.get(f"/v1/conversation/{cid}").json()["status"] == "active"


@pytest.mark.parametrize(
    ("range_", "status", "slug"),
    [
        ("bytes=999999999-", 416, "range-not-satisfiable"),
        ("bytes=abc", 400, "malformed-range"),
        ("lines=1-2", 400, "malformed-range"),
    ],
)
def test_a_bad_range_on_a_docs_asset_is_a_problem(
    server: EmbeddedServer, range_: str, status: int, slug: str
) -> None:
    answer = httpx.get(server.base_url + "/docs/assets/swagger-ui.css", headers={"Range": range_})
    _problem(answer.status_code, dict(answer.headers), answer.content, status, slug)
    if status == 416:
        assert answer.headers["content-range"].startswith("bytes */")
    assert answer.headers["x-request-id"] == answer.json()["request_id"]


def test_a_good_range_on_a_docs_asset_is_served(server: EmbeddedServer) -> None:
    answer = httpx.get(
        server.base_url + "/docs/assets/swagger-ui.css", headers={"Range": "bytes=0-9"}
    )
    assert answer.status_code == 206 and len(answer.content) == 10
