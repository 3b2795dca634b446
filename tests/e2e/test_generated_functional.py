"""The generated functional style (``parley_client.api``) against the reference server."""

from __future__ import annotations

import pytest
from parley_client import AuthenticatedClient
from parley_client.api.agents import create_agent
from parley_client.api.conversations import create_conversation, get_conversation
from parley_client.api.messages import send_message
from parley_client.models import (
    Agent,
    ChatResponse,
    Conversation,
    CreateAgentRequest,
    CreateConversationRequest,
    Problem,
    SendMessageRequest,
)
from parley_server.testing import EmbeddedServer


def generated_client(server: EmbeddedServer) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=server.base_url,
        token=server.tenant.write_key,
        prefix="",
        auth_header_name="X-API-Key",
    )


def test_sync_and_sync_detailed(server: EmbeddedServer) -> None:
    with generated_client(server) as client:
        agent = create_agent.sync(client=client, body=CreateAgentRequest(name="Functional"))
        assert isinstance(agent, Agent)
        body = CreateConversationRequest(agent_id=agent.id, title="functional")
        conversation = create_conversation.sync(client=client, body=body)
        assert isinstance(conversation, Conversation)
        detailed = send_message.sync_detailed(
            conversation.id, client=client, body=SendMessageRequest(message="hi")
        )
        assert detailed.status_code == 200 and isinstance(detailed.parsed, ChatResponse)
        missing = get_conversation.sync_detailed(agent.id, client=client)
        assert missing.status_code == 404 and isinstance(missing.parsed, Problem)


@pytest.mark.anyio
async def test_asyncio_and_asyncio_detailed(server: EmbeddedServer) -> None:
    async with generated_client(server) as client:
        agent = await create_agent.asyncio(client=client, body=CreateAgentRequest(name="Async"))
        assert isinstance(agent, Agent)
        body = CreateConversationRequest(agent_id=agent.id)
        created = await create_conversation.asyncio_detailed(client=client, body=body)
        assert created.status_code == 201 and isinstance(created.parsed, Conversation)
        fetched = await get_conversation.asyncio(created.parsed.id, client=client)
        assert isinstance(fetched, Conversation) and fetched.id == created.parsed.id
