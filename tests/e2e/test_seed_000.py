"""Seed 000 (conversations and messages, resource style), dict access made attribute access."""

from __future__ import annotations

import pytest
from parley import AsyncParley, NotFoundError, Parley


def seed_000(client: Parley, agent_id: str) -> None:
    conversation = client.conversations.create_conversation(
        agent_id=agent_id, title="Website widget session", metadata={"source": "pricing-page"}
    )

    print(conversation.id)

    reply = client.messages.send_message(
        conversation_id=conversation.id, message="Hello! Can you explain the enterprise plan?"
    )

    last_turn = reply.history[-1]
    print(last_turn.assistant_response)

    messages = client.conversations.list_conversation_messages(
        conversation_id=conversation.id, page=1, per_page=20
    )

    for item in messages.items:
        print(item.role, item.content)

    # List active conversations
    active = client.conversations.list_conversations(page=1, per_page=10)
    assert conversation.id in [c.id for c in active.items]

    # Soft delete / restore
    client.conversations.delete_conversation(conversation.id)
    client.conversations.restore_conversation(conversation.id)

    # Delete or restore messages ("message-id" in the seed: a real id here)
    message_id = reply.message.id
    client.messages.delete_message(message_id)
    client.messages.restore_message(message_id)

    analytics = client.analytics.get_conversation_analytics(conversation.id)
    print(analytics.message_statistics.agent_message_count)


async def seed_000_async(client: AsyncParley, agent_id: str) -> None:
    conversation = await client.conversations.create_conversation(
        agent_id=agent_id, title="Website widget session", metadata={"source": "pricing-page"}
    )
    print(conversation.id)
    reply = await client.messages.send_message(
        conversation_id=conversation.id, message="Hello! Can you explain the enterprise plan?"
    )
    last_turn = reply.history[-1]
    print(last_turn.assistant_response)
    messages = await client.conversations.list_conversation_messages(
        conversation_id=conversation.id, page=1, per_page=20
    )
    for item in messages.items:
        print(item.role, item.content)
    active = await client.conversations.list_conversations(page=1, per_page=10)
    assert conversation.id in [c.id for c in active.items]
    await client.conversations.delete_conversation(conversation.id)
    await client.conversations.restore_conversation(conversation.id)
    await client.messages.delete_message(reply.message.id)
    await client.messages.restore_message(reply.message.id)
    analytics = await client.analytics.get_conversation_analytics(conversation.id)
    print(analytics.message_statistics.agent_message_count)


def check_output(out: str) -> None:
    lines = out.splitlines()
    assert len(lines) == 5
    assert "enterprise plan" in lines[1]
    assert lines[2] == "user Hello! Can you explain the enterprise plan?"
    assert lines[3].startswith("assistant ") and lines[3].removeprefix("assistant ") == lines[1]
    assert lines[4] == "1"


def test_seed_000_sync(client: Parley, agent_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    seed_000(client, agent_id)
    check_output(capsys.readouterr().out)


@pytest.mark.anyio
async def test_seed_000_async(
    aclient: AsyncParley, agent_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await seed_000_async(aclient, agent_id)
    check_output(capsys.readouterr().out)


def test_soft_delete_hides_then_restore_brings_back(client: Parley, agent_id: str) -> None:
    conversation = client.conversations.create_conversation(agent_id)
    client.conversations.delete_conversation(conversation.id)
    with pytest.raises(NotFoundError):
        client.conversations.get_conversation(conversation.id)
    deleted = client.conversations.list_deleted_conversations(per_page=100)
    assert conversation.id in [c.id for c in deleted]
    restored = client.conversations.restore_conversation(conversation.id)
    assert restored.deleted_at is None
    assert client.conversations.get_conversation(conversation.id).id == conversation.id
