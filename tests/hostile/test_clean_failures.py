"""Hostile inputs fail cleanly, the same on SQLite and PostgreSQL (issue 25)."""

from __future__ import annotations

import gzip
import json
import logging
import time
from typing import Any

import jwt
import pytest
from parley_server.testing import InProcessApp
from starlette.testclient import TestClient

App = tuple[TestClient, InProcessApp]
PROBLEMS = "https://parley.dev/problems/"


def _token(built: InProcessApp, **claims: Any) -> dict[str, str]:
    base = {
        "tenant_id": built.tenant.tenant_id,
        "entity_type": "USER",
        "entity_id": "user-1",
        "scopes": ["read", "write"],
        "exp": int(time.time()) + 600,
    }
    token = jwt.encode({**base, **claims}, built.jwt_secret, algorithm="HS256")
    return {"Authorization": f"Bearer {token}"}


def test_a_well_formed_token_is_accepted(app: App) -> None:
    """The baseline the cases below change one claim of."""
    client, built = app
    assert client.get("/v1/agent", headers=_token(built)).status_code == 200


@pytest.mark.parametrize("claim", ["tenant_id", "entity_id", "sub", "scopes"])
def test_a_lone_surrogate_in_a_claim_is_401_and_never_logged(
    app: App, claim: str, caplog: pytest.LogCaptureFixture
) -> None:
    client, built = app
    value: Any = ["read", "write\ud800"] if claim == "scopes" else "u\ud800"
    extra = {"entity_id": None} if claim == "sub" else {}
    caplog.set_level(logging.DEBUG)
    answer = client.get("/v1/agent", headers=_token(built, **{claim: value, **extra}))
    assert answer.status_code == 401, answer.text
    assert answer.json()["type"] == PROBLEMS + "unauthenticated"
    logged = "\n".join(r.getMessage() + str(r.exc_info) for r in caplog.records)
    assert "\ud800" not in logged and "\\ud800" not in logged


@pytest.mark.parametrize("exp", ["9999999999", True, None, {"at": 1}])
def test_an_exp_that_is_not_a_number_is_401(app: App, exp: Any) -> None:
    client, built = app
    answer = client.get("/v1/agent", headers=_token(built, exp=exp))
    assert answer.status_code == 401, answer.text


def test_a_repeated_query_parameter_is_400_naming_it(app: App) -> None:
    client, built = app
    key = {"X-API-Key": built.tenant.write_key}
    answer = client.get("/v1/agent?per_page=1&per_page=100&page=1", headers=key)
    assert answer.status_code == 400, answer.text
    pointers = [e["pointer"] for e in answer.json()["errors"]]
    assert pointers == ["query:per_page"]
    assert client.get("/v1/agent?per_page=1&page=1", headers=key).status_code == 200


def test_a_repeated_json_key_is_400_naming_it(app: App) -> None:
    client, built = app
    headers = {"X-API-Key": built.tenant.write_key, "Content-Type": "application/json"}
    answer = client.post("/v1/agent", content=b'{"name": "a", "name": "b"}', headers=headers)
    assert answer.status_code == 400, answer.text
    assert '"name"' in answer.json()["errors"][0]["detail"]
    nested = b'{"name": "a", "metadata": {"k": 1, "k": 2}}'
    answer = client.post("/v1/agent", content=nested, headers=headers)
    assert answer.status_code == 400 and '"k"' in answer.json()["errors"][0]["detail"]


@pytest.mark.parametrize("encoding", ["gzip", "br", "deflate, identity"])
def test_a_compressed_body_is_415(app: App, encoding: str) -> None:
    client, built = app
    headers = {
        "X-API-Key": built.tenant.write_key,
        "Content-Type": "application/json",
        "Content-Encoding": encoding,
    }
    answer = client.post("/v1/agent", content=gzip.compress(b'{"name": "a"}'), headers=headers)
    assert answer.status_code == 415, answer.text
    assert answer.json()["type"] == PROBLEMS + "unsupported-content-encoding"


def test_an_identity_encoded_body_is_read(app: App) -> None:
    client, built = app
    headers = {
        "X-API-Key": built.tenant.write_key,
        "Content-Type": "application/json",
        "Content-Encoding": "identity",
    }
    assert client.post("/v1/agent", content=b'{"name": "a"}', headers=headers).status_code == 201


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_null_titles_sort_last_in_either_order(app: App, direction: str) -> None:
    client, built = app
    key = {"X-API-Key": built.tenant.write_key}
    agent = client.post("/v1/agent", json={"name": "Sorter"}, headers=key).json()["id"]
    for title in ["b", None, "a", None, "c"]:
        body = {"agent_id": agent, **({"title": title} if title else {})}
        assert client.post("/v1/conversation", json=body, headers=key).status_code == 201
    query = f"/v1/conversation?sort_by=title&sort_order={direction}"
    titles = [c["title"] for c in client.get(query, headers=key).json()["items"]]
    named = ["a", "b", "c"] if direction == "asc" else ["c", "b", "a"]
    assert titles == [*named, None, None]
    assert json.dumps(titles)  # plain JSON values
