"""The inventory: every promise the document's `x-parley-*` annotations make.

One `Promise` per thing a server can break while answering schema-valid bodies: a list's
order (and each `field-parameter` x `direction-parameter` pair), a filter parameter, a list's
visibility of soft-deleted items, each effect of a write on a later read, a count, and a
schema's timestamp chain. CONTRIBUTING.md documents the vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from parley_contract.promises._document import reachable, resolve, response_schema

__all__ = ["KINDS", "Promise", "inventory", "operations_of"]

KINDS = ("order", "filter", "visibility", "effect", "count", "timestamps")
_METHODS = ("get", "put", "post", "patch", "delete")


@dataclass(frozen=True)
class Promise:
    """One promise of the contract.

    Attributes:
        kind: One of `KINDS`.
        operation_id: The operation it is stated on (for counts and timestamps: the first
            operation whose response holds the annotated schema).
        name: What it is about within the operation, e.g. `sort_by=title sort_order=asc`,
            `status` (a filter), `getConversation` (an effect's read),
            `Conversation.message_count` (a count), `Conversation` (timestamps).
        annotation: The annotation's value, as written in the document.
        query: For an order: the query parameters that select it (empty for the default).
        operations: Every operation it is judged on (counts, timestamps); else just
            `operation_id`.
    """

    kind: str
    operation_id: str
    name: str
    annotation: Any
    query: Mapping[str, str] = field(default_factory=dict)
    operations: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """A stable, unique id: `kind operationId name`."""
        return " ".join(part for part in (self.kind, self.operation_id, self.name) if part)


def operations_of(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every operation object by operationId, with `parameters` merged from its path item."""
    found: dict[str, dict[str, Any]] = {}
    for item in (document.get("paths") or {}).values():
        if not isinstance(item, Mapping):
            continue
        shared = list(item.get("parameters") or [])
        for method in _METHODS:
            raw = item.get(method)
            if isinstance(raw, Mapping) and "operationId" in raw:
                params = [resolve(document, p) for p in [*shared, *(raw.get("parameters") or [])]]
                found[str(raw["operationId"])] = {**raw, "parameters": params, "method": method}
    return found


def _enum(document: Mapping[str, Any], parameter: Mapping[str, Any]) -> list[str]:
    schema = resolve(document, parameter.get("schema") or {})
    return [str(value) for value in schema.get("enum") or []]


def _order_promises(
    document: Mapping[str, Any], op_id: str, op: Mapping[str, Any]
) -> list[Promise]:
    order = op["x-parley-order"]
    promises = [Promise("order", op_id, "", order)]
    params = {str(p.get("name")): p for p in op["parameters"] if isinstance(p, Mapping)}
    by, direction = order.get("field-parameter"), order.get("direction-parameter")
    fields: list[str | None] = list(_enum(document, params[by])) if by in params else []
    directions: list[str | None] = (
        list(_enum(document, params[direction])) if direction in params else []
    )
    for name in fields or [None]:
        for way in directions or [None]:
            if name is None and way is None:
                continue
            query = {k: v for k, v in ((by, name), (direction, way)) if k and v}
            label = " ".join(f"{k}={v}" for k, v in query.items())
            promises.append(Promise("order", op_id, label, order, query=query))
    return promises


def _schema_promises(document: Mapping[str, Any], ops: Mapping[str, Any]) -> list[Promise]:
    """Counts and timestamp chains: stated on component schemas, judged where they appear."""
    reach = {op_id: reachable(document, response_schema(document, op)) for op_id, op in ops.items()}
    promises: list[Promise] = []
    for name, schema in (document.get("components", {}).get("schemas") or {}).items():
        if not isinstance(schema, Mapping):
            continue
        gets = tuple(i for i, op in ops.items() if op["method"] == "get" and name in reach[i])
        writes = tuple(i for i, op in ops.items() if op["method"] != "get" and name in reach[i])
        if "x-parley-timestamps" in schema and gets:
            promises.append(
                Promise("timestamps", gets[0], name, schema["x-parley-timestamps"], operations=gets)
            )
        for prop, sub in (schema.get("properties") or {}).items():
            count = sub.get("x-parley-count") if isinstance(sub, Mapping) else None
            if count is None:
                continue
            terms = count if isinstance(count, list) else [count]
            sites = writes if any(t.get("when") == "change" for t in terms) else gets
            if sites:
                promises.append(
                    Promise("count", sites[0], f"{name}.{prop}", terms, operations=sites)
                )
    return promises


def inventory(document: Mapping[str, Any]) -> list[Promise]:
    """Every promise the document's annotations make, operations in document order first.

    Args:
        document: The parsed, unresolved OpenAPI document.

    Returns:
        The promises; their `key`s are unique.
    """
    ops = operations_of(document)
    promises: list[Promise] = []
    for op_id, op in ops.items():
        if "x-parley-order" in op:
            promises += _order_promises(document, op_id, op)
        for param in op["parameters"]:
            if isinstance(param, Mapping) and "x-parley-filter" in param:
                promises.append(
                    Promise("filter", op_id, str(param["name"]), param["x-parley-filter"])
                )
        if "x-parley-visibility" in op:
            promises.append(Promise("visibility", op_id, "", op["x-parley-visibility"]))
        for effect in op.get("x-parley-effects") or []:
            promises.append(Promise("effect", op_id, str(effect.get("read")), effect))
    return promises + _schema_promises(document, ops)
