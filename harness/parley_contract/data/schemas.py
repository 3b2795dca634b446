"""Reading schemas for test data: which component schema a body holds, where, and its values.

A response body is walked along its operation's schema to find every object of a named
component schema (counts and timestamp chains are stated on component schemas); a list's
items are named by the component schema of the array at its items pointer; a request body is
varied only where its schema lets a value change freely.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from parley_spec import Contract, Operation, split_pointer

__all__ = [
    "Instance",
    "component_name",
    "item_schema",
    "reachable",
    "request_schema",
    "schema_at",
    "sort_key",
    "success_schema",
    "walk",
]

_SCHEMAS = "#/components/schemas/"
Instance = tuple[str, Mapping[str, Any]]
"""A component schema's name and one object of a body that it describes."""


def component_name(node: Any) -> str | None:
    """``Book`` for ``{$ref: '#/components/schemas/Book'}``, else None."""
    if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = str(node["$ref"])
        if ref.startswith(_SCHEMAS) and "/" not in ref[len(_SCHEMAS) :]:
            return ref[len(_SCHEMAS) :]
    return None


def success_schema(operation: Operation) -> Any:
    """The JSON schema of the operation's lowest 2xx response (``$ref``s kept), or None."""
    success = operation.success
    media = success.content.get("application/json") if success is not None else None
    return media.schema if media is not None else None


def request_schema(operation: Operation) -> Any:
    """The JSON schema of the operation's request body (``$ref``s kept), or None."""
    body = operation.request_body
    media = body.content.get("application/json") if body is not None else None
    return media.schema if media is not None else None


def item_schema(contract: Contract, read: Operation, items: str) -> str | None:
    """The component schema of the items of the list at ``items`` in ``read``'s answer."""
    return component_name(schema_at(contract, success_schema(read), items + "/0"))


def reachable(contract: Contract, schema: Any) -> set[str]:
    """The names of every component schema ``schema`` reaches through ``$ref``s."""
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, Mapping):
            continue
        name = component_name(node)
        if name is not None:
            if name not in found:
                found.add(name)
                stack.append(contract.resolve(node))
            continue
        for key, value in node.items():
            if not str(key).startswith("x-") and key not in ("example", "examples"):
                stack.append(value)
    return found


def walk(contract: Contract, schema: Any, body: Any, name: str = "") -> Iterator[Instance]:
    """Every object of ``body`` that a named component schema describes, along ``schema``.

    Follows ``$ref``, ``properties``, ``items`` and ``allOf``; ``oneOf``/``anyOf`` are not
    entered (a variant cannot be told without validating).
    """
    ref = component_name(schema)
    if ref is not None:
        yield from walk(contract, contract.resolve(schema), body, ref)
        return
    if not isinstance(schema, Mapping):
        return
    for part in schema.get("allOf") or []:
        yield from walk(contract, part, body, "")
    if isinstance(body, Mapping):
        if name:
            yield name, body
        for key, sub in (schema.get("properties") or {}).items():
            if key in body:
                yield from walk(contract, sub, body[key])
    elif isinstance(body, list) and "items" in schema:
        for item in body:
            yield from walk(contract, schema["items"], item)


def schema_at(contract: Contract, schema: Any, pointer: str) -> Any:
    """The schema of the value at ``pointer`` in bodies of ``schema`` (``$ref``s kept), or None.

    A token of digits steps into ``items``; any other into ``properties``.
    """
    node = schema
    for token in split_pointer(pointer):
        node = contract.resolve(node)
        if not isinstance(node, Mapping):
            return None
        if token.isdigit() and "items" in node:
            node = node["items"]
        else:
            node = (node.get("properties") or {}).get(token)
    return node


def sort_key(value: Any) -> Any:
    """A comparable form of a value: date-times as aware datetimes, anything else as it is."""
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T":
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return value
