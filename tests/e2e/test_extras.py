"""``extra_body``/``extra_query`` bridge a server that knows more than the installed client.

The reference server runs from a copy of ``openapi.yaml`` that gives ``createConversation`` a
``priority`` body member (``low`` or ``high``), which the generated client does not have: the
server validates every request against its document, so it accepts ``priority="high"`` and
refuses ``priority="urgent"`` naming ``/priority``, which shows that the member arrived.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from parley import AsyncParley, BadRequestError, Parley
from parley_server.testing import EmbeddedServer, start_server

ROOT = Path(__file__).resolve().parents[2]
ANCHOR = """        entity_type:
          $ref: '#/components/schemas/EntityType'
    UpdateConversationRequest:
"""
PRIORITY = """        entity_type:
          $ref: '#/components/schemas/EntityType'
        priority:
          type: string
          enum: [low, high]
    UpdateConversationRequest:
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    """A reference server whose contract has ``CreateConversationRequest.priority``."""
    text = (ROOT / "openapi.yaml").read_text()
    assert text.count(ANCHOR) == 1
    spec = tmp_path_factory.mktemp("spec") / "openapi.yaml"
    spec.write_text(text.replace(ANCHOR, PRIORITY))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PARLEY_OPENAPI", str(spec))
        with start_server() as running:
            yield running


def test_extra_body_sends_a_member_the_client_does_not_know(client: Parley, agent_id: str) -> None:
    created = client.conversations.create_conversation(
        agent_id, title="Bridged", extra_body={"priority": "high"}
    )
    assert created.title == "Bridged"
    with pytest.raises(BadRequestError) as refused:
        client.conversations.create_conversation(agent_id, extra_body={"priority": "urgent"})
    assert refused.value.problem is not None
    pointers = [error.pointer for error in refused.value.problem.errors or []]
    assert "/priority" in pointers


def test_the_server_without_the_member_refuses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # The repository's own contract has no priority: the same call is refused there.
    monkeypatch.delenv("PARLEY_OPENAPI")
    with start_server() as plain, Parley(plain.base_url, api_key=plain.tenant.write_key) as other:
        agent = other.agents.create("Plain")
        with pytest.raises(BadRequestError) as refused:
            other.conversations.create_conversation(agent.id, extra_body={"priority": "high"})
    assert "priority" in str(refused.value)


@pytest.mark.anyio
async def test_async_extra_body_and_raw_response(aclient: AsyncParley, agent_id: str) -> None:
    raw = await aclient.conversations.with_raw_response.create_conversation(
        agent_id, extra_body={"priority": "low"}, extra_query={"unused": "1"}
    )
    assert raw.status_code == 201
    conversation = await raw.parse()
    assert str(conversation.agent_id) == agent_id
