"""Seed 003 (Q&A history) through ``client.qa``, dict access made attribute access."""

from __future__ import annotations

import pytest
from parley import AsyncParley, NotFoundError, Parley


def seed_003(client: Parley) -> None:
    # List conversations
    convos = client.qa.list_conversations()
    for c in convos.conversations:
        print(f"{c.title} ({c.message_count} messages)")

    # Get messages
    messages = client.qa.get_conversation(convos.conversations[0].id)

    for msg in messages.messages:
        print(f"Q: {msg.question}")
        print(f"A: {msg.answer[:100]}...\n")


def test_seed_003_sync(client: Parley, capsys: pytest.CaptureFixture[str]) -> None:
    first = client.qa.chat("Summarize the meeting notes")
    asked = client.qa.chat("What were the key revenue drivers in Q4?")
    follow_up = client.qa.chat("Can you elaborate on the SaaS growth?", asked.conversation_id)
    assert follow_up.conversation_id == asked.conversation_id
    assert follow_up.message.answer and isinstance(follow_up.message.sources, list)
    seed_003(client)
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].endswith("(4 messages)")  # newest first: the follow-up's conversation
    assert "Q: What were the key revenue drivers in Q4?" in out
    assert out.index("Q: What were") < out.index("Q: Can you elaborate")
    deleted = client.qa.delete_conversation(asked.conversation_id)
    assert deleted.deleted == 4  # questions and answers count separately
    with pytest.raises(NotFoundError):
        client.qa.get_conversation(asked.conversation_id)
    client.qa.delete_conversation(first.conversation_id)


@pytest.mark.anyio
async def test_seed_003_async(aclient: AsyncParley) -> None:
    asked = await aclient.qa.chat("What were the key revenue drivers in Q4?")
    await aclient.qa.chat("And in Q3?", conversation_id=asked.conversation_id)
    convos = await aclient.qa.list_conversations()
    assert convos.conversations[0].id == asked.conversation_id
    messages = await aclient.qa.get_conversation(convos.conversations[0].id)
    assert [m.question for m in messages.messages] == [
        "What were the key revenue drivers in Q4?",
        "And in Q3?",
    ]
    assert (await aclient.qa.delete_conversation(asked.conversation_id)).deleted == 4
