"""Comparing nodes by meaning: JSON with documentation, extensions and list order removed."""

from __future__ import annotations

import json
from typing import Any

from ._normalise import REF_KEY

__all__ = ["canonical", "same"]

IGNORED = frozenset(
    {
        "description",
        "summary",
        "title",
        "example",
        "examples",
        "externalDocs",
        "deprecated",
        "x-sunset",
        "readOnly",
        "writeOnly",
        "$comment",
        "discriminator",
        REF_KEY,
    }
)


DEPRECATION = frozenset({"deprecated", "x-sunset"})
"""Keys that change no behaviour but are compared all the same (deprecation, sunset)."""


def canonical(node: Any) -> str:
    """The node as sorted JSON without the keys that do not change behaviour."""
    return json.dumps(_strip(node), sort_keys=True, default=str)


def same(old: Any, new: Any) -> bool:
    """Whether two nodes agree in behaviour and in deprecation: nothing under them to report."""
    return _deprecation_json(old) == _deprecation_json(new)


def _deprecation_json(node: Any) -> str:
    return json.dumps(_strip(node, keep=DEPRECATION), sort_keys=True, default=str)


NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "content", "headers"})
"""Keys whose value maps names to schemas: a property called ``title`` is not a keyword."""


ORDERLESS = frozenset({"required", "enum", "type", "oneOf", "anyOf", "allOf"})
"""Keys whose list value means the same in any order."""


def _strip(node: Any, names: bool = False, keep: frozenset[str] = frozenset()) -> Any:
    if isinstance(node, dict):
        if names:
            return {k: _strip(v, keep=keep) for k, v in node.items()}
        return {
            k: _sorted(_strip(v, k in NAME_MAPS, keep))
            if k in ORDERLESS
            else _strip(v, k in NAME_MAPS, keep)
            for k, v in node.items()
            if k in keep or (k not in IGNORED and not k.startswith("x-"))  # x-: not behaviour
        }
    if isinstance(node, list):
        return [_strip(item, keep=keep) for item in node]
    return node


def _sorted(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(value, key=lambda item: json.dumps(item, sort_keys=True, default=str))
    return value
