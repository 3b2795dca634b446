"""Raw-socket helpers for the hostile suite: bytes written as given, answers read to the close."""

from __future__ import annotations

import contextlib
import socket
from urllib.parse import urlsplit

from parley_server.testing import EmbeddedServer

HANG_BOUND_SECONDS = 20.0
"""How long a socket read may block before the test fails: a bound against a hang only."""


def connect(server: EmbeddedServer) -> socket.socket:
    """Opens a TCP connection to ``server`` whose reads give up after the hang bound."""
    parts = urlsplit(server.base_url)
    return socket.create_connection(
        (parts.hostname or "127.0.0.1", parts.port or 80), timeout=HANG_BOUND_SECONDS
    )


def read_to_close(sock: socket.socket) -> bytes:
    """Reads until the server closes the connection (or resets it); returns what it sent."""
    chunks = []
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Reads one answer with a ``Content-Length`` body from a connection that stays open."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += _recv(sock)
    status, headers, body = parse(data)
    while len(body) < int(headers.get("content-length", "0")):
        body += _recv(sock)
    return status, headers, body


def _recv(sock: socket.socket) -> bytes:
    chunk = sock.recv(65536)
    if not chunk:
        raise ConnectionError("the server closed the connection mid-answer")
    return chunk


def exchange(server: EmbeddedServer, raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """Sends ``raw``, reads until the server closes; returns status, headers and body."""
    with connect(server) as sock:
        with contextlib.suppress(OSError):  # it may answer before reading all of ``raw``
            sock.sendall(raw)
        answer = read_to_close(sock)
    return parse(answer)


def parse(answer: bytes) -> tuple[int, dict[str, str], bytes]:
    """Splits one HTTP/1.1 answer into status, lower-cased headers and body."""
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body
