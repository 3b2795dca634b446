"""Request bodies over the server's limit get a 413 Problem and change nothing."""

from __future__ import annotations

import json
from typing import Any

from parley_server.spec import compile_contract

LIMIT = 200


def _agent_body(size: int) -> bytes:
    body = json.dumps({"name": "Helper"}).encode()
    return body + b" " * (size - len(body))


def _post_agent(serve_app: Any, content: Any) -> tuple[Any, int]:
    """POSTs ``content`` to createAgent; returns the answer and how many agents exist after."""
    client, built = serve_app(max_body_bytes=LIMIT)
    headers = {"X-API-Key": built.tenant.write_key, "Content-Type": "application/json"}
    r = client.post("/v1/agent", content=content, headers=headers)
    listed = client.get("/v1/agent", headers={"X-API-Key": built.tenant.read_key})
    assert listed.status_code == 200
    return r, int(listed.json()["total"])


def test_a_body_at_the_limit_is_served(serve_app: Any) -> None:
    r, agents = _post_agent(serve_app, _agent_body(LIMIT))
    assert r.status_code == 201, r.text
    assert agents == 1


def test_a_declared_length_over_the_limit_is_refused(serve_app: Any) -> None:
    r, agents = _post_agent(serve_app, _agent_body(LIMIT + 1))
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["type"] == "https://parley.dev/problems/payload-too-large"
    assert problem["detail"] == f"The request body is larger than {LIMIT} bytes."
    assert agents == 0


def test_a_streamed_body_is_refused_once_it_passes_the_limit(serve_app: Any) -> None:
    chunks = iter([b'{"name": "Helper"', b" " * LIMIT, b"}"])  # no Content-Length: chunked
    r, agents = _post_agent(serve_app, chunks)
    assert "content-length" not in r.request.headers
    assert r.status_code == 413
    assert agents == 0


def test_credentials_are_checked_before_the_body(serve_app: Any) -> None:
    client, _ = serve_app(max_body_bytes=LIMIT)
    r = client.post("/v1/agent", content=_agent_body(LIMIT * 10))
    assert r.status_code == 401


def test_every_operation_with_a_body_documents_413() -> None:
    contract = compile_contract()
    with_body = [op for op in contract.operations.values() if op.body_validator is not None]
    assert with_body
    for op in with_body:
        assert ("413", "application/problem+json") in op.responses, op.operation_id
