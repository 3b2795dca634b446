"""Fixtures for the reference server tests: SQLite always, PostgreSQL when configured."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from parley_server.testing import InProcessApp, build_app

from tests.postgres import postgres_param

with warnings.catch_warnings():
    # Starlette asks for httpx2 in its test client; httpx is what this project pins.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

SQLITE_FILE = "sqlite-file"
"""A SQLite file in a temporary folder: its reads take the inline path of ``db.py``."""
BACKENDS = [pytest.param(":memory:", id="sqlite"), pytest.param(SQLITE_FILE, id=SQLITE_FILE)]
BACKENDS.append(postgres_param())  # skipped, with the reason, when unset


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == SQLITE_FILE:
        return f"sqlite:///{tmp_path / 'parley.db'}"
    return str(request.param)


@dataclass
class Api:
    """An in-process server with two tenants and a sync client."""

    client: TestClient
    built: InProcessApp

    @property
    def write(self) -> dict[str, str]:
        return {"X-API-Key": self.built.tenant.write_key}

    @property
    def read(self) -> dict[str, str]:
        return {"X-API-Key": self.built.tenant.read_key}

    @property
    def other(self) -> dict[str, str]:
        return {"X-API-Key": self.built.other_tenant.write_key}

    def agent(self, headers: dict[str, str] | None = None) -> str:
        r = self.client.post("/v1/agent", json={"name": "Helper"}, headers=headers or self.write)
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def conversation(self, headers: dict[str, str] | None = None, **fields: Any) -> dict[str, Any]:
        headers = headers or self.write
        body = {"agent_id": self.agent(headers), **fields}
        r = self.client.post("/v1/conversation", json=body, headers=headers)
        assert r.status_code == 201, r.text
        return dict(r.json())

    def send(self, cid: str, text: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        r = self.client.post(
            f"/v1/conversation/{cid}/chat", json={"message": text}, headers=headers or self.write
        )
        assert r.status_code == 200, r.text
        return dict(r.json())


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    built = build_app(database_url, validate_responses=True)
    with TestClient(built.app, raise_server_exceptions=True) as client:
        yield Api(client, built)


ServeApp = Callable[..., tuple[TestClient, InProcessApp]]
"""``serve_app(**create_app_options)``: an in-memory app with those options and its client."""


@pytest.fixture
def serve_app() -> Iterator[ServeApp]:
    """Builds in-memory apps with custom ``create_app`` options; closes their clients at the end.

    Server exceptions become 500 answers (as over HTTP), and responses are validated.
    """
    with ExitStack() as stack:

        def serve(**options: Any) -> tuple[TestClient, InProcessApp]:
            built = build_app(":memory:", validate_responses=True, **options)
            client = stack.enter_context(TestClient(built.app, raise_server_exceptions=False))
            return client, built

        yield serve
