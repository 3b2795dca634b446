"""Respellings of the real openapi.yaml that validate the same values: zero findings.

The refactor of issue 27 (`Conversation` split into `allOf: [ConversationCore,
ConversationLifecycle]`) on every operation that returns a conversation, and its cousins over
the whole document: every nullable `type: [x, "null"]` written as `anyOf` with a null branch,
every `$ref` to a schema wrapped in `allOf`, every `$ref` replaced by an inline copy.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from parley_diff import Document, diff_documents
from parley_spec import resolve_refs

from .test_diff_cli import ROOT

RAW: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text())
OLD = Document(RAW, "openapi.yaml")
ANNOTATION_KEYS = ("description", "title", "example", "examples", "default", "deprecated")


def split_conversation(document: dict[str, Any], *, optional: str = "") -> None:
    """Conversation as allOf [ConversationCore, ConversationLifecycle].

    The property named `optional` is no longer required.
    """
    schemas = document["components"]["schemas"]
    whole = schemas["Conversation"]
    names = list(whole["properties"])
    core, lifecycle = names[: len(names) // 2], names[len(names) // 2 :]
    for name, part in (("ConversationCore", core), ("ConversationLifecycle", lifecycle)):
        schemas[name] = {
            "type": "object",
            "required": [r for r in whole["required"] if r in part and r != optional],
            "properties": {p: whole["properties"][p] for p in part},
        }
    schemas["Conversation"] = {
        "description": whole["description"],
        "x-parley-timestamps": whole["x-parley-timestamps"],
        "allOf": [
            {"$ref": "#/components/schemas/ConversationCore"},
            {"$ref": "#/components/schemas/ConversationLifecycle"},
        ],
    }


def users_of(document: dict[str, Any], schema: str) -> set[str]:
    """The operations whose 2xx JSON responses hold `schema` (through any chain of $refs)."""
    schemas = document["components"]["schemas"]

    def holds(node: Any, seen: frozenset[str]) -> bool:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            name = ref.rsplit("/", 1)[-1]
            if name == schema:
                return True
            if ref and name not in seen and name in schemas:
                return holds(schemas[name], seen | {name})
            return any(holds(value, seen) for value in node.values())
        return isinstance(node, list) and any(holds(item, seen) for item in node)

    found = set()
    for item in document["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json", {})
                if str(status).startswith("2") and holds(content.get("schema"), frozenset()):
                    found.add(operation["operationId"])
    return found


def nullable_as_any_of(node: Any) -> Any:
    """Every `type: [x, "null"]` written as `anyOf: [{type: x, ...}, {type: "null"}]`."""
    if isinstance(node, list):
        return [nullable_as_any_of(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: nullable_as_any_of(value) for key, value in node.items()}
    types = node.get("type")
    if isinstance(types, list) and "null" in types and len(types) == 2:
        keep = {k: v for k, v in node.items() if k in ANNOTATION_KEYS or k.startswith("x-")}
        branch = {k: v for k, v in node.items() if k not in keep}
        branch["type"] = next(t for t in types if t != "null")
        return {**keep, "anyOf": [branch, {"type": "null"}]}
    return node


def refs_in_all_of(node: Any) -> Any:
    """Every `$ref` to a schema wrapped: `allOf: [{$ref}]`."""
    if isinstance(node, list):
        return [refs_in_all_of(item) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return {"allOf": [node]}
    return {key: refs_in_all_of(value) for key, value in node.items()}


def findings(new: dict[str, Any]) -> list[tuple[str, str]]:
    changes = diff_documents(OLD, new, version_policy=False)
    return [(change.check, change.operation) for change in changes]


def test_the_conversation_split_reports_nothing() -> None:
    new = copy.deepcopy(RAW)
    split_conversation(new)
    assert findings(new) == []


def test_a_change_in_the_split_is_reported_on_every_operation_that_uses_conversation() -> None:
    new = copy.deepcopy(RAW)
    split_conversation(new, optional="message_count")
    users = users_of(RAW, "Conversation")
    assert {"getConversation", "listConversations", "updateConversation"} <= users
    got = findings(new)
    assert {check for check, _ in got} == {"response-property-became-optional"}
    assert {operation for _, operation in got} == users


@pytest.mark.parametrize(
    "respell",
    [nullable_as_any_of, refs_in_all_of],
    ids=["nullable-as-anyOf", "refs-in-allOf"],
)
def test_a_whole_document_respelled_reports_nothing(respell: Callable[[Any], Any]) -> None:
    new = copy.deepcopy(RAW)
    new["paths"] = respell(new["paths"])
    new["components"]["schemas"] = respell(new["components"]["schemas"])
    assert new != RAW
    assert findings(new) == []


def without_annotations(node: Any) -> Any:
    """A copy without `x-parley-*` keys: an inlined copy is no place for an annotation."""
    if isinstance(node, list):
        return [without_annotations(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {k: without_annotations(v) for k, v in node.items() if not k.startswith("x-parley-")}


def test_every_reference_inlined_reports_nothing() -> None:
    new = copy.deepcopy(RAW)
    for item in new["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "responses" in operation:
                inlined = resolve_refs(operation["responses"], RAW)
                operation["responses"] = without_annotations(inlined)
    assert "$ref" not in str(new["paths"]["/v1/conversation"]["get"]["responses"])
    assert findings(new) == []
