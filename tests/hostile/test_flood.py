"""A flood of idle connections neither stops the server nor floods its log (issue 25).

Before the limits, 2 x 10,500 idle sockets used up the server's file descriptors: `/healthz`
timed out, and the log grew by 160 MB of `accept()` tracebacks in 45 s. Here a server with
small limits (50 connections, 1 s head timeout) gets a few hundred idle sockets; every one is
closed (at once beyond the cap, at the head timeout within it), `/healthz` answers once they
are gone, and the log grows by a few lines. Sockets are waited on with `selectors` (the event
is the server's close); the selector's timeout only bounds a hang.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import time

import httpx
import pytest
from parley_server.testing import EmbeddedServer, start_server

from tests.hostile.rawhttp import HANG_BOUND_SECONDS, connect

pytestmark = pytest.mark.slow

SOCKETS = 300
LOG_BOUND_BYTES = 4096
"""What the log may grow by during a flood: a few throttled lines, not one per connection."""


def _flood(server: EmbeddedServer, count: int) -> list[socket.socket]:
    opened = []
    for _ in range(count):
        with contextlib.suppress(OSError):  # refused while the backlog is full: fine
            opened.append(connect(server))
    return opened


def _wait_all_closed(sockets: list[socket.socket]) -> int:
    """Waits until the server closed every socket; returns how many it closed."""
    closed = 0
    with selectors.DefaultSelector() as selector:
        for sock in sockets:
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ)
        deadline = time.monotonic() + HANG_BOUND_SECONDS
        while selector.get_map() and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=1):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                try:
                    data = sock.recv(1024)
                except ConnectionResetError:
                    data = b""
                assert data == b"", data  # an idle connection gets no answer, only a close
                selector.unregister(sock)
                closed += 1
    return closed


def _healthz(server: EmbeddedServer) -> int:
    return httpx.get(server.base_url + "/healthz", timeout=HANG_BOUND_SECONDS).status_code


def _flooded(server: EmbeddedServer) -> tuple[int, bytes]:
    """Open `SOCKETS` idle sockets; the server must close every one, answer `/healthz` after,
    and log less than `LOG_BOUND_BYTES` meanwhile. Returns how many opened and the log's growth.
    """
    before = server.log_path.stat().st_size
    sockets = _flood(server, SOCKETS)
    try:
        assert _wait_all_closed(sockets) == len(sockets)
    finally:
        for sock in sockets:
            sock.close()
    assert _healthz(server) == 200
    grown = server.log_path.read_bytes()[before:]
    assert len(grown) < LOG_BOUND_BYTES, grown[:2000]
    return len(sockets), grown


def test_idle_sockets_are_closed_and_the_server_answers_again() -> None:
    args = ["--head-timeout", "1", "--max-connections", "50"]
    with start_server(serve_args=args) as server:
        opened, grown = _flooded(server)
        assert opened > 250
        assert b"closed at once" in grown  # the cap was reached, and said so once


def test_accept_errors_are_logged_once_per_interval() -> None:
    """With 64 descriptors and the cap above them, accept() fails: a throttled line, no trace."""
    args = ["--head-timeout", "1", "--max-connections", "1000"]
    with start_server(serve_args=args, max_open_files=64) as server:
        # Those accepted are closed by the head timeout; the rest wait in the backlog, are
        # accepted as descriptors free up, and are closed in turn.
        _, grown = _flooded(server)
        assert b"Traceback" not in grown
        assert b"accepting connections failed" in grown
