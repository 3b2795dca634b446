"""End-to-end fixtures: one reference server per test module, and clients for its tenant."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from parley import AsyncParley, Parley
from parley_server.testing import EmbeddedServer, start_server


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with start_server() as running:
        yield running


@pytest.fixture
def client(server: EmbeddedServer) -> Iterator[Parley]:
    with Parley(server.base_url, api_key=server.tenant.write_key) as parley:
        yield parley


@pytest.fixture
async def aclient(server: EmbeddedServer) -> AsyncIterator[AsyncParley]:
    async with AsyncParley(server.base_url, api_key=server.tenant.write_key) as parley:
        yield parley


@pytest.fixture(scope="module")
def agent_id(server: EmbeddedServer) -> str:
    with Parley(server.base_url, api_key=server.tenant.write_key) as parley:
        return str(parley.agents.create("Pricing assistant", "Answers plan questions").id)


@pytest.fixture
def bearer_token(server: EmbeddedServer) -> str:
    return server.make_token(tenant_id=server.tenant.tenant_id, scopes=["read", "write"])
