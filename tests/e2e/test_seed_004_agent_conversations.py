"""Seed 004 (agent conversations) as written, ``Pipeshub`` being ``Parley``; sync and async."""

from __future__ import annotations

import os

import pytest
from parley import AsyncParley, NotFoundError, Parley, StreamCompleteEvent
from parley import Parley as Pipeshub
from parley_server.testing import EmbeddedServer


@pytest.fixture
def seed_env(server: EmbeddedServer, bearer_token: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PIPESHUB_BEARER_AUTH", bearer_token)
    return server.base_url


def test_seed_004_sync(seed_env: str, agent_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    with Pipeshub(
        server_url=seed_env,
        bearer_auth=os.getenv("PIPESHUB_BEARER_AUTH", ""),
    ) as p_client:
        res = p_client.agent_conversations.create(
            agent_key=agent_id,
            query="What are the key findings from our Q4 financial report?",
            record_ids=[
                "507f1f77bcf86cd799439011",
                "507f1f77bcf86cd799439012",
            ],
            model_key="gpt-4-turbo",
            model_name="GPT-4 Turbo",
            chat_mode="balanced",
        )
        print(res)
        created = res
        assert created.record_ids == ["507f1f77bcf86cd799439011", "507f1f77bcf86cd799439012"]
        assert [m.message_type for m in created.messages] == ["user_query", "bot_response"]

        res = p_client.agent_conversations.stream(
            agent_key=agent_id,
            query="What are the key findings from our Q4 financial report?",
            record_ids=["507f1f77bcf86cd799439011"],
            model_key="gpt-4-turbo",
            model_name="GPT-4 Turbo",
            chat_mode="balanced",
        )
        with res as event_stream:
            for event in event_stream:
                # handle event
                print(event, flush=True)
        assert isinstance(event, StreamCompleteEvent)
        streamed = event.data

        res = p_client.agent_conversations.list(agent_key=agent_id)
        print(res)
        assert {c.id for c in res} >= {created.id, streamed.id}

        res = p_client.agent_conversations.get(agent_key=agent_id, conversation_id=created.id)
        print(res)
        assert res.messages == created.messages

        res = p_client.agent_conversations.add_message(
            agent_key=agent_id,
            conversation_id=created.id,
            query="Can you elaborate on the revenue trends?",
        )
        print(res)
        assert len(res.messages) == 4

        res = p_client.agent_conversations.stream_message(
            agent_key=agent_id,
            conversation_id=created.id,
            query="Can you elaborate on the revenue trends?",
        )
        with res as event_stream:
            for event in event_stream:
                # handle event
                print(event, flush=True)
            assert len(event_stream.final_message().messages) == 6

        bot = created.messages[1]
        res = p_client.agent_conversations.regenerate_response(
            agent_key=agent_id, conversation_id=created.id, message_id=bot.id
        )
        print(res)
        regenerated = next(m for m in res.messages if m.id == bot.id)
        assert regenerated.updated_at >= bot.updated_at

        p_client.agent_conversations.delete(agent_key=agent_id, conversation_id=created.id)
        with pytest.raises(NotFoundError):
            p_client.agent_conversations.get(agent_key=agent_id, conversation_id=created.id)
    out = capsys.readouterr().out
    assert "StreamDeltaEvent(" in out and "StreamCompleteEvent(" in out


@pytest.mark.anyio
async def test_seed_004_async(seed_env: str, agent_id: str) -> None:
    async with AsyncParley(
        server_url=seed_env, bearer_auth=os.getenv("PIPESHUB_BEARER_AUTH", "")
    ) as p_client:
        created = await p_client.agent_conversations.create(
            agent_key=agent_id, query="Q4 findings?", chat_mode="balanced"
        )
        async with p_client.agent_conversations.stream(
            agent_key=agent_id, query="Q3 findings?"
        ) as event_stream:
            names = [event.event async for event in event_stream]
        assert names[0] == "start" and names[-1] == "complete" and "delta" in names
        listed = await p_client.agent_conversations.list(agent_key=agent_id)
        assert created.id in [c.id for c in listed]
        fetched = await p_client.agent_conversations.get(agent_id, created.id)
        assert fetched.title == created.title
        added = await p_client.agent_conversations.add_message(agent_id, created.id, "More?")
        assert len(added.messages) == 4
        stream = p_client.agent_conversations.stream_message(agent_id, created.id, "Even more?")
        async with stream:
            text = "".join([piece async for piece in stream.text_deltas()])
        assert "Even more?" in text
        regenerated = await p_client.agent_conversations.regenerate_response(
            agent_id, created.id, added.messages[-1].id, model_key="gpt-4-turbo"
        )
        assert len(regenerated.messages) == 6
        await p_client.agent_conversations.delete(agent_id, created.id)
        assert created.id not in [
            c.id for c in await p_client.agent_conversations.list(agent_key=agent_id)
        ]


def test_agent_conversations_of_unknown_agent(client: Parley) -> None:
    with pytest.raises(NotFoundError):
        client.agent_conversations.list(agent_key="no-such-agent")
