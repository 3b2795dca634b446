"""``None`` clears a field, leaving the argument out keeps it: against the reference server.

Every write whose body accepts ``null`` (``test_client_nullable_fields.py`` derives the list
from the contract and checks the wire) is shown here to store what the caller meant.
"""

from __future__ import annotations

import pytest
from parley import AsyncParley, ConversationService, MessageService, Parley


def test_a_title_is_cleared_by_none_and_kept_when_left_out(client: Parley, agent_id: str) -> None:
    conversations = client.conversations
    conversation = conversations.create_conversation(agent_id, title="Widget session")
    kept = conversations.update_conversation(conversation.id, metadata={"source": "web"})
    assert kept.title == "Widget session" and kept.metadata.to_dict() == {"source": "web"}
    cleared = conversations.update_conversation(conversation.id, title=None)
    assert cleared.title is None
    assert conversations.get_conversation(conversation.id).title is None
    retitled = ConversationService(client).update(conversation.id, title="Renamed")
    assert retitled.title == "Renamed"
    assert ConversationService(client).update(conversation.id, title=None).title is None
    untitled = conversations.create_conversation(agent_id, title=None)
    assert untitled.title is None


def test_feedback_and_rating_are_cleared_by_none_and_kept_when_left_out(
    client: Parley, agent_id: str
) -> None:
    conversations = client.conversations
    conversation = conversations.create_conversation(agent_id)
    rated = conversations.end_conversation(conversation.id, rating=4, feedback="Helpful")
    assert (rated.rating, rated.feedback) == (4, "Helpful")
    cleared = conversations.end_conversation(conversation.id, feedback=None)
    assert (cleared.rating, cleared.feedback) == (4, None)  # rating left out: kept
    unrated = ConversationService(client).end_conversation(conversation.id, rating=None)
    assert (unrated.rating, unrated.feedback) == (None, None)
    stored = conversations.get_conversation(conversation.id)
    assert (stored.rating, stored.feedback) == (None, None)

    chat = conversations.create_conversation(agent_id)
    reply = client.messages.send_message(chat.id, "Hello")
    message = client.messages.rate_message(reply.message.id, 5, feedback="Clear answer")
    assert message.feedback == "Clear answer"
    message = MessageService(client).rate_message(reply.message.id, 3, feedback=None)
    assert (message.rating, message.feedback) == (3, None)


def test_null_description_and_null_conversation_id(client: Parley) -> None:
    agent = client.agents.create("No description", description=None)
    assert agent.description is None
    first = client.qa.chat("What is new?", conversation_id=None)  # null: a new conversation
    follow_up = client.qa.chat("And then?", conversation_id=first.conversation_id)
    assert follow_up.conversation_id == first.conversation_id
    assert client.qa.chat("Unrelated").conversation_id != first.conversation_id


@pytest.mark.anyio
async def test_async_clear_a_title(aclient: AsyncParley, agent_id: str) -> None:
    conversation = await aclient.conversations.create_conversation(agent_id, title="t")
    cleared = await aclient.conversations.update_conversation(conversation.id, title=None)
    assert cleared.title is None
