"""The contract itself: valid OpenAPI 3.1, the whole inventory, and generated code that fits it."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

from openapi_spec_validator import OpenAPIV31SpecValidator

# The operation inventory of the design handbook (DESIGN.md), per tag. The spec must hold exactly
# these: adding an operation is a deliberate change to this list too.
INVENTORY: dict[str, set[str]] = {
    "conversations": {
        "createConversation",
        "listConversations",
        "listConversationsForEntity",
        "listDeletedConversations",
        "getConversation",
        "updateConversation",
        "deleteConversation",
        "restoreConversation",
        "endConversation",
        "listConversationMessages",
        "deleteConversationMessages",
        "restoreAllMessages",
    },
    "messages": {
        "sendMessage",
        "deleteMessage",
        "restoreMessage",
        "listDeletedMessages",
        "rateMessage",
    },
    "analytics": {"getConversationAnalytics"},
    "agents": {"createAgent", "listAgents", "getAgent"},
    "qa": {"qaChat", "listQaConversations", "getQaConversation", "deleteQaConversation"},
    "agent-conversations": {
        "listAgentConversations",
        "createAgentConversation",
        "streamAgentConversation",
        "getAgentConversation",
        "deleteAgentConversation",
        "addAgentMessage",
        "streamAgentMessage",
        "regenerateAgentAnswer",
    },
}
METHODS = ("get", "put", "post", "patch", "delete")


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower().replace("-", "_")


def test_spec_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1.")
    errors = [str(e.message) for e in OpenAPIV31SpecValidator(spec).iter_errors()]
    assert errors == []


def test_spec_holds_exactly_the_inventory(spec: dict[str, Any]) -> None:
    found: dict[str, set[str]] = {}
    for _, _, op in operations(spec):
        (tag,) = op["tags"]
        found.setdefault(tag, set()).add(op["operationId"])
    assert found == INVENTORY


def test_every_operation_declares_security_roles(spec: dict[str, Any]) -> None:
    for path, method, op in operations(spec):
        roles = {role for req in op["security"] for scopes in req.values() for role in scopes}
        expected = {"read"} if method == "get" else {"write"}
        assert roles == expected, f"{method.upper()} {path}"


def test_every_generated_endpoint_module_has_all_four_call_styles() -> None:
    for tag, operation_ids in INVENTORY.items():
        for operation_id in operation_ids:
            module = importlib.import_module(
                f"parley_client.api.{snake(tag)}.{snake(operation_id)}"
            )
            for style in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
                assert callable(getattr(module, style, None)), f"{module.__name__}.{style}"


def schema_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def model(name: str) -> Any:
    return getattr(importlib.import_module("parley_client.models"), name)


def json_examples(spec: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(label, schema name, example) for each request body and 2xx JSON response example."""
    for path, method, op in operations(spec):
        label = f"{method.upper()} {path}"
        bodies = [("request", op.get("requestBody", {}))]
        bodies += [(status, r) for status, r in op["responses"].items() if status.startswith("2")]
        for where, body in bodies:
            media = body.get("content", {}).get("application/json")
            if media is None:
                continue
            schema = media["schema"]
            if schema.get("type") == "array":
                for item in media["example"]:
                    yield f"{label} {where}[]", schema_name(schema["items"]) or "", item
            else:
                yield f"{label} {where}", schema_name(schema) or "", media["example"]


def test_every_request_body_and_2xx_body_has_an_example(spec: dict[str, Any]) -> None:
    missing = []
    for path, method, op in operations(spec):
        bodies = [("request", op.get("requestBody", {}))]
        bodies += [(status, r) for status, r in op["responses"].items() if status.startswith("2")]
        for where, body in bodies:
            for media_type, media in body.get("content", {}).items():
                if "example" not in media:
                    missing.append(f"{method.upper()} {path} {where} {media_type}")
    assert missing == []


def test_json_examples_round_trip_through_generated_models(spec: dict[str, Any]) -> None:
    checked = 0
    for label, name, example in json_examples(spec):
        assert name, f"{label}: body schema must be a $ref to a named schema"
        assert model(name).from_dict(example).to_dict() == example, label
        checked += 1
    assert checked >= 30
