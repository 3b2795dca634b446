"""The access log is written off the request path: a slow log handler never delays an answer."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from parley_server.accesslog import AccessLog, access_log
from parley_server.testing import build_app
from starlette.applications import Starlette
from starlette.testclient import TestClient


class _Gate(logging.Handler):
    """Collects access lines; blocks every emit until ``opened`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.opened = threading.Event()
        self.lines: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.opened.wait(5)
        self.lines.append(json.loads(record.getMessage()))


@pytest.fixture
def gate() -> Iterator[_Gate]:
    handler = _Gate()
    level = access_log.level
    access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        handler.opened.set()
        access_log.removeHandler(handler)
        access_log.setLevel(level)


def test_a_blocked_log_handler_does_not_delay_requests(gate: _Gate) -> None:
    built = build_app()
    with TestClient(built.app) as client:
        started = time.monotonic()
        for _ in range(5):
            assert client.get("/v1/agent", headers={"X-API-Key": built.tenant.read_key}).is_success
        assert client.get("/nowhere").status_code == 404
        assert time.monotonic() - started < 5  # an inline write would wait 5 s per request
        assert gate.lines == []  # nothing written while the handler is blocked
        gate.opened.set()
    # Shutting the app down wrote every pending line, in order.
    assert [(x["method"], x["path"], x["status"]) for x in gate.lines] == [
        *[("GET", "/v1/agent", 200)] * 5,
        ("GET", "/nowhere", 404),
    ]
    assert all(isinstance(x["duration_ms"], float) and x["client"] for x in gate.lines)


def test_access_log_false_logs_nothing(gate: _Gate) -> None:
    gate.opened.set()
    built = build_app(access_log=False)
    with TestClient(built.app) as client:
        assert client.get("/nowhere").status_code == 404
    assert gate.lines == []


def test_close_writes_pending_lines_and_a_later_line_starts_a_new_writer(gate: _Gate) -> None:
    sink = AccessLog()
    sink.add(("GET", "/a", 200, 1.234567, "127.0.0.1", "req_a"))
    sink.add(("POST", "/b", 201, 2.0, None, None))
    gate.opened.set()
    sink.close()
    assert gate.lines == [
        {
            "event": "request",
            "method": "GET",
            "path": "/a",
            "status": 200,
            "duration_ms": 1.23,
            "client": "127.0.0.1",
            "request_id": "req_a",
        },
        {
            "event": "request",
            "method": "POST",
            "path": "/b",
            "status": 201,
            "duration_ms": 2.0,
            "client": None,
            "request_id": None,
        },
    ]
    sink.add(("GET", "/c", 204, 0.5, None, "c-1"))
    sink.close()
    assert [x["path"] for x in gate.lines] == ["/a", "/b", "/c"]
    sink.close()  # closing an idle log is harmless


@pytest.mark.parametrize(("flag", "logged"), [([], True), (["--no-access-log"], False)])
def test_serve_access_log_flag(
    flag: list[str], logged: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn
    from click.testing import CliRunner
    from parley_cli.commands import main
    from parley_server.accesslog import AccessLogMiddleware

    served: list[Starlette] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_options: served.append(app))
    db = f"sqlite:///{tmp_path / 'p.db'}"
    result = CliRunner().invoke(main, ["serve", "--database-url", db, *flag])
    assert result.exit_code == 0, result.output
    assert [m.cls for m in served[0].user_middleware] == ([AccessLogMiddleware] if logged else [])
