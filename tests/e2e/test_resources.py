"""Resource style against the reference server: every method, sync and async, and the errors."""

from __future__ import annotations

import uuid

import pytest
from parley import (
    AsyncPage,
    AsyncParley,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    Parley,
    PermissionDeniedError,
    SyncPage,
)
from parley_server.testing import EmbeddedServer


def test_conversation_lifecycle(client: Parley, agent_id: str) -> None:
    conversation = client.conversations.create_conversation(
        agent_id, title="t", max_context_length=5, entity_type="LEAD"
    )
    assert (conversation.entity_type, conversation.max_context_length) == ("LEAD", 5)
    updated = client.conversations.update_conversation(conversation.id, title="renamed")
    assert updated.title == "renamed" and updated.metadata.to_dict() == {}
    for text in ["one", "two"]:
        client.messages.send_message(conversation.id, text)
    assert client.conversations.delete_conversation_messages(conversation.id).affected == 4
    assert len(client.conversations.list_conversation_messages(conversation.id)) == 0
    deleted = client.messages.list_deleted_messages(per_page=100)
    assert isinstance(deleted, SyncPage)
    assert sum(1 for m in deleted if m.conversation_id == conversation.id) == 4
    assert client.conversations.restore_all_messages(conversation.id).affected == 4
    ended = client.conversations.end_conversation(conversation.id, rating=2, feedback="meh")
    assert (ended.status, ended.rating, ended.feedback) == ("ended", 2, "meh")
    with pytest.raises(ConflictError):
        client.messages.send_message(conversation.id, "too late")
    archived = client.conversations.update_conversation(conversation.id, status="archived")
    assert archived.status == "archived"


def test_pagination_walks_every_page(client: Parley, agent_id: str) -> None:
    conversation = client.conversations.create_conversation(agent_id)
    for index in range(3):
        client.messages.send_message(conversation.id, f"question {index}")
    page = client.conversations.list_conversation_messages(conversation.id, per_page=4)
    assert (page.total, page.pages, len(page), page.has_next_page()) == (6, 2, 4, True)
    assert len(page.get_next_page()) == 2
    contents = [m.content for m in page]
    assert len(contents) == 6 and contents[0] == "question 0"


def test_entity_conversations_agents_and_rating(client: Parley, agent_id: str) -> None:
    mine = client.conversations.create_conversation(agent_id, entity_type="USER")
    assert mine.id in [c.id for c in client.conversations.list_conversations_for_entity()]
    assert client.agents.get(agent_id).name == "Pricing assistant"
    assert agent_id in [str(a.id) for a in client.agents.list(per_page=100)]
    reply = client.messages.send_message(mine.id, "rate me")
    rated = client.messages.rate_message(reply.message.id, 4, "good")
    assert (rated.rating, rated.feedback) == (4, "good")


def test_errors_from_the_server(server: EmbeddedServer, client: Parley, agent_id: str) -> None:
    with pytest.raises(NotFoundError) as info:
        client.conversations.get_conversation(uuid.uuid4())
    assert info.value.problem is not None and info.value.problem.status == 404
    with pytest.raises(BadRequestError) as bad:
        client.messages.rate_message(uuid.uuid4(), 9)
    assert bad.value.problem is not None and bad.value.problem.errors
    with (
        Parley(server.base_url, api_key="pk_wrong") as stranger,
        pytest.raises(AuthenticationError),
    ):
        stranger.agents.list()
    with Parley(server.base_url, api_key=server.tenant.read_key) as reader:
        assert len(reader.agents.list()) >= 1
        with pytest.raises(PermissionDeniedError):
            reader.agents.create("nope")
    other = client.with_options(api_key=server.other_tenant.write_key)
    with pytest.raises(NotFoundError):
        other.agents.get(agent_id)


def test_per_call_headers_override_auth(server: EmbeddedServer, client: Parley) -> None:
    with pytest.raises(AuthenticationError):
        client.agents.list(headers={"X-API-Key": "pk_wrong"})
    assert len(client.agents.list()) >= 1


def test_bearer_token_and_idempotent_replay(
    server: EmbeddedServer, bearer_token: str, agent_id: str
) -> None:
    with Parley(server.base_url, bearer_token=bearer_token) as client:
        key = {"Idempotency-Key": f"e2e-{uuid.uuid4()}"}
        first = client.conversations.create_conversation(agent_id, title="once", headers=key)
        again = client.conversations.create_conversation(agent_id, title="once", headers=key)
        assert first.id == again.id and first.entity_id == "test-user"
        titles = [c.title for c in client.conversations.list_conversations(agent_id=agent_id)]
        assert titles.count("once") == 1


@pytest.mark.anyio
async def test_async_resource_methods(aclient: AsyncParley, agent_id: str) -> None:
    agent = await aclient.agents.get(agent_id)
    assert str(agent.id) == agent_id
    agents = await aclient.agents.list()
    assert isinstance(agents, AsyncPage) and len(agents) >= 1
    created = await aclient.agents.create("Async agent")
    conversation = await aclient.conversations.create_conversation(created.id, title="a")
    assert (await aclient.conversations.get_conversation(conversation.id)).title == "a"
    renamed = await aclient.conversations.update_conversation(conversation.id, title="b")
    assert renamed.title == "b"
    reply = await aclient.messages.send_message(conversation.id, "hello")
    page = await aclient.conversations.list_conversation_messages(conversation.id, per_page=1)
    assert [m.role async for m in page] == ["user", "assistant"]
    rated = await aclient.messages.rate_message(reply.message.id, 5)
    assert rated.rating == 5
    await aclient.messages.delete_message(reply.message.id)
    deleted = await aclient.messages.list_deleted_messages(per_page=100)
    assert reply.message.id in [m.id async for m in deleted]
    assert (await aclient.messages.restore_message(reply.message.id)).deleted_at is None
    assert (await aclient.conversations.delete_conversation_messages(conversation.id)).affected == 2
    assert (await aclient.conversations.restore_all_messages(conversation.id)).affected == 2
    entity = await aclient.conversations.list_conversations_for_entity(per_page=100)
    assert conversation.id in [c.id async for c in entity]
    listed = await aclient.conversations.list_conversations(agent_id=created.id, sort_by="title")
    assert [c.id for c in listed.items] == [conversation.id]
    analytics = await aclient.analytics.get_conversation_analytics(conversation.id)
    assert analytics.message_statistics.total_messages == 2
    await aclient.conversations.delete_conversation(conversation.id)
    gone = await aclient.conversations.list_deleted_conversations(per_page=100)
    assert conversation.id in [c.id for c in gone.items]
    restored = await aclient.conversations.restore_conversation(conversation.id)
    assert restored.deleted_at is None
    ended = await aclient.conversations.end_conversation(conversation.id, rating=1)
    assert ended.status == "ended"
    with pytest.raises(NotFoundError):
        await aclient.conversations.get_conversation(uuid.uuid4())
