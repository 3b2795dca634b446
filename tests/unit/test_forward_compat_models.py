"""The committed client survives what a newer server may send: forward-compatible models.

Response models keep an enum value they do not know as the raw string (typed ``Enum | str``)
and keep unknown properties in ``additional_properties``; request models keep strict enums.
The rule lives in ``generator-templates/build_templates.py``, which edits the pinned
generator's own model template at named anchors (``test_template_builder.py`` checks them; a
model is a request body when its class name ends in ``Request``);
``test_request_rule_matches_the_spec`` checks the spec keeps that naming true.
"""

from __future__ import annotations

import inspect
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from parley_client import models
from parley_client.models import (
    AgentMessage,
    AgentMessageType,
    Conversation,
    ConversationStatus,
    CreateConversationRequest,
    EntityType,
    Message,
    MessageRole,
    UpdateConversationRequest,
)
from parley_spec import read_document

from .client_fakes import conversation, message

ROOT = Path(__file__).resolve().parents[2]


def _types(model: Any, field: str) -> set[str]:
    """The names in a field's annotation (``"ConversationStatus | str"`` -> both names)."""
    return {part.strip() for part in str(model.__annotations__[field]).split("|")}


def conversation_json(**changes: Any) -> dict[str, Any]:
    return conversation(**changes)


def test_known_enum_value_is_the_member() -> None:
    conversation = Conversation.from_dict(conversation_json())
    assert conversation.status is ConversationStatus.ACTIVE
    assert conversation.entity_type is EntityType.USER


def test_new_enum_value_in_a_response_is_kept_as_the_raw_string() -> None:
    conversation = Conversation.from_dict(conversation_json(status="paused", entity_type="BOT"))
    assert conversation.status == "paused"
    assert type(conversation.status) is str
    assert conversation.entity_type == "BOT"
    assert conversation.to_dict()["status"] == "paused"  # round-trips unchanged
    assert ConversationStatus.ACTIVE == "active"  # known values are still constants


def test_enum_value_of_the_wrong_type_still_fails() -> None:
    with pytest.raises(ValueError):
        Conversation.from_dict(conversation_json(status=7))


@pytest.mark.parametrize(
    ("model", "field", "raw"),
    [
        (Message, "role", "tool"),
        (AgentMessage, "message_type", "tool_call"),
    ],
)
def test_every_response_enum_is_open(model: Any, field: str, raw: str) -> None:
    assert "str" in _types(model, field), f"{model.__name__}.{field}"
    enum = (MessageRole, AgentMessageType)[model is AgentMessage]
    assert raw not in {m.value for m in enum}
    known = next(iter(enum))
    for value, expected in ((raw, raw), (known.value, known)):
        decoded = getattr(model.from_dict(_answer(model, field, value)), field)
        assert decoded == expected and type(decoded) is type(expected), (value, decoded)
    with pytest.raises(ValueError):
        model.from_dict(_answer(model, field, 7))


def _answer(model: Any, field: str, value: Any) -> dict[str, Any]:
    """An answer of `model` (Message or AgentMessage) whose `field` is `value`."""
    if model is Message:
        return message(role=value)
    return {
        "id": "m-1",
        "messageType": value,
        "content": "Hello",
        "createdAt": "2025-03-15T14:30:05+00:00",
        "updatedAt": "2025-03-15T14:30:05+00:00",
    }


def test_new_response_property_is_kept_and_reachable() -> None:
    conversation = Conversation.from_dict(conversation_json(priority="high"))
    assert conversation["priority"] == "high"
    assert conversation.additional_properties == {"priority": "high"}
    assert conversation.to_dict()["priority"] == "high"


def test_request_models_keep_strict_enums() -> None:
    for model, field in (
        (UpdateConversationRequest, "status"),
        (CreateConversationRequest, "entity_type"),
    ):
        assert "str" not in _types(model, field), f"{model.__name__}.{field} is open"
    with pytest.raises(ValueError):
        UpdateConversationRequest.from_dict({"status": "paused"})
    with pytest.raises(ValueError):
        ConversationStatus("paused")


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _closure(names: set[str], schemas: dict[str, Any]) -> set[str]:
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_refs(schemas[name]))
    return seen


def test_request_rule_matches_the_spec() -> None:
    """Schemas named *Request are only request bodies, and response schemas are never *Request."""
    spec = read_document(ROOT / "openapi.yaml")
    schemas = spec["components"]["schemas"]
    request_roots: set[str] = set()
    response_roots: set[str] = set()
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            request_roots |= _refs(operation.get("requestBody", {}))
            response_roots |= _refs(operation["responses"])
    response_roots |= _refs(spec["components"].get("responses", {}))
    assert not {n for n in _closure(response_roots, schemas) if n.endswith("Request")}
    for name in _closure(request_roots, schemas):
        enums = [
            key
            for key, prop in schemas[name].get("properties", {}).items()
            if _has_enum(prop, schemas)
        ]
        assert name.endswith("Request") or not enums, f"{name} has enums {enums} but is open"


def _has_enum(prop: Any, schemas: dict[str, Any]) -> bool:
    """Whether a property is an enum, inline or through $refs (items and variants included)."""
    if not isinstance(prop, dict):
        return False
    if "enum" in prop:
        return True
    ref = prop.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return _has_enum(schemas[ref.rsplit("/", 1)[1]], schemas)
    nested = [prop.get("items"), *prop.get("anyOf", []), *prop.get("oneOf", [])]
    return any(_has_enum(part, schemas) for part in nested)


def test_every_generated_response_model_with_an_enum_is_open() -> None:
    """Response enums admit new values; request enums and one-value (variant tag) enums do not."""
    enum_types = {
        name: len(obj)
        for name, obj in inspect.getmembers(models, inspect.isclass)
        if issubclass(obj, str) and issubclass(obj, Enum)
    }
    open_fields: list[str] = []
    tags = 0
    for name, model in inspect.getmembers(models, inspect.isclass):
        if not hasattr(model, "from_dict"):
            continue
        for field in model.__annotations__:
            names = _types(model, field)
            enums = names & enum_types.keys()
            if not enums:
                continue
            if all(enum_types[e] == 1 for e in enums):
                tags += 1
                assert "str" not in names, f"{name}.{field}: a variant tag must stay closed"
                continue
            assert ("str" in names) is not name.endswith("Request"), f"{name}.{field}"
            open_fields.append(f"{name}.{field}")
    assert len(open_fields) == 7, open_fields  # 5 response fields, 2 request fields today
    assert tags >= 6  # the stream events' `event` names
