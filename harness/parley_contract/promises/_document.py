"""Reading the raw OpenAPI document.

`$ref`s, JSON pointers, runtime expressions, and a walk of a response body along its schema
that finds every object of a named component schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "MISSING",
    "Instance",
    "component_name",
    "evaluate",
    "item_schema",
    "load_document",
    "pointer_get",
    "reachable",
    "resolve",
    "response_schema",
    "sort_key",
    "walk",
]

MISSING: Any = object()
"""What `pointer_get` and `evaluate` answer for a value that is not there."""


def load_document(path: Path) -> dict[str, Any]:
    """The OpenAPI document at `path`, parsed but not `$ref`-resolved.

    Raises:
        OSError: The file cannot be read.
        yaml.YAMLError: It is not YAML.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    return document if isinstance(document, dict) else {}


def component_name(node: Any) -> str | None:
    """`Conversation` for a `{$ref: '#/components/schemas/Conversation'}` node, else None."""
    if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = str(node["$ref"])
        if ref.startswith("#/components/schemas/"):
            return ref.rsplit("/", 1)[1]
    return None


def resolve(document: Mapping[str, Any], node: Any) -> Any:
    """`node` with `$ref`s followed until a node without one."""
    seen = 0
    while isinstance(node, Mapping) and "$ref" in node and seen < 32:
        target: Any = document
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
        seen += 1
    return node


def pointer_get(value: Any, pointer: str) -> Any:
    """The value at JSON pointer `pointer` ("" is the whole value), or `MISSING`."""
    if pointer in ("", "/"):
        return value
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, Mapping) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return MISSING
    return value


def evaluate(
    expression: Any,
    *,
    request_path: Mapping[str, str] | None = None,
    request_body: Any = MISSING,
    response_body: Any = MISSING,
    obj: Any = MISSING,
) -> Any:
    """A value of the vocabulary: a literal, or a runtime expression as in OpenAPI links.

    `$request.path.NAME`, `$request.body#/PTR`, `$response.body#/PTR` and `$object#/PTR` (the
    object that holds the annotated property) are looked up; anything else is a literal.

    Returns:
        The value, or `MISSING` when the expression names something absent.
    """
    if not isinstance(expression, str) or not expression.startswith("$"):
        return expression
    if expression.startswith("$request.path."):
        name = expression.removeprefix("$request.path.")
        return (request_path or {}).get(name, MISSING)
    for prefix, source in (
        ("$request.body#", request_body),
        ("$response.body#", response_body),
        ("$object#", obj),
    ):
        if expression.startswith(prefix):
            return MISSING if source is MISSING else pointer_get(source, expression[len(prefix) :])
    return expression


def response_schema(document: Mapping[str, Any], operation: Mapping[str, Any]) -> Any:
    """The JSON schema node of the operation's lowest 2xx response (unresolved), or None."""
    responses = operation.get("responses") or {}
    codes = sorted(code for code in map(str, responses) if code.startswith("2"))
    if not codes:
        return None
    response = resolve(document, responses.get(codes[0]) or responses.get(int(codes[0])))
    content = (response or {}).get("content") or {}
    return (content.get("application/json") or {}).get("schema")


def reachable(document: Mapping[str, Any], schema: Any) -> set[str]:
    """The names of every component schema `schema` reaches through `$ref`s."""
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
                stack.append(resolve(document, node))
            continue
        for key, value in node.items():
            if not str(key).startswith("x-") and key not in ("example", "examples"):
                stack.append(value)
    return found


Instance = tuple[str, Mapping[str, Any]]
"""A component schema's name and one object of the body that it describes."""


def walk(document: Mapping[str, Any], schema: Any, body: Any, name: str = "") -> Iterator[Instance]:
    """Every object of `body` that a named component schema describes, along `schema`.

    Follows `$ref`, `properties`, `items` and `allOf`; `oneOf`/`anyOf` are not entered (no
    JSON response of the contract nests a named object under one).
    """
    ref = component_name(schema)
    if ref is not None:
        yield from walk(document, resolve(document, schema), body, ref)
        return
    if not isinstance(schema, Mapping):
        return
    for part in schema.get("allOf") or []:
        yield from walk(document, part, body, "")
    if isinstance(body, Mapping):
        if name:
            yield name, body
        for key, sub in (schema.get("properties") or {}).items():
            if key in body:
                yield from walk(document, sub, body[key])
    elif isinstance(body, list) and "items" in schema:
        for item in body:
            yield from walk(document, schema["items"], item)


def sort_key(value: Any) -> Any:
    """A comparable form of a sort field's value: date-times as aware datetimes."""
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T":
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return value


def item_schema(document: Mapping[str, Any], schema: Any, pointer: str) -> str | None:
    """The component name of the items of the array at `pointer` of bodies of `schema`."""
    node = resolve(document, schema)
    for token in [t for t in pointer.split("/") if t]:
        node = resolve(document, ((node or {}).get("properties") or {}).get(token))
    items = (node or {}).get("items") if isinstance(node, Mapping) else None
    return component_name(items)
