"""Request bodies over the server's limit get a 413 Problem and change nothing."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator

import pytest
from parley_server.spec import load_contract
from parley_server.testing import InProcessApp, build_app

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

LIMIT = 200


@pytest.fixture
def small() -> Iterator[tuple[TestClient, InProcessApp]]:
    built = build_app(":memory:", max_body_bytes=LIMIT, validate_responses=True)
    with TestClient(built.app) as client:
        yield client, built


def _agent_body(size: int) -> bytes:
    body = json.dumps({"name": "Helper"}).encode()
    return body + b" " * (size - len(body))


def _agents(client: TestClient, built: InProcessApp) -> int:
    r = client.get("/v1/agent", headers={"X-API-Key": built.tenant.read_key})
    assert r.status_code == 200
    return int(r.json()["total"])


def test_a_body_at_the_limit_is_served(small: tuple[TestClient, InProcessApp]) -> None:
    client, built = small
    headers = {"X-API-Key": built.tenant.write_key, "Content-Type": "application/json"}
    r = client.post("/v1/agent", content=_agent_body(LIMIT), headers=headers)
    assert r.status_code == 201, r.text
    assert _agents(client, built) == 1


def test_a_declared_length_over_the_limit_is_refused(
    small: tuple[TestClient, InProcessApp],
) -> None:
    client, built = small
    headers = {"X-API-Key": built.tenant.write_key, "Content-Type": "application/json"}
    r = client.post("/v1/agent", content=_agent_body(LIMIT + 1), headers=headers)
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["type"] == "https://parley.dev/problems/payload-too-large"
    assert problem["detail"] == f"The request body is larger than {LIMIT} bytes."
    assert _agents(client, built) == 0


def test_a_streamed_body_is_refused_once_it_passes_the_limit(
    small: tuple[TestClient, InProcessApp],
) -> None:
    client, built = small
    headers = {"X-API-Key": built.tenant.write_key, "Content-Type": "application/json"}
    chunks = iter([b'{"name": "Helper"', b" " * LIMIT, b"}"])  # no Content-Length: chunked
    r = client.post("/v1/agent", content=chunks, headers=headers)
    assert "content-length" not in r.request.headers
    assert r.status_code == 413
    assert _agents(client, built) == 0


def test_credentials_are_checked_before_the_body(small: tuple[TestClient, InProcessApp]) -> None:
    client, _ = small
    r = client.post("/v1/agent", content=_agent_body(LIMIT * 10))
    assert r.status_code == 401


def test_every_operation_with_a_body_documents_413() -> None:
    contract = load_contract()
    with_body = [op for op in contract.operations.values() if op.body_validator is not None]
    assert with_body
    for op in with_body:
        assert ("413", "application/problem+json") in op.responses, op.operation_id
