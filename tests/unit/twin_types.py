"""What mypy must see of the twins (checked as part of ``[tool.mypy] files``).

``sync_types`` runs in ``test_client_twins.py`` against a client answering every request with
a conversation; the ``TYPE_CHECKING`` block is for mypy alone: an ignore that stopped being
needed (a twin that lost its signature) is an error under ``--strict``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, assert_type

from parley import (
    APIResponse,
    AsyncAPIResponse,
    AsyncParley,
    ConversationService,
    Parley,
    ResponseContextManager,
    Stream,
    SyncPage,
)
from parley_client.models import ChatStreamStart, Conversation, Message

ID = "9b2f4c7e-1a3d-4e5f-8a6b-7c8d9e0f1a2b"


def sync_types(client: Parley) -> None:
    """Calls whose results mypy must type as the twins promise."""
    assert_type(client.conversations.get_conversation(ID), Conversation)
    raw = client.conversations.with_raw_response.get_conversation(ID)
    assert_type(raw, APIResponse[Conversation])
    assert_type(raw.parse(), Conversation)
    manager = client.conversations.with_streaming_response.update_conversation(ID, title=None)
    assert_type(manager, ResponseContextManager[Conversation])
    with manager as answer:
        assert_type(answer.parse(), Conversation)
    opened = client.messages.with_raw_response.send_message_stream(ID, "hi")
    assert_type(opened, APIResponse[Stream[ChatStreamStart, Message]])
    opened.close()
    created = ConversationService(client).with_raw_response.create(ID, title="t")
    assert_type(created, APIResponse[Conversation])


async def async_types(client: AsyncParley) -> None:
    """The same for the async client (type-checked only)."""
    raw = await client.conversations.with_raw_response.get_conversation(ID)
    assert_type(raw, AsyncAPIResponse[Conversation])
    assert_type(await raw.parse(), Conversation)


if TYPE_CHECKING:

    def signatures_are_kept(client: Parley) -> None:
        """Each line is wrong; mypy must say so (so each ignore is needed)."""
        client.conversations.with_raw_response.get_conversation(7)  # type: ignore[arg-type]
        client.conversations.with_streaming_response.list_conversations(nope=1)  # type: ignore[call-arg]
        page = client.conversations.with_raw_response.list_conversations().parse()
        assert_type(page, SyncPage[Conversation])
        client.qa.with_raw_response.chat()  # type: ignore[call-arg]
