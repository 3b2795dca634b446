"""Comparing two JSON Schemas of one place in the contract, request side or response side.

One recursive walk: :func:`compare_schema` compares types, enums, bounds, patterns, items and
variants, and :func:`compare_properties` the properties of object schemas, which it calls back
for every property both schemas have.

A constraint that gets tighter breaks whoever sends the data (clients for requests, servers
for responses); one that gets looser breaks whoever receives it. One exception, by Parley's
forward-compatibility rule: a new enum value in a response is compatible, because Parley's
generated client keeps an unknown value as the raw string.
"""

from __future__ import annotations

import json
from typing import Any

from ._canonical import canonical, same
from ._deprecation import compare_deprecation, removed
from ._model import Context, Verdict
from ._normalise import child_pointer
from ._variants import compare_variants

__all__ = ["canonical", "child_label", "compare_properties", "compare_schema", "into"]

LOWER = {
    "minimum": "bounds",
    "exclusiveMinimum": "bounds",
    "minLength": "length",
    "minItems": "items",
    "minProperties": "items",
}
UPPER = {
    "maximum": "bounds",
    "exclusiveMaximum": "bounds",
    "maxLength": "length",
    "maxItems": "items",
    "maxProperties": "items",
}


def _split_null(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The schema without its null option, and whether it had one (see :mod:`._normalise`)."""
    if schema.get("nullable") is True:
        return {k: v for k, v in schema.items() if k != "nullable"}, True
    return schema, False


def _types(schema: dict[str, Any]) -> set[str]:
    value = schema.get("type")
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {str(t) for t in value}
    return set()


def _enum(schema: dict[str, Any]) -> list[Any] | None:
    if "enum" in schema and isinstance(schema["enum"], list):
        return list(schema["enum"])
    if "const" in schema:
        return [schema["const"]]
    return None


def child_label(label: str, name: str) -> str:
    """``request body`` + ``title`` -> ``request body property `title```; nests as a.b."""
    if label.endswith("`"):
        return f"{label[:-1]}.{name}`"
    return f"{label} property `{name}`"


def into(ctx: Context, node: Any, *tokens: str, label: str | None = None) -> Context:
    """The context of a sub-schema: where the document writes ``node``, else at ``tokens``.

    A sub-schema may have moved in the normal form (:func:`~._normalise.child_pointer`).
    """
    return ctx.moved(child_pointer(ctx.pointer, node, *tokens), label)


def _found(ctx: Context, before: int) -> bool:
    """Whether a difference of behaviour was recorded since ``before``."""
    return any(
        change.verdict is not Verdict.POLICY and not change.check.endswith("-deprecated")
        for change in ctx.changes[before:]
    )


def compare_schema(old: Any, new: Any, ctx: Context) -> None:
    """Records every difference between two schemas at ``ctx`` (see the module docstring).

    Both schemas are in the normal form of :func:`~._normalise.normalise`.
    """
    if same(old, new):
        return
    if not isinstance(old, dict) or not isinstance(new, dict):
        ctx.add(f"{ctx.prefix}-schema-changed", Verdict.CLIENT, f"The {ctx.label} schema changed.")
        return
    before = len(ctx.changes)
    old, old_null = _split_null(old)
    new, new_null = _split_null(new)
    if old_null != new_null:
        _nullable(old_null, ctx)
    if _compare_types(old, new, ctx):
        return  # a different type: its old constraints say nothing about the new one
    _compare_enum(old, new, ctx)
    _compare_bounds(old, new, ctx)
    _compare_pattern(old, new, ctx)
    compare_properties(old, new, ctx)
    if "items" in old and "items" in new:
        label = f"{ctx.label[:-1]}[]`" if ctx.label.endswith("`") else f"{ctx.label} items"
        compare_schema(old["items"], new["items"], into(ctx, new["items"], "items", label=label))
    compare_variants(old, new, ctx, compare_schema)
    if not _found(ctx, before) and canonical(old) != canonical(new):
        ctx.add(f"{ctx.prefix}-schema-changed", Verdict.CLIENT, f"The {ctx.label} schema changed.")


def _nullable(was_nullable: bool, ctx: Context) -> None:
    if was_nullable:
        ctx.add(
            f"{ctx.prefix}-nullable-removed",
            ctx.tighter(),
            f"The {ctx.label} may no longer be null.",
        )
    else:
        ctx.add(f"{ctx.prefix}-nullable-added", ctx.looser(), f"The {ctx.label} may now be null.")


def _compare_types(old: dict[str, Any], new: dict[str, Any], ctx: Context) -> bool:
    """Records type and format changes; True when the type changed to an unrelated one."""
    changed = False
    old_types, new_types = _types(old), _types(new)
    if old_types and new_types and old_types != new_types:
        widened = {"integer"} if "number" in new_types else set()
        if old_types <= new_types | widened:
            check, verdict = "type-widened", ctx.looser()
        elif new_types <= old_types | ({"integer"} if "number" in old_types else set()):
            check, verdict = "type-narrowed", ctx.tighter()
        else:
            check, verdict, changed = "type-changed", Verdict.CLIENT, True
        was, now = "/".join(sorted(old_types)), "/".join(sorted(new_types))
        ctx.add(
            f"{ctx.prefix}-{check}", verdict, f"The {ctx.label} type changed from {was} to {now}."
        )
    old_format, new_format = old.get("format"), new.get("format")
    if old_format != new_format:
        if old_format and new_format:
            verdict = Verdict.CLIENT
        else:
            verdict = ctx.tighter() if new_format else ctx.looser()
        ctx.add(
            f"{ctx.prefix}-format-changed",
            verdict,
            f"The {ctx.label} format changed from {_show(old_format)} to {_show(new_format)}.",
        )
    return changed


def _compare_enum(old: dict[str, Any], new: dict[str, Any], ctx: Context) -> None:
    old_values, new_values = _enum(old), _enum(new)
    if old_values is None and new_values is None:
        return
    if old_values is None:
        ctx.add(f"{ctx.prefix}-enum-added", ctx.tighter(), f"The {ctx.label} is now an enum.")
        return
    if new_values is None:
        ctx.add(
            f"{ctx.prefix}-enum-removed", ctx.looser(), f"The {ctx.label} is no longer an enum."
        )
        return
    removed = [v for v in old_values if v not in new_values]
    added = [v for v in new_values if v not in old_values]
    if removed:
        ctx.add(
            f"{ctx.prefix}-enum-value-removed",
            ctx.tighter(),
            f"The {ctx.label} no longer allows {_list(removed)}.",
        )
    if added:
        verdict = Verdict.COMPATIBLE if ctx.side == "response" else ctx.looser()
        note = (
            " (Parley clients keep an unknown value as a string)" if ctx.side == "response" else ""
        )
        ctx.add(
            f"{ctx.prefix}-enum-value-added",
            verdict,
            f"The {ctx.label} now also allows {_list(added)}{note}.",
        )


def _list(values: list[Any]) -> str:
    return ", ".join(json.dumps(v) for v in values)


def _compare_bounds(old: dict[str, Any], new: dict[str, Any], ctx: Context) -> None:
    for keyword, group in (*LOWER.items(), *UPPER.items()):
        was, now = old.get(keyword), new.get(keyword)
        if was == now or isinstance(was, bool) or isinstance(now, bool):
            continue
        if was is None:
            tighter = True
        elif now is None:
            tighter = False
        else:
            tighter = now > was if keyword in LOWER else now < was
        direction = "tightened" if tighter else "loosened"
        ctx.add(
            f"{ctx.prefix}-{group}-{direction}",
            ctx.tighter() if tighter else ctx.looser(),
            f"The {ctx.label} {keyword} changed from {_show(was)} to {_show(now)}.",
        )


def _show(value: Any) -> str:
    return "none" if value is None else json.dumps(value)


def _compare_pattern(old: dict[str, Any], new: dict[str, Any], ctx: Context) -> None:
    was, now = old.get("pattern"), new.get("pattern")
    if was == now:
        return
    if was is None:
        check, verdict = "pattern-added", ctx.tighter()
    elif now is None:
        check, verdict = "pattern-removed", ctx.looser()
    else:
        check, verdict = "pattern-changed", ctx.tighter()
    ctx.add(
        f"{ctx.prefix}-{check}",
        verdict,
        f"The {ctx.label} pattern changed from {_show(was)} to {_show(now)}.",
    )


def compare_properties(old: dict[str, Any], new: dict[str, Any], ctx: Context) -> None:
    """Records property and ``additionalProperties`` differences of two object schemas."""
    old_props: dict[str, Any] = old.get("properties") or {}
    new_props: dict[str, Any] = new.get("properties") or {}
    old_required = set(old.get("required") or [])
    new_required = set(new.get("required") or [])
    side = ctx.side
    for name, schema in old_props.items():
        if name in new_props:
            continue
        where = into(ctx, schema, "properties", name, label=child_label(ctx.label, name))
        _removed(schema, where, closed=_closed(new))
    for name, schema in new_props.items():
        if name in old_props:
            continue
        where = into(ctx, schema, "properties", name, label=child_label(ctx.label, name))
        _added(where, required=name in new_required, closed=_closed(old))
    for name in old_props.keys() & new_props.keys():
        label = child_label(ctx.label, name)
        where = into(ctx, new_props[name], "properties", name, label=label)
        compare_deprecation(old_props[name], new_props[name], where, f"The {label}", "property")
        was, now = name in old_required, name in new_required
        if was and not now:
            verdict = Verdict.SERVER if side == "request" else Verdict.CLIENT
            where.add(
                f"{where.prefix}-property-became-optional",
                verdict,
                f"The {where.label} became optional.",
            )
        elif now and not was:
            verdict = Verdict.CLIENT if side == "request" else Verdict.SERVER
            where.add(
                f"{where.prefix}-property-became-required",
                verdict,
                f"The {where.label} became required.",
            )
        compare_schema(old_props[name], new_props[name], where)
    _additional(old, new, ctx)


def _closed(schema: dict[str, Any]) -> bool:
    """Whether the object schema rejects properties it does not name."""
    return schema.get("additionalProperties") is False


def _added(where: Context, *, required: bool, closed: bool) -> None:
    """Records a property that NEW has and OLD has not.

    On a closed OLD schema (``additionalProperties: false``) the property is one more thing
    the old schema rejects: a server built from it rejects requests that carry the property
    (breaking for servers), and a client that validates responses strictly against it
    rejects responses that carry it (breaking for clients).
    """
    kind = "required" if required else "optional"
    message = f"The {where.label} was added ({kind})"
    old_rejects = "the old schema is closed (additionalProperties: false), so"
    if where.side == "request":
        if required:
            note = f"; {old_rejects} servers built from it also reject it" if closed else ""
            where.add(
                f"{where.prefix}-property-added-required", Verdict.CLIENT, f"{message}{note}."
            )
        elif closed:
            where.add(
                f"{where.prefix}-property-added-closed",
                Verdict.SERVER,
                f"{message}; {old_rejects} servers built from the old contract reject "
                "requests that carry it.",
            )
        else:
            where.add(f"{where.prefix}-property-added", Verdict.COMPATIBLE, f"{message}.")
    elif closed:
        must = "; servers must send it" if required else ""
        where.add(
            f"{where.prefix}-property-added-closed",
            Verdict.CLIENT,
            f"{message}; {old_rejects} clients that validate responses strictly against it "
            f"reject them (Parley's client keeps it in additional_properties){must}.",
        )
    elif required:
        where.add(f"{where.prefix}-property-added-required", Verdict.SERVER, f"{message}.")
    else:
        where.add(f"{where.prefix}-property-added", Verdict.COMPATIBLE, f"{message}.")


def _removed(schema: Any, where: Context, *, closed: bool = False) -> None:
    if not removed(schema, where, f"The {where.label}", "property"):
        note = ""
        if closed and where.side == "request":
            note = "; the schema is closed, so servers reject requests that still carry it"
        where.add(
            f"{where.prefix}-property-removed",
            Verdict.CLIENT,
            f"The {where.label} was removed{note}.",
        )


def _additional(old: dict[str, Any], new: dict[str, Any], ctx: Context) -> None:
    was, now = old.get("additionalProperties", True), new.get("additionalProperties", True)
    if was is not False and now is False:
        verdict = ctx.tighter()
        ctx.add(
            f"{ctx.prefix}-additional-properties-closed",
            verdict,
            f"The {ctx.label} no longer allows properties it does not name.",
        )
    elif was is False and now is not False:
        # A response schema that opens lets servers send what strict clients of OLD reject,
        # the same verdict as a property added to a closed response schema.
        ctx.add(
            f"{ctx.prefix}-additional-properties-opened",
            ctx.looser(),
            f"The {ctx.label} now allows properties it does not name"
            + (
                "; clients that validate responses strictly against OLD reject them."
                if ctx.side == "response"
                else "."
            ),
        )
    elif isinstance(was, dict) and isinstance(now, dict):
        label = f"{ctx.label} values"
        compare_schema(was, now, into(ctx, now, "additionalProperties", label=label))
