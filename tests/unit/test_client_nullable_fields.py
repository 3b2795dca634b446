"""Every nullable field of every write: left out, it is not sent; ``None`` sends ``null``.

The fields are read from ``openapi.yaml`` (each request body property whose type admits
``null``), so a nullable field added to the contract fails here until every overlay method and
service method writing it takes it with the ``NOT_GIVEN`` default: the argument is the field's
Python name (``conversation_id``, ``model_key``...).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from parley import NOT_GIVEN, ConversationService, MessageService, NotGiven, Parley
from parley_spec import read_document, resolve

from .client_fakes import AGENT_ID, CONVERSATION_ID, MESSAGE_ID, Script, sync_client

SPEC = read_document()
Write = Callable[..., Any]

# Every overlay method (resource and service style) of each write operation whose body has a
# nullable field, called with the field as a keyword argument.
WRITES: dict[str, list[Write]] = {
    "createAgent": [lambda c, **f: c.agents.create("Pricing assistant", **f)],
    "createConversation": [
        lambda c, **f: c.conversations.create_conversation(AGENT_ID, **f),
        lambda c, **f: ConversationService(c).create(AGENT_ID, **f),
    ],
    "updateConversation": [
        lambda c, **f: c.conversations.update_conversation(CONVERSATION_ID, **f),
        lambda c, **f: ConversationService(c).update(CONVERSATION_ID, **f),
    ],
    "endConversation": [
        lambda c, **f: c.conversations.end_conversation(CONVERSATION_ID, **f),
        lambda c, **f: ConversationService(c).end_conversation(CONVERSATION_ID, **f),
    ],
    "rateMessage": [
        lambda c, **f: c.messages.rate_message(MESSAGE_ID, 4, **f),
        lambda c, **f: MessageService(c).rate_message(MESSAGE_ID, 4, **f),
    ],
    "qaChat": [lambda c, **f: c.qa.chat("What changed?", **f)],
}
VALUES = {"string": "a value", "integer": 3}  # a valid non-null value per JSON type


def _operations() -> Iterator[tuple[str, dict[str, Any]]]:
    for item in SPEC["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "operationId" in operation:
                yield operation["operationId"], operation


def _types(schema: dict[str, Any]) -> set[str]:
    schema = resolve(SPEC, schema)
    declared = schema.get("type", [])
    types = {declared} if isinstance(declared, str) else set(declared)
    for variant in schema.get("oneOf", []) + schema.get("anyOf", []):
        types |= _types(variant)
    return types


def nullable_fields() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(operationId, JSON name, JSON type of its value, the 2xx answer) of each nullable field."""
    found = []
    for operation_id, operation in _operations():
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        body = resolve(SPEC, content["application/json"]["schema"])
        for name, schema in body.get("properties", {}).items():
            types = _types(schema)
            if "null" in types:
                (kind,) = types - {"null"}
                found.append((operation_id, name, kind, _answer(operation)))
    return found


def _answer(operation: dict[str, Any]) -> tuple[int, Any]:
    """The operation's 2xx status and its JSON example (what the fake server sends back)."""
    status, ok = next((s, r) for s, r in operation["responses"].items() if s[0] == "2")
    return int(status), resolve(SPEC, ok)["content"]["application/json"]["example"]


FIELDS = nullable_fields()


def test_the_contract_has_the_nullable_fields_this_test_knows() -> None:
    assert {(operation, name) for operation, name, _, _ in FIELDS} >= {
        ("updateConversation", "title"),
        ("endConversation", "feedback"),
        ("endConversation", "rating"),
        ("rateMessage", "feedback"),
    }
    assert {operation for operation, _, _, _ in FIELDS} == set(WRITES)


def _sent(write: Write, answer: tuple[int, Any], **field: Any) -> dict[str, Any]:
    """The JSON body ``write`` sends with ``field``."""
    script = Script(lambda request: httpx.Response(answer[0], json=answer[1]))
    client: Parley
    with sync_client(script) as client:
        write(client, **field)
    (request,) = script.requests
    body: dict[str, Any] = json.loads(request.read())
    return body


@pytest.mark.parametrize(
    ("operation", "name", "kind", "answer"), FIELDS, ids=[f"{f[0]}.{f[1]}" for f in FIELDS]
)
def test_a_nullable_field_is_left_out_sent_null_or_sent(
    operation: str, name: str, kind: str, answer: tuple[int, Any]
) -> None:
    argument = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    value = VALUES[kind] if argument != "conversation_id" else CONVERSATION_ID
    for write in WRITES[operation]:
        assert name not in _sent(write, answer)
        assert name not in _sent(write, answer, **{argument: NOT_GIVEN})
        assert _sent(write, answer, **{argument: None})[name] is None
        assert _sent(write, answer, **{argument: value})[name] == value


def test_not_given_is_one_falsy_value() -> None:
    import copy
    import pickle

    assert NotGiven() is NOT_GIVEN and not NOT_GIVEN and repr(NOT_GIVEN) == "NOT_GIVEN"
    assert copy.deepcopy(NOT_GIVEN) is NOT_GIVEN
    assert pickle.loads(pickle.dumps(NOT_GIVEN)) is NOT_GIVEN
