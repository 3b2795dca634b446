"""Convention judges proven on broken servers of their own, outside the promise server.

The promise server routes a request to a variant by the tenant key it carries; the requests
of `unauthenticated` carry none (or one nobody issued), so its variant is served alone here;
those of `malformed_http` never reach an ASGI app, so its variants are raw TCP servers.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from parley_contract.checks import ApiClient, CheckContext, Credential
from parley_contract.checks.malformed import PROBES, malformed_http
from parley_contract.promises import PromiseResult, inventory, settle_conventions
from parley_contract.runner import harness_checks
from parley_server.testing import build_app
from parley_spec import load_contract

from tests.harness import broken
from tests.harness.serving import serve

AUTHENTICATION = "convention listAgents authentication"
MALFORMED = "convention listAgents malformed-http"


def test_unauthenticated_catches_a_401_without_schemes(tmp_path: Path) -> None:
    """A 401 without `WWW-Authenticate` on one operation fails `authentication` alone."""
    server = build_app(f"sqlite:///{tmp_path / 'parley.db'}")
    app = broken.drop_response_header(server.app, "GET", "/v1/agent", b"www-authenticate")
    contract = load_contract()
    with serve(app) as url:
        client = ApiClient(url, Credential.api_key(server.tenant.write_key, "PARLEY_API_KEY"))
        try:
            ctx = CheckContext(
                contract, contract.select(include_operation_ids=["listAgents"]), client
            )
            _, report = harness_checks(ctx)
        finally:
            client.close()
    failed = [r.promise.key for r in report.failed]
    assert failed == [AUTHENTICATION], failed
    assert "WWW-Authenticate" in report.result(AUTHENTICATION).detail


@contextmanager
def raw_server(answer: bytes, *, close: bool) -> Iterator[str]:
    """A TCP server on 127.0.0.1 that reads a request's first bytes, sends `answer` whatever
    they were, then closes the connection or not (a server that ignores HTTP/1.1's rules)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    kept: list[socket.socket] = []

    def run() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            conn.recv(65536)
            conn.sendall(answer)
            if close:
                conn.close()
            else:
                kept.append(conn)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in kept:
            conn.close()
        listener.close()


EMPTY_400 = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
EMPTY_200 = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"


@pytest.mark.parametrize(
    ("answer", "close", "says"),
    [
        (EMPTY_400, True, None),
        (EMPTY_200, True, "not 400"),
        (EMPTY_400 + EMPTY_200, True, "a second answer"),
    ],
)
def test_malformed_http_judges_the_answer_and_the_close(
    answer: bytes, close: bool, says: str | None
) -> None:
    """The convention `malformed-http` fails on a server that answers an invalid request
    with anything but one 400 and a close (and passes one that does)."""
    contract = load_contract()
    with raw_server(answer, close=close) as url:
        client = ApiClient(url, None)
        try:
            outcomes = malformed_http(CheckContext(contract, contract.operations, client))
        finally:
            client.close()
    assert len(outcomes) == len(PROBES)
    results = [PromiseResult(p, "not exercised") for p in inventory(contract) if p.key == MALFORMED]
    (result,) = settle_conventions(contract, results, outcomes, None)
    assert result.status == ("passed" if says is None else "failed"), result
    assert says is None or says in result.detail
