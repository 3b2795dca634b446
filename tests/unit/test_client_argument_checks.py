"""Bad ids fail before any request, naming the parameter; a 400's message says why it failed."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from parley import BadRequestError, ConflictError, Parley

from .client_fakes import (
    AGENT_ID,
    CONVERSATION_ID,
    Script,
    async_client,
    problem,
    respond,
    sync_client,
)

SYNC_CALLS: dict[str, tuple[str, Callable[[Parley, Any], Any]]] = {
    "get_conversation": ("conversation_id", lambda c, v: c.conversations.get_conversation(v)),
    "create_conversation": (
        "agent_id",
        lambda c, v: c.conversations.create_conversation(v, title="t"),
    ),
    "list_conversation_messages": (
        "conversation_id",
        lambda c, v: c.conversations.list_conversation_messages(v),
    ),
    "send_message": ("conversation_id", lambda c, v: c.messages.send_message(v, "Hi")),
    "rate_message": ("message_id", lambda c, v: c.messages.rate_message(v, rating=5)),
    "delete_message": ("message_id", lambda c, v: c.messages.delete_message(v)),
    "get_agent": ("agent_id", lambda c, v: c.agents.get(v)),
    "qa_chat": ("conversation_id", lambda c, v: c.qa.chat("Why?", conversation_id=v)),
}


@pytest.mark.parametrize("call", sorted(SYNC_CALLS))
def test_a_malformed_id_is_a_value_error_naming_the_parameter(call: str) -> None:
    name, invoke = SYNC_CALLS[call]
    script = Script(respond(200, {}))
    with sync_client(script) as client, pytest.raises(ValueError) as info:
        invoke(client, "nope")
    assert str(info.value) == (
        f"{name} must be a UUID such as '3f1c2a9e-7b4d-4c1e-9a2f-5d6e7f8a9b0c', got 'nope'"
    )
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert script.requests == []


@pytest.mark.parametrize("call", sorted(SYNC_CALLS))
@pytest.mark.parametrize("value", [42, None, b"\x00" * 16, object()], ids=type)
def test_a_wrong_type_is_a_type_error_naming_the_parameter(call: str, value: Any) -> None:
    name, invoke = SYNC_CALLS[call]
    if value is None and call == "qa_chat":
        return  # conversation_id=None is how qa.chat starts a new conversation
    script = Script(respond(200, {}))
    with sync_client(script) as client, pytest.raises(TypeError) as info:
        invoke(client, value)
    assert str(info.value).startswith(f"{name} must be a str or uuid.UUID, got ")
    assert script.requests == []


def test_a_model_passed_as_id_is_told_to_pass_its_id() -> None:
    class Conversation:
        id = uuid.UUID(CONVERSATION_ID)

    with sync_client(Script(respond(200, {}))) as client, pytest.raises(TypeError) as info:
        client.conversations.get_conversation(Conversation())  # type: ignore[arg-type]
    assert str(info.value) == (
        "conversation_id must be a str or uuid.UUID, got Conversation (pass its .id)"
    )


def test_a_long_bad_id_is_cut_in_the_message() -> None:
    with sync_client(Script(respond(200, {}))) as client, pytest.raises(ValueError) as info:
        client.conversations.get_conversation("x" * 10_000)
    assert len(str(info.value)) < 200 and "…" in str(info.value)


def test_async_methods_check_ids_before_any_request() -> None:
    script = Script(respond(200, {}))

    async def run() -> None:
        async with async_client(script) as client:
            with pytest.raises(ValueError, match=r"^conversation_id must be a UUID"):
                await client.conversations.get_conversation("nope")
            with pytest.raises(ValueError, match=r"^agent_id must be a UUID"):
                await client.conversations.create_conversation("nope")
            with pytest.raises(TypeError, match=r"^message_id must be a str or uuid\.UUID"):
                await client.messages.delete_message(7)  # type: ignore[arg-type]

    asyncio.run(run())
    assert script.requests == []


def test_ids_in_any_accepted_form_still_work() -> None:
    script = Script(respond(204))
    with sync_client(script) as client:
        client.messages.delete_message(CONVERSATION_ID.upper())
        client.messages.delete_message(uuid.UUID(AGENT_ID))
    assert len(script.requests) == 2


def _validation(*fields: tuple[str, str]) -> dict[str, Any]:
    body = problem(400, "Request validation failed")
    body["detail"] = f"The request has {len(fields)} invalid part(s)."
    body["errors"] = [{"pointer": p, "detail": d} for p, d in fields]
    return body


def test_a_400_message_names_the_first_field_problem() -> None:
    body = _validation(("/max_context_length", "100000 is greater than the maximum of 100"))
    script = Script(respond(400, body))
    with sync_client(script, max_retries=0) as client, pytest.raises(BadRequestError) as info:
        client.conversations.create_conversation(AGENT_ID, max_context_length=100000)
    assert str(info.value) == (
        "400 Request validation failed: /max_context_length: "
        "100000 is greater than the maximum of 100"
    )


def test_a_400_message_counts_the_other_field_problems() -> None:
    body = _validation(
        ("", "malformed JSON: Expecting value"),
        ("query:per_page", "0 is less than the minimum of 1"),
        ("header:Idempotency-Key", "is too long"),
    )
    script = Script(respond(400, body))
    with sync_client(script, max_retries=0) as client, pytest.raises(BadRequestError) as info:
        client.conversations.get_conversation(CONVERSATION_ID)
    assert str(info.value) == (
        "400 Request validation failed: body: malformed JSON: Expecting value "
        "(and 2 more in .problem.errors)"
    )


def test_a_problem_without_field_problems_keeps_its_detail() -> None:
    body = {**problem(409, "Conversation closed"), "detail": "Conversation x is ended."}
    script = Script(respond(409, body))
    with sync_client(script, max_retries=0) as client, pytest.raises(ConflictError) as info:
        client.conversations.get_conversation(CONVERSATION_ID)
    assert str(info.value) == "409 Conversation closed: Conversation x is ended."
