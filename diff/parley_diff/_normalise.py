"""One spelling per meaning: schemas are normalised before the walk compares them.

Two documents that validate the same values must compare equal however they spell it, so each
schema of a resolved document (``$ref``s already replaced by their targets: a reference and an
inline copy are the same schema) is rewritten bottom-up into a normal form:

- ``allOf`` is merged into its schema: properties united (a property named in two parts is the
  merge of both), ``required`` united, ``type`` and ``enum`` intersected, the tighter bound of
  each ``minimum``/``maxLength``/... kept, ``additionalProperties: false`` kept when any part
  has it (strictly, a closed part also rejects the properties only other parts name; no
  contract means that). What cannot be merged (two different ``pattern``s or ``format``s, two
  unions) stays under a residual ``allOf`` and is compared as written.
- A ``oneOf``/``anyOf`` of one branch is merged like an ``allOf``; a ``oneOf`` whose branches
  are provably disjoint (each a different type, or objects told apart by a ``const`` of one
  property) becomes ``anyOf``, which then means the same.
- Null, however written (``type: [x, "null"]``, a ``{type: "null"}`` branch of a ``oneOf`` or
  ``anyOf``, ``null`` among the ``enum`` values, OpenAPI 3.0's ``nullable: true``), becomes
  ``nullable: true`` on the schema without null.

A sub-schema that moved in the rewrite (a property merged from ``allOf/1``, the branch left by
a ``oneOf``) records under :data:`ORIGIN` the pointer tokens where it is written, relative to
its parent, so that a finding still points into the document (:func:`child_pointer`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from parley_spec import escape_token

__all__ = ["ORIGIN", "REF_KEY", "child_pointer", "normalise", "normalise_document"]

REF_KEY = "x-parley-ref"
"""The key a resolved ``$ref`` leaves behind: the name of what it pointed at."""

ORIGIN = "x-parley-origin"
"""The key holding a moved sub-schema's pointer tokens relative to its parent, as a list."""

SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
SCHEMA_LISTS = ("allOf", "oneOf", "anyOf", "prefixItems")
SCHEMA_VALUES = (
    "items",
    "additionalProperties",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "contentSchema",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
)
ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "example",
        "examples",
        "default",
        "externalDocs",
        "$comment",
        "discriminator",
        "readOnly",
        "writeOnly",
        "x-sunset",
        REF_KEY,
    }
)
"""Keys that say nothing about which values validate: the first part's wins in a merge."""
LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
UNIONS = ("oneOf", "anyOf")


def normalise_document(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` (resolved) with every schema in it normalised, in place; returns it.

    A schema is the value of a ``schema`` key (parameters, media types, headers) or of
    ``components/schemas``; examples are left alone.
    """
    _walk(document)
    schemas = (document.get("components") or {}).get("schemas")
    if isinstance(schemas, dict):
        for name, schema in schemas.items():
            schemas[name] = normalise(schema)
    return document


def _walk(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "schema":
                node[key] = normalise(value)
            elif key not in ("example", "examples", "components"):
                _walk(value)
    elif isinstance(node, list):
        for item in node:
            _walk(item)


def child_pointer(parent: str, node: Any, *tokens: str) -> str:
    """The pointer of a sub-schema: where :data:`ORIGIN` says it is written, else ``tokens``."""
    origin = node.get(ORIGIN) if isinstance(node, Mapping) else None
    path = origin if isinstance(origin, list) else tokens
    return parent + "".join("/" + escape_token(str(token)) for token in path)


def normalise(schema: Any) -> Any:
    """The normal form of one schema (see the module docstring); ``schema`` is not changed."""
    if not isinstance(schema, Mapping):
        return schema
    node: dict[str, Any] = {}
    for key, value in schema.items():
        if key in SCHEMA_MAPS and isinstance(value, Mapping):
            node[key] = {name: normalise(sub) for name, sub in value.items()}
        elif key in SCHEMA_LISTS and isinstance(value, list):
            node[key] = [normalise(sub) for sub in value]
        elif key in SCHEMA_VALUES:
            node[key] = normalise(value)
        else:
            node[key] = value
    node = _null_spelling(node)
    node = _merge_all_of(node)
    node = _single_branch(node)
    return _disjoint_one_of(node)


def _null_spelling(node: dict[str, Any]) -> dict[str, Any]:
    """``nullable: true`` for every spelling of null but a bare ``{type: "null"}``."""
    types = node.get("type")
    if isinstance(types, list) and "null" in types and len(types) > 1:
        rest = sorted(str(t) for t in types if t != "null")
        node = {**node, "type": rest[0] if len(rest) == 1 else rest, "nullable": True}
    elif isinstance(types, list) and len(types) == 1:
        node = {**node, "type": types[0]}
    values = node.get("enum")
    if isinstance(values, list) and None in values and len(values) > 1:
        # null among the values: allowed when the type allows it (or there is no type)
        node = {**node, "enum": [v for v in values if v is not None]}
        if "type" not in node:
            node["nullable"] = True
    for key in UNIONS:
        branches = node.get(key)
        if not isinstance(branches, list):
            continue
        kept = [(i, b) for i, b in enumerate(branches) if not _is_null(b)]
        if len(kept) == len(branches) or not kept:
            continue
        node = {**node, key: [_moved(b, key, i) for i, b in kept], "nullable": True}
    return node


def _is_null(schema: Any) -> bool:
    """Whether ``schema`` accepts null and nothing else."""
    if not isinstance(schema, Mapping):
        return False
    meaning = {k: v for k, v in schema.items() if k not in ANNOTATIONS and k != ORIGIN}
    return meaning in ({"type": "null"}, {"const": None}, {"enum": [None]})


def _moved(schema: Any, *tokens: str | int) -> Any:
    """``schema`` marked as written at ``tokens`` (relative to its new parent)."""
    if not isinstance(schema, Mapping):
        return schema
    inner = schema.get(ORIGIN)
    where = [str(t) for t in tokens] + (list(inner) if isinstance(inner, list) else [])
    return {**schema, ORIGIN: where}


def _merge_all_of(node: dict[str, Any]) -> dict[str, Any]:
    parts = node.get("allOf")
    if not isinstance(parts, list) or not all(isinstance(p, Mapping) for p in parts):
        return node
    merged = {k: v for k, v in node.items() if k != "allOf"}
    residual: list[Any] = []
    for index, part in enumerate(parts):
        merged = _merge(merged, _relocate(part, "allOf", index), residual)
    if residual:
        merged["allOf"] = residual
    return merged


def _single_branch(node: dict[str, Any]) -> dict[str, Any]:
    """A ``oneOf``/``anyOf`` of one branch merged into its schema (null kept as an option)."""
    for key in UNIONS:
        branches = node.get(key)
        if isinstance(branches, list) and len(branches) == 1 and isinstance(branches[0], Mapping):
            rest = {k: v for k, v in node.items() if k not in (key, "nullable")}
            residual: list[Any] = []
            merged = _merge(rest, _relocate(branches[0], key, 0), residual)
            if residual:
                merged["allOf"] = [*merged.get("allOf", []), *residual]
            if node.get("nullable") is True and ("type" in merged or "enum" in merged):
                merged["nullable"] = True  # the union's null branch: one option more
            return merged
    return node


def _relocate(part: Mapping[str, Any], key: str, index: int) -> dict[str, Any]:
    """A part about to be merged into its parent: its children marked as written in it.

    The part is ``key/index`` of its parent unless its own :data:`ORIGIN` says otherwise (a
    branch that moved when a null branch before it was dropped).
    """
    origin = part.get(ORIGIN)
    where = tuple(origin) if isinstance(origin, list) else (key, str(index))
    out: dict[str, Any] = {}
    for name, value in part.items():
        if name in (ORIGIN, REF_KEY):
            continue  # the merged schema keeps its own name and place
        if name in ("properties", "patternProperties") and isinstance(value, Mapping):
            out[name] = {p: _moved(s, *where, name, p) for p, s in value.items()}
        elif name in UNIONS and isinstance(value, list):
            out[name] = [_moved(s, *where, name, i) for i, s in enumerate(value)]
        elif name in SCHEMA_VALUES:
            out[name] = _moved(value, *where, name)
        else:
            out[name] = value
    return out


def _merge(a: dict[str, Any], b: Mapping[str, Any], residual: list[Any]) -> dict[str, Any]:
    """``a`` and ``b`` both applied (``allOf``); what cannot be merged goes to ``residual``."""
    merged = dict(a)
    null_ok = _allows_null(a) and _allows_null(b)
    for key, value in b.items():
        if key not in merged:
            merged[key] = value
        elif key in ANNOTATIONS or merged[key] == value:
            continue
        elif key == "deprecated":
            merged[key] = merged[key] is True or value is True
        elif key in ("properties", "patternProperties"):
            props = dict(merged[key])
            for name, sub in value.items():
                props[name] = _merge_schemas(props[name], sub) if name in props else sub
            merged[key] = props
        elif key == "required":
            merged[key] = sorted({*merged[key], *value})
        elif key == "type":
            common = _common_types(merged[key], value)
            if common:
                merged[key] = common[0] if len(common) == 1 else common
            else:
                residual.append({key: value})
        elif key == "enum" and isinstance(value, list) and isinstance(merged[key], list):
            merged[key] = [v for v in merged[key] if v in value]
        elif key in LOWER and _numbers(merged[key], value):
            merged[key] = max(merged[key], value)
        elif key in UPPER and _numbers(merged[key], value):
            merged[key] = min(merged[key], value)
        elif key == "additionalProperties":
            merged[key] = _merge_additional(merged[key], value)
        elif key == "uniqueItems":
            merged[key] = merged[key] is True or value is True
        elif key == "nullable":
            continue  # decided below, from both sides
        elif key in ("items", "contentSchema") and isinstance(value, Mapping):
            merged[key] = _merge_schemas(merged[key], value)
        else:
            residual.append({key: value})
    merged.pop("nullable", None)
    if null_ok and ("type" in merged or "enum" in merged):
        merged["nullable"] = True
    return merged


def _merge_schemas(a: Any, b: Any) -> Any:
    if not isinstance(a, Mapping) or not isinstance(b, Mapping):
        return a if a == b else {"allOf": [a, b]}
    residual: list[Any] = []
    merged = _merge(dict(a), {k: v for k, v in b.items() if k != ORIGIN}, residual)
    if residual:
        merged["allOf"] = [*merged.get("allOf", []), *residual]
    return merged


def _merge_additional(a: Any, b: Any) -> Any:
    if a is False or b is False:
        return False
    if a is True:
        return b
    if b is True:
        return a
    return _merge_schemas(a, b)


def _numbers(a: Any, b: Any) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))


def _allows_null(schema: Mapping[str, Any]) -> bool:
    """Whether ``schema``'s own keywords let null through."""
    if schema.get("nullable") is True:
        return True
    types = schema.get("type")
    if types is not None:
        return types == "null" or (isinstance(types, list) and "null" in types)
    if "enum" in schema:
        return None in (schema.get("enum") or [])
    if "const" in schema:
        return schema["const"] is None
    return True


def _common_types(a: Any, b: Any) -> list[str]:
    left = {a} if isinstance(a, str) else set(a or [])
    right = {b} if isinstance(b, str) else set(b or [])
    common = left & right
    if ("integer" in left and "number" in right) or ("integer" in right and "number" in left):
        common.add("integer")
    return sorted(common)


def _disjoint_one_of(node: dict[str, Any]) -> dict[str, Any]:
    """``anyOf`` for a ``oneOf`` whose branches no value can match twice."""
    branches = node.get("oneOf")
    if not isinstance(branches, list) or "anyOf" in node or not _disjoint(branches):
        return node
    rest = {k: v for k, v in node.items() if k != "oneOf"}
    return {
        **rest,
        "anyOf": [b if ORIGIN in b else _moved(b, "oneOf", i) for i, b in enumerate(branches)],
    }


def _disjoint(branches: list[Any]) -> bool:
    if len(branches) < 2 or not all(isinstance(b, Mapping) for b in branches):
        return False
    types = [b.get("type") for b in branches]
    if all(isinstance(t, str) for t in types) and len(set(types)) == len(types):
        return True
    if any(t != "object" for t in types):
        return False
    for name in branches[0].get("properties") or {}:
        tags = [_tag(b, name) for b in branches]
        if all(tag is not None for tag in tags) and len(set(tags)) == len(tags):
            return True
    return False


def _tag(branch: Mapping[str, Any], name: str) -> str | None:
    """The one value a required property of an object branch must have, as JSON, or None."""
    if name not in (branch.get("required") or []):
        return None
    prop = (branch.get("properties") or {}).get(name)
    if not isinstance(prop, Mapping) or prop.get("nullable"):
        return None
    if "const" in prop:
        return json.dumps(prop["const"], sort_keys=True)
    values = prop.get("enum")
    if isinstance(values, list) and len(values) == 1:
        return json.dumps(values[0], sort_keys=True)
    return None
