"""The route table is the spec's operation set; the app refuses to start otherwise."""

from __future__ import annotations

import re

import pytest
from parley_server.app import create_app
from parley_server.handlers import HANDLERS
from parley_server.health import PROBE_PATHS
from parley_server.reference import reference_routes
from parley_server.spec import compile_contract
from parley_spec import Contract, load_contract


def test_routes_equal_spec_operations() -> None:
    contract = compile_contract()
    app = create_app()
    served = set()
    for route in app.routes:
        for method in getattr(route, "methods", None) or ():
            served.add((method, route.path))  # type: ignore[attr-defined]
    spec = {(op.method, op.path) for op in contract.operations.values()}
    documentation = {(m, r.path) for r in reference_routes(contract) for m in r.methods or ()}
    probes = {(m, p) for m, p in served if p in PROBE_PATHS}  # outside the contract
    assert probes == {(m, p) for p in PROBE_PATHS for m in ("GET", "HEAD")}
    assert served - probes == spec | documentation
    assert len(spec) == len(contract.operations)
    assert set(HANDLERS) == set(contract.operations)


def test_app_refuses_a_spec_with_an_unserved_operation() -> None:
    document = load_contract().document
    extra = {
        **document,
        "paths": {
            **document["paths"],
            "/v1/extra": {
                "get": {"operationId": "extraOperation", "responses": {"200": {"description": "x"}}}
            },
        },
    }
    with pytest.raises(RuntimeError, match="extraOperation"):
        create_app(contract=Contract(extra))


def test_literal_paths_win_over_templates(api) -> None:  # type: ignore[no-untyped-def]
    r = api.client.patch("/v1/conversation/deleted", headers=api.write)
    assert r.status_code == 405
    assert r.headers["allow"] == "GET"
    assert r.headers["content-type"] == "application/problem+json"
    r = api.client.get("/v1/nowhere", headers=api.write)
    assert r.status_code == 404
    assert re.match(r"https://parley.dev/problems/", r.json()["type"])


def test_stream_is_not_an_agent_conversation_id(api) -> None:  # type: ignore[no-untyped-def]
    # The literal path /agents/{agentKey}/conversations/stream wins over the conversation's path,
    # so the spec excludes "stream" from conversationId and a GET or DELETE there answers 405.
    schema = load_contract().document["components"]["parameters"]["AgentConversationId"]["schema"]
    assert schema["not"] == {"const": "stream"}
    item = load_contract().document["paths"]["/agents/{agentKey}/conversations/{conversationId}"]
    assert all("405" in item[method]["responses"] for method in ("get", "delete"))
    agent = api.agent()
    for method in ("GET", "DELETE"):
        r = api.client.request(method, f"/agents/{agent}/conversations/stream", headers=api.write)
        assert r.status_code == 405, (method, r.text)
        assert r.headers["allow"] == "POST"
