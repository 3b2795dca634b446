"""Every answer carries `X-Request-ID` (echoed when well-formed), in Problems and the log too."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from parley_server.accesslog import access_log
from parley_server.requestid import (
    MAX_REQUEST_ID_LENGTH,
    REQUEST_ID_PATTERN,
    is_well_formed,
    new_request_id,
    request_id_for,
)
from parley_server.testing import build_app
from parley_spec import load_contract
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.server.conftest import Api, ServeApp
from tests.server.srv_sse import parse as parse_sse

WELL_FORMED = [
    "a",
    "req_5f0c3a9b1e7d4c2a8b6e0f1d",
    "0f8c9a7e-3b1d-4e6f-8a2c-5d7e9f1b3c4a",
    "trace:abc/def+ghi=jk@host.example-1_2",
    "x" * MAX_REQUEST_ID_LENGTH,
]
MALFORMED = {
    "empty": "",
    "too-long": "x" * (MAX_REQUEST_ID_LENGTH + 1),
    "space": "two words",
    "comma": "a,b",
    "quote": 'say"hi',
    "semicolon": "a;b",
    "backslash": "a\\b",
    "non-ascii": "caf\u00e9",
}


def _new_ids(count: int) -> set[str]:
    return {new_request_id() for _ in range(count)}


def test_well_formedness_follows_the_contract_pattern() -> None:
    contract_pattern = load_contract().document["components"]["schemas"]["RequestId"]["pattern"]
    assert contract_pattern == REQUEST_ID_PATTERN
    assert all(is_well_formed(value) for value in WELL_FORMED)
    assert not any(is_well_formed(value) for value in MALFORMED.values())


def test_new_ids_are_well_formed_and_distinct() -> None:
    ids = _new_ids(1000)
    assert len(ids) == 1000
    assert all(is_well_formed(i) and i.startswith("req_") and len(i) == 28 for i in ids)


def test_the_first_of_repeated_headers_counts() -> None:
    headers = [(b"x-request-id", b"first"), (b"x-request-id", b"second")]
    assert request_id_for(headers) == "first"
    assert request_id_for([(b"x-request-id", b"caf\xc3\xa9")]).startswith("req_")


@pytest.mark.parametrize("given", WELL_FORMED, ids=lambda v: v[:12])
def test_a_well_formed_id_is_echoed(api: Api, given: str) -> None:
    r = api.client.get("/v1/agent", headers={**api.read, "X-Request-ID": given})
    assert r.status_code == 200
    assert r.headers["x-request-id"] == given


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_id_is_replaced_not_rejected(api: Api, name: str) -> None:
    given = MALFORMED[name].encode("utf-8")
    r = api.client.get("/v1/agent", headers=[*api.read.items(), ("X-Request-ID", given)])
    assert r.status_code == 200
    answered = r.headers["x-request-id"]
    assert answered.encode() != given
    assert is_well_formed(answered) and answered.startswith("req_")


def test_without_an_id_each_answer_gets_its_own(api: Api) -> None:
    answers = [api.client.get("/v1/agent", headers=api.read) for _ in range(5)]
    ids = {r.headers["x-request-id"] for r in answers}
    assert len(ids) == 5
    assert all(is_well_formed(i) for i in ids)
    assert all(len(r.headers.get_list("x-request-id")) == 1 for r in answers)


def _problem_carries_the_id(response: Any) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["request_id"] == response.headers["x-request-id"]
    return problem


def test_problems_on_the_dispatch_path_carry_the_id(api: Api) -> None:
    unknown = "/v1/conversation/6f1a2b3c-0000-4000-8000-000000000000"
    cases = [
        api.client.get("/v1/agent", headers={"X-Request-ID": "mine-401"}),  # no credential
        api.client.post("/v1/agent", json={"name": "x"}, headers=api.read),  # 403
        api.client.get(unknown, headers={**api.write, "X-Request-ID": "mine-404"}),
        api.client.post("/v1/agent", json={"name": 5}, headers=api.write),  # 400
        api.client.put("/v1/agent", headers=api.write),  # 405 from the dispatcher
        api.client.get("/no/such/path"),  # 404 from Starlette's router
    ]
    assert [r.status_code for r in cases] == [401, 403, 404, 400, 405, 404]
    for r in cases:
        _problem_carries_the_id(r)
    assert cases[0].json()["request_id"] == "mine-401"
    assert cases[2].json()["request_id"] == "mine-404"


def test_a_reused_idempotency_key_problem_carries_the_new_requests_id(api: Api) -> None:
    keyed = {**api.write, "Idempotency-Key": "k-1"}
    first = api.client.post("/v1/agent", json={"name": "A"}, headers=keyed)
    assert first.status_code == 201
    again = api.client.post("/v1/agent", json={"name": "B"}, headers=keyed)
    assert again.status_code == 422
    assert _problem_carries_the_id(again)["request_id"] != first.headers["x-request-id"]


def test_a_replayed_answer_carries_the_replaying_requests_id(api: Api) -> None:
    keyed = {**api.write, "Idempotency-Key": "k-2"}
    first = api.client.post("/v1/agent", json={"name": "A"}, headers=keyed)
    replay = api.client.post(
        "/v1/agent", json={"name": "A"}, headers={**keyed, "X-Request-ID": "replay-1"}
    )
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == first.json()
    assert replay.headers["x-request-id"] == "replay-1"


def test_413_and_unhandled_errors_carry_the_id(serve_app: ServeApp) -> None:
    async def boom(_request: Request) -> Response:
        raise RuntimeError("boom")

    client, built = serve_app(max_body_bytes=100, extra_routes=[Route("/boom", boom)])
    big = client.post(
        "/v1/agent",
        content=b'{"name": "' + b"x" * 200 + b'"}',
        headers={
            "X-API-Key": built.tenant.write_key,
            "Content-Type": "application/json",
            "X-Request-ID": "big-1",
        },
    )
    assert big.status_code == 413
    assert _problem_carries_the_id(big)["request_id"] == "big-1"
    # Raised past every handler: Starlette's outermost error layer answers, still with the id.
    crashed = client.get("/boom", headers={"X-Request-ID": "crash-1"})
    assert crashed.status_code == 500
    assert _problem_carries_the_id(crashed)["request_id"] == "crash-1"


def test_draining_503s_and_the_probes_carry_the_id(serve_app: ServeApp) -> None:
    client, built = serve_app()
    healthy = client.get("/healthz")
    assert healthy.status_code == 200 and is_well_formed(healthy.headers["x-request-id"])
    assert is_well_formed(client.get("/openapi.yaml").headers["x-request-id"])
    built.app.state.parley.draining = True
    refused = client.get("/v1/agent", headers={"X-API-Key": built.tenant.read_key})
    assert refused.status_code == 503
    _problem_carries_the_id(refused)
    not_ready = client.get("/readyz", headers={"X-Request-ID": "probe-1"})
    assert not_ready.status_code == 503
    assert _problem_carries_the_id(not_ready)["request_id"] == "probe-1"


def test_a_stream_carries_the_id_in_its_header(api: Api) -> None:
    cid = api.conversation()["id"]
    headers = {**api.write, "Accept": "text/event-stream", "X-Request-ID": "stream-1"}
    r = api.client.post(f"/v1/conversation/{cid}/chat", json={"message": "hi"}, headers=headers)
    assert r.status_code == 200
    assert r.headers["x-request-id"] == "stream-1"
    assert [e["event"] for e in parse_sse(r.text)][-1] == "complete"


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(record.getMessage()))


@pytest.fixture
def logged() -> Iterator[_Lines]:
    handler = _Lines()
    level = access_log.level
    access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        access_log.removeHandler(handler)
        access_log.setLevel(level)


def test_the_access_log_line_holds_the_answered_id(logged: _Lines) -> None:
    built = build_app()
    with TestClient(built.app) as client:
        sent = client.get(
            "/v1/agent", headers={"X-API-Key": built.tenant.read_key, "X-Request-ID": "log-1"}
        )
        made = client.get("/nowhere")
    # Shutting the app down wrote every pending line.
    by_path = {line["path"]: line for line in logged.lines}
    assert by_path["/v1/agent"]["request_id"] == sent.headers["x-request-id"] == "log-1"
    assert by_path["/nowhere"]["request_id"] == made.headers["x-request-id"]
