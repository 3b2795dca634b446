"""Connections are bounded: head, body and idle timeouts, and a per-process cap (issue 25).

Each server runs as `parley serve` does, with limits small enough to reach in a test; each case
waits for the server to close the socket (the event), with a read timeout well above the
server's limit only as a bound against a hang: a server without the limit fails the case.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from parley_server.testing import EmbeddedServer, start_server

from tests.hostile.rawhttp import connect, parse, read_response, read_to_close

LIMITS = ["--head-timeout", "1", "--body-timeout", "1", "--keep-alive", "1"]


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with start_server(serve_args=[*LIMITS, "--max-connections", "50"]) as running:
        yield running


def test_a_connection_that_sends_nothing_is_closed(server: EmbeddedServer) -> None:
    with connect(server) as sock:
        assert read_to_close(sock) == b""


def test_a_head_that_never_ends_is_closed(server: EmbeddedServer) -> None:
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        assert read_to_close(sock) == b""


def test_trickled_header_lines_do_not_keep_a_connection(server: EmbeddedServer) -> None:
    """A line every 0.1 s: each arrives well within any per-read limit, the head never ends."""
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        sock.settimeout(0.1)
        for line in range(200):  # 20 s of lines at most
            try:
                sock.sendall(b"X-Line-%d: 1\r\n" % line)
            except OSError:
                break  # closed
            try:
                if sock.recv(1) == b"":
                    break
            except TimeoutError:
                continue
        else:
            pytest.fail("the server kept a trickling head open")
        assert line < 100  # closed near the 1 s head timeout, not at the loop's end


def test_a_later_head_that_never_ends_is_closed(server: EmbeddedServer) -> None:
    """After a served request, the next head's first bytes start the head timer.

    The bytes also stop the idle (keep-alive) timer, so only the head timer can close it.
    """
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_response(sock)[0] == 200
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        assert read_to_close(sock) == b""


def test_a_declared_body_that_never_arrives_is_closed(server: EmbeddedServer) -> None:
    key = server.tenant.write_key
    with connect(server) as sock:
        sock.sendall(
            b"POST /v1/agent HTTP/1.1\r\nHost: x\r\nX-API-Key: %s\r\n"
            b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na'
            % key.encode("ascii")
        )
        assert read_to_close(sock) == b""


def test_an_idle_keep_alive_connection_is_closed(server: EmbeddedServer) -> None:
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = read_to_close(sock)  # the answer, then the close after the idle timeout
    status, _, body = parse(answer)
    assert status == 200 and body == b'{"status":"ok"}'


def test_a_keep_alive_connection_serves_request_after_request(server: EmbeddedServer) -> None:
    """The timers stop at each request's end: bodies and heads on one connection are served."""
    with connect(server) as sock:
        for _ in range(3):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_response(sock)[0] == 200
            sock.sendall(
                b"POST /v1/agent HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 2\r\n\r\n{}"
            )
            assert read_response(sock)[0] == 401


def test_connections_beyond_the_cap_are_closed_at_once() -> None:
    """With the cap held by idle sockets, one more is closed long before any timeout."""
    with start_server(serve_args=["--head-timeout", "60", "--max-connections", "5"]) as server:
        held: list[socket.socket] = []
        try:
            for _ in range(5):
                held.append(connect(server))
            extra = connect(server)
            extra.settimeout(10)  # well under the 60 s head timeout
            with extra:
                assert read_to_close(extra) == b""
            log = server.log_path.read_text()
            assert "closed at once" in log
        finally:
            for sock in held:
                sock.close()
        # Once they are gone, the server answers again.
        with connect(server) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert parse(read_to_close(sock))[0] == 200
