"""Raw and streaming twins are made from the methods, for resources and services alike.

Every public method of every resource and service (sync and async) is an ``api_method`` or a
``stream_method``, so its ``with_raw_response`` and ``with_streaming_response`` twins come
with it, keeping its signature and docstring. A service method that does more than return
the resource's result applies that in its twins' ``parse()``.
"""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import pytest
from parley import (
    AnalyticsService,
    APIResponse,
    AsyncAnalyticsService,
    AsyncAPIResponse,
    AsyncConversationService,
    AsyncMessageService,
    AsyncParley,
    AsyncStream,
    ConversationService,
    MessageService,
    Parley,
    Stream,
)
from parley._async.twins import AsyncAPIMethod, AsyncStreamMethod
from parley._sync.twins import APIMethod, StreamMethod
from parley_client.models import Conversation, Message

from .client_fakes import (
    AGENT_ID,
    CONVERSATION_ID,
    EventBody,
    Script,
    async_client,
    chat_events,
    conversation,
    message,
    respond,
    stream_response,
    sync_client,
)

RESOURCES = ["conversations", "messages", "analytics", "agents", "qa", "agent_conversations"]
TWINS = (APIMethod, StreamMethod, AsyncAPIMethod, AsyncStreamMethod)


SERVICES = {
    "sync": [ConversationService, MessageService, AnalyticsService],
    "async": [AsyncConversationService, AsyncMessageService, AsyncAnalyticsService],
}


def groups(client: Parley | AsyncParley) -> list[Any]:
    """Every resource and service of ``client``."""
    services = SERVICES["sync" if isinstance(client, Parley) else "async"]
    return [getattr(client, name) for name in RESOURCES] + [cls(client) for cls in services]


def public_methods(group: Any) -> list[str]:
    """The public names of a group's class (what users call), the twin views left out."""
    return [name for name in vars(type(group)) if not name.startswith(("_", "with_"))]


@pytest.mark.parametrize("make", [sync_client, async_client], ids=["sync", "async"])
def test_every_method_of_every_group_has_both_twins(make: Any) -> None:
    client = make(Script(respond(200, conversation())))
    checked = 0
    for group in groups(client):
        names = public_methods(group)
        assert names, type(group).__name__
        for name in names:
            where = f"{type(group).__name__}.{name}"
            assert isinstance(vars(type(group))[name], TWINS), f"{where} is not marked"
            plain = getattr(group, name)
            for twin in (group.with_raw_response, group.with_streaming_response):
                made = getattr(twin, name)
                assert inspect.signature(made) == inspect.signature(plain), where
                assert made.__doc__ == plain.__doc__ and made.__doc__, where
                assert made.__name__ == name
                checked += 1
        assert group.with_raw_response is group.with_raw_response  # made once per group
    assert checked == 2 * 43  # 34 resource methods, 9 service methods


def test_a_twin_leaves_its_group_as_it_was() -> None:
    script = Script(respond(200, conversation()))
    with sync_client(script) as client:
        raw = client.conversations.with_raw_response.get_conversation(CONVERSATION_ID)
        plain = client.conversations.get_conversation(CONVERSATION_ID)
    assert isinstance(raw, APIResponse) and isinstance(plain, Conversation)
    assert raw.parse() == plain


def test_service_twins_answer_what_the_service_method_returns() -> None:
    reply = {
        "conversation_id": CONVERSATION_ID,
        "message": message("Hi!"),
        "user_message": message("Hello", role="user"),
        "history": [],
    }
    script = Script(respond(200, reply, headers={"x-request-id": "req-chat"}))
    with sync_client(script) as client:
        service = MessageService(client)
        raw = service.with_raw_response.send_message(CONVERSATION_ID, "Hello")
        assert isinstance(raw, APIResponse) and raw.request_id == "req-chat"
        assert isinstance(raw.parse(), Message) and raw.parse().content == "Hi!"
        with service.with_streaming_response.send_message(CONVERSATION_ID, "Hello") as answer:
            assert answer.parse() == service.send_message(CONVERSATION_ID, "Hello")
        first = {"items": [message("a")], "page": 1, "per_page": 1, "total": 2, "pages": 2}
        second = {"items": [message("b")], "page": 2, "per_page": 1, "total": 2, "pages": 2}
        script.answers = [respond(200, first, headers={"x-request-id": "p1"}), respond(200, second)]
        listed = service.with_raw_response.list_messages(CONVERSATION_ID)
        assert listed.request_id == "p1"  # the first page's answer
        assert [m.content for m in listed.parse()] == ["a", "b"]  # every page, as the method
        script.answers = [respond(201, conversation(), headers={"x-request-id": "c1"})]
        created = ConversationService(client).with_raw_response.create(AGENT_ID, title=None)
    assert created.status_code == 201 and isinstance(created.parse(), Conversation)
    assert script.requests[-1].read() == b'{"agent_id":"%s","title":null}' % AGENT_ID.encode()


def test_service_stream_twins_open_the_stream() -> None:
    script = Script(stream_response(EventBody(chat_events("a b"))))
    with sync_client(script) as client:
        service = MessageService(client)
        raw = service.with_raw_response.send_message_stream(CONVERSATION_ID, "hi")
        assert raw.status_code == 200 and len(script.requests) == 1
        with raw.parse() as stream:
            assert isinstance(stream, Stream) and stream.final_message().content == "a b"
        with pytest.raises(ValueError, match="only role='user'"):
            service.with_raw_response.send_message_stream(CONVERSATION_ID, "x", role="system")
        script.answers = [stream_response(EventBody(chat_events("c")))]
        manager = service.with_streaming_response.send_message_stream(CONVERSATION_ID, "hi")
        with manager as answer:
            assert "".join(answer.parse().text_deltas()) == "c"
    assert len(script.requests) == 2


@pytest.mark.anyio
async def test_async_service_twins() -> None:
    first = {"items": [message("a")], "page": 1, "per_page": 1, "total": 2, "pages": 2}
    second = {"items": [message("b")], "page": 2, "per_page": 1, "total": 2, "pages": 2}
    script = Script(respond(200, first), respond(200, second))
    async with async_client(script) as client:
        service = AsyncMessageService(client)
        raw = await service.with_raw_response.list_messages(CONVERSATION_ID)
        assert isinstance(raw, AsyncAPIResponse)
        assert [m.content for m in await raw.parse()] == ["a", "b"]
        script.answers = [stream_response(EventBody(chat_events("x y")))]
        opened = await service.with_raw_response.send_message_stream(CONVERSATION_ID, "hi")
        async with await opened.parse() as stream:
            assert isinstance(stream, AsyncStream)
            assert [piece async for piece in stream.text_deltas()] == ["x", " y"]
        script.answers = [respond(200, conversation(title=None))]
        conversations = AsyncConversationService(client)
        async with conversations.with_streaming_response.update(CONVERSATION_ID, title=None) as a:
            assert (await a.parse()).title is None
    assert script.requests[-1].read() == b'{"title":null}'


def test_the_twins_stay_typed_for_mypy() -> None:
    """tests/unit/twin_types.py is checked by mypy (``[tool.mypy] files``); it runs here too."""
    from . import twin_types

    transport = httpx.MockTransport(Script(respond(200, conversation())))
    with Parley("http://parley.test", http_client=httpx.Client(transport=transport)) as client:
        twin_types.sync_types(client)
