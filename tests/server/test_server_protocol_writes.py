"""One write per response: the head of a ``Content-Length`` response leaves with its body.

:class:`parley_server.protocol._CheckedConnection` holds back the head of a response whose
length is declared and gives it in front of the next bytes, so uvicorn's two
``transport.write`` calls (head, then body) make one system call and one TCP segment. A
streamed (chunked) response still sends its head at once: a Server-Sent Events client must
see it before the first event, which may come much later.
"""

from __future__ import annotations

import h11
from parley_server.protocol import _CheckedConnection


class _Timers:
    """Stands in for the protocol: the connection only tells it where a request is."""

    def head_received(self) -> None:
        pass

    def body_expected(self) -> None:
        pass

    def body_received(self) -> None:
        pass


def _connection(method: bytes = b"GET") -> _CheckedConnection:
    conn = _CheckedConnection(64 * 1024, _Timers())  # type: ignore[arg-type]
    conn.receive_data(method + b" /v1/agent HTTP/1.1\r\nHost: example\r\n\r\n")
    assert isinstance(conn.next_event(), h11.Request)
    assert isinstance(conn.next_event(), h11.EndOfMessage)
    return conn


def _response(headers: list[tuple[bytes, bytes]]) -> h11.Response:
    return h11.Response(status_code=200, headers=headers, reason=b"OK")


def test_a_fixed_length_head_leaves_with_the_body() -> None:
    conn = _connection()
    assert conn.send(_response([(b"content-length", b"5")])) == b""
    sent = conn.send(h11.Data(data=b"hello"))
    assert sent is not None
    assert sent.startswith(b"HTTP/1.1 200 OK\r\n")
    assert sent.endswith(b"\r\n\r\nhello")
    assert conn.send(h11.EndOfMessage()) == b""
    assert conn.our_state is h11.DONE


def test_an_empty_body_gives_the_head_at_the_end_of_the_message() -> None:
    conn = _connection(b"HEAD")
    assert conn.send(_response([(b"content-length", b"0")])) == b""
    sent = conn.send(h11.EndOfMessage())
    assert sent is not None and sent.startswith(b"HTTP/1.1 200 OK\r\n")
    assert sent.endswith(b"\r\n\r\n")


def test_a_streamed_head_is_sent_at_once() -> None:
    conn = _connection()
    head = conn.send(_response([(b"transfer-encoding", b"chunked")]))
    assert head is not None and head.startswith(b"HTTP/1.1 200 OK\r\n")
    chunk = conn.send(h11.Data(data=b"data: 1\n\n"))
    assert chunk is not None and not chunk.startswith(b"HTTP/")
