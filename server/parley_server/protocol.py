"""The HTTP/1.1 protocol the reference server runs under uvicorn: malformed requests get a Problem.

uvicorn answers a request that h11 cannot parse (a bad request line, a ``Content-Length`` such
as ``CY2``, header bytes outside the grammar, headers over h11's 16 KiB limit, an unsupported
``Transfer-Encoding``) with ``400 text/plain "Invalid HTTP request received."`` before the app
runs. The contract says every 4xx answer is ``application/problem+json``, so
:class:`ProblemH11Protocol` writes the same 400 as a Problem Details document instead.

Every such request gets 400, the status every operation documents for a request that does not
match the contract (h11's hints of 431 and 501 are not used: no operation documents them). Like
every answer it carries an ``X-Request-ID`` header, and the Problem its ``request_id``: always a
new id, since the request's own headers could not be read.
"""

from __future__ import annotations

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from .requestid import REQUEST_ID_HEADER, new_request_id

__all__ = ["MALFORMED_REQUEST_PROBLEM", "ProblemH11Protocol", "malformed_request_body"]

MALFORMED_REQUEST_PROBLEM: dict[str, str | int] = {
    "type": PROBLEM_BASE + "malformed-request",
    "title": "Malformed HTTP request",
    "status": 400,
    "detail": (
        "The request is not valid HTTP/1.1 (request line, header names or values, "
        "Content-Length, Transfer-Encoding or header size); it was not processed."
    ),
}
"""The Problem sent for a request h11 refused (``type`` ``.../malformed-request``), less its id."""


def malformed_request_body(request_id: str) -> bytes:
    """Returns the JSON of :data:`MALFORMED_REQUEST_PROBLEM` with ``request_id`` added."""
    return json.dumps({**MALFORMED_REQUEST_PROBLEM, "request_id": request_id}).encode("ascii")


class ProblemH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, answering unparseable requests with a 400 Problem.

    Pass the class as ``uvicorn.run(app, http=ProblemH11Protocol)``. Everything else (keep-alive,
    pipelining, flow control) is uvicorn's.
    """

    def send_400_response(self, msg: str) -> None:
        """Writes ``400 application/problem+json`` with a new request id and closes the connection.

        Called by uvicorn when h11 raises ``RemoteProtocolError``. When a response has already
        started on this connection (the request body turned malformed mid-way), no second
        response can be written: the connection is closed.

        Args:
            msg: uvicorn's text ("Invalid HTTP request received."), already logged by it.
        """
        if self.conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            self.transport.close()
            return
        request_id = new_request_id()
        body = malformed_request_body(request_id)
        headers = [
            (b"content-type", PROBLEM_MEDIA_TYPE.encode("ascii")),
            (b"content-length", str(len(body)).encode("ascii")),
            (REQUEST_ID_HEADER.encode("ascii"), request_id.encode("ascii")),
            (b"connection", b"close"),
        ]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self.transport.close()
