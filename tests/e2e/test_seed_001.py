"""Seed 001 (service style), dict access made attribute access, sync and async."""

from __future__ import annotations

import builtins
from collections.abc import Iterator

import pytest
from parley import (
    AnalyticsService,
    AsyncAnalyticsService,
    AsyncConversationService,
    AsyncMessageService,
    AsyncParley,
    ConversationService,
    MessageService,
    Parley,
)


def seed_001(client: Parley, agent_id: str) -> None:
    conversation_service = ConversationService(client)

    conversation = conversation_service.create(
        agent_id=agent_id,
        entity_type="USER",
        metadata={
            "source": "website_widget",
            "page": "/pricing",
            "internal_user_id": "user-xyz-789",
        },
    )

    conversation_id = conversation.id
    print(f"Conversation started with ID: {conversation_id}")

    message_service = MessageService(client)
    user_message = "What's the difference between the Pro and Enterprise plans?"
    response = message_service.send_message(
        conversation_id=conversation_id, content=user_message, role="user"
    )
    print(f"User: {user_message}")
    print(f"Agent: {response.content}")

    messages = message_service.list_messages(conversation_id)
    print(f"--- Conversation History (ID: {conversation_id}) ---")
    for message in messages:
        role_icon = "U" if message.role == "user" else "A"
        print(f"{role_icon} ({message.role}): {message.content}")

    message_id_to_rate = response.id
    message_service.rate_message(
        message_id=message_id_to_rate,
        rating=5,
        feedback="This was a very clear and helpful answer.",
    )
    print("Feedback submitted. Thank you!")

    def stream_agent_response(conversation_id: object, user_message: str) -> str | None:
        print(f"You: {user_message}")
        print("Agent: ", end="", flush=True)
        full_response_content = ""
        try:
            stream = message_service.send_message_stream(
                conversation_id=conversation_id, content=user_message, role="user"
            )
            for chunk in stream:
                content_piece = getattr(chunk, "content", "")
                if content_piece:
                    print(content_piece, end="", flush=True)
                    full_response_content += content_piece
            print()
            return full_response_content
        except Exception as e:
            print(f"\nError during streaming: {e}")
            return None

    streamed = stream_agent_response(conversation_id, "Tell me a long story about AI.")
    assert streamed and "Tell me a long story about AI." in streamed

    active_conversations = conversation_service.list(
        params={
            "agent_id": agent_id,
            "status": "active",
            "sort_by": "started_at",
            "sort_order": "desc",
            "per_page": 10,
        }
    )
    print(f"Found {len(active_conversations)} active conversations.")

    updated_conversation = conversation_service.update(
        conversation_id=conversation_id,
        metadata={"internal_user_id": "user-xyz-789", "user_plan": "premium"},
    )
    assert updated_conversation.metadata.to_dict() == {
        "internal_user_id": "user-xyz-789",
        "user_plan": "premium",
    }

    conversation_service.end_conversation(
        conversation_id=conversation_id, rating=4, feedback="The agent was helpful but a bit slow."
    )
    print(f"Conversation {conversation_id} has been ended.")

    analytics_service = AnalyticsService(client)
    conv_analytics = analytics_service.get_conversation_analytics(conversation_id)
    print(f"Total Messages: {conv_analytics.message_statistics.total_messages}")
    print(f"Duration: {conv_analytics.conversation_flow.duration_minutes:.2f} minutes")
    print(f"User Satisfaction: {conv_analytics.quality_metrics.satisfaction_rating}/5.0")


def interactive_chat_session(client: Parley, agent_id: str) -> None:
    """The seed's full example, verbatim but for attribute access."""
    conversation_service = ConversationService(client)
    message_service = MessageService(client)

    print("Starting a new conversation...")
    conversation = conversation_service.create(agent_id=agent_id, entity_type="USER")
    conversation_id = conversation.id
    print(f"Conversation started (ID: {conversation_id}). Type 'quit' to end.")

    while True:
        user_input = input("\nYou: ").strip()
        if user_input.lower() in ["quit", "exit", "bye"]:
            break
        if not user_input:
            continue
        print("Agent: ", end="", flush=True)
        try:
            stream = message_service.send_message_stream(
                conversation_id=conversation_id, content=user_input, role="user"
            )
            for chunk in stream:
                print(getattr(chunk, "content", ""), end="", flush=True)
            print()
        except Exception as e:
            print(f"\nError sending message: {e}")

    print("\nEnding conversation...")
    rating: int | None
    try:
        rating = int(input("Rate this conversation (1-5): "))
    except ValueError:
        rating = None
    conversation_service.end_conversation(conversation_id, rating=rating)
    print("Conversation ended. Thank you!")


def test_seed_001_sync(client: Parley, agent_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    seed_001(client, agent_id)
    out = capsys.readouterr().out
    assert "Agent: " in out and "You asked about \"What's the difference" in out
    assert "U (user): What's the difference between the Pro and Enterprise plans?" in out
    assert "Feedback submitted" in out and "Error" not in out
    assert "Total Messages: 4" in out
    assert "User Satisfaction: 4" in out


def test_seed_001_interactive_session(
    client: Parley,
    agent_id: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    answers: Iterator[str] = iter(["Hello", "", "How much?", "quit", "5"])
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(answers))
    interactive_chat_session(client, agent_id)
    out = capsys.readouterr().out
    assert 'You asked about "Hello"' in out and 'You asked about "How much?"' in out
    assert "Error" not in out and "Conversation ended. Thank you!" in out
    conversations = client.conversations.list_conversations(agent_id=agent_id, status="ended")
    assert any(c.rating == 5 and c.message_count == 4 for c in conversations)


@pytest.mark.anyio
async def test_seed_001_async(aclient: AsyncParley, agent_id: str) -> None:
    conversation_service = AsyncConversationService(aclient)
    message_service = AsyncMessageService(aclient)
    conversation = await conversation_service.create(
        agent_id=agent_id, entity_type="LEAD", metadata={"source": "website_widget"}
    )
    conversation_id = conversation.id
    response = await message_service.send_message(
        conversation_id=conversation_id, content="Pro or Enterprise?", role="user"
    )
    assert response.role == "assistant" and response.content
    messages = await message_service.list_messages(conversation_id)
    assert [m.role for m in messages] == ["user", "assistant"]
    rated = await message_service.rate_message(message_id=response.id, rating=5, feedback="ok")
    assert rated.rating == 5
    pieces = []
    async with message_service.send_message_stream(
        conversation_id=conversation_id, content="Tell me a story", role="user"
    ) as stream:
        async for chunk in stream:
            pieces.append(getattr(chunk, "content", ""))
    assert "Tell me a story" in "".join(pieces)
    listed = await conversation_service.list(params={"agent_id": agent_id, "per_page": 10})
    assert len(listed) >= 1
    updated = await conversation_service.update(conversation_id, metadata={"user_plan": "pro"})
    assert updated.metadata.to_dict() == {"user_plan": "pro"}
    ended = await conversation_service.end_conversation(conversation_id, rating=3, feedback="ok")
    assert ended.status == "ended"
    analytics = await AsyncAnalyticsService(aclient).get_conversation_analytics(conversation_id)
    assert analytics.message_statistics.total_messages == 4
    assert analytics.quality_metrics.satisfaction_rating == 3


def test_send_message_rejects_other_roles(client: Parley) -> None:
    with pytest.raises(ValueError, match="role"):
        MessageService(client).send_message("00000000-0000-0000-0000-000000000000", "x", "system")
