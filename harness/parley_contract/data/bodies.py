"""Request bodies for test data: a field set at a JSON pointer, and copies that differ.

The n-th copy of a create's example body changes what its schema lets change freely, so that
the items it makes can be told apart (a list's order needs distinct keys, a filter items on
both sides of each value): free text gets ``" n"`` appended (when its ``maxLength`` allows),
an enum value becomes the enum's value n places further.
"""

from __future__ import annotations

import copy as copying
from collections.abc import Mapping
from typing import Any

from parley_spec import Contract, split_pointer

__all__ = ["varied", "with_field"]

# Keywords that pin a string's value: a copy leaves such a string as the example has it.
_PINNED = ("enum", "const", "format", "pattern", "contentMediaType")


def with_field(body: Any, pointer: str, value: Any) -> Any:
    """A copy of ``body`` with ``value`` at ``pointer`` (missing objects on the way are made).

    Raises:
        ValueError: The pointer goes through something that is not an object.
    """
    tokens = split_pointer(pointer)
    if not tokens:
        return copying.deepcopy(value)
    result = copying.deepcopy(body) if isinstance(body, dict) else {}
    node: Any = result
    for token in tokens[:-1]:
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict):
            node = node.setdefault(token, {})
        else:
            raise ValueError(f"{pointer}: {token!r} is not in an object")
    if not isinstance(node, dict):
        raise ValueError(f"{pointer} does not end in an object")
    node[tokens[-1]] = value
    return result


def _types(schema: Mapping[str, Any]) -> set[str]:
    kind = schema.get("type")
    return set(kind) if isinstance(kind, list) else {str(kind)} if kind else set()


def varied(contract: Contract, schema: Any, body: Any, number: int) -> Any:
    """A new ``number``-th copy of ``body`` (0 is ``body`` itself), along its ``schema``.

    Objects are walked along ``properties``, arrays are left as they are.
    """
    node = contract.resolve(schema) if schema is not None else {}
    if not number or not isinstance(node, Mapping):
        return copying.deepcopy(body)
    enum = node.get("enum")
    if isinstance(enum, list) and body in enum:
        return enum[(enum.index(body) + number) % len(enum)]
    if isinstance(body, str):
        longest = node.get("maxLength")
        suffix = f" {number}"
        free = "string" in _types(node) and not any(key in node for key in _PINNED)
        fits = not isinstance(longest, int) or len(body) + len(suffix) <= longest
        return body + suffix if free and fits else body
    if isinstance(body, dict):
        properties = node.get("properties") or {}
        return {
            key: varied(contract, properties.get(key), value, number) for key, value in body.items()
        }
    return copying.deepcopy(body)
