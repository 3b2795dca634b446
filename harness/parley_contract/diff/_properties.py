"""Comparing the properties of two object schemas: added, removed, required, closed."""

from __future__ import annotations

from typing import Any

from ._model import Context, Verdict
from ._schemas import child_label, compare_schema, sunset_passed

__all__ = ["compare_properties"]


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
        where = ctx.at("properties").at(name, child_label(ctx.label, name))
        _removed(name, schema, where)
    for name in new_props:
        if name in old_props:
            continue
        where = ctx.at("properties").at(name, child_label(ctx.label, name))
        required = name in new_required
        if side == "request":
            verdict = Verdict.CLIENT if required else Verdict.COMPATIBLE
        else:
            verdict = Verdict.SERVER if required else Verdict.COMPATIBLE
        check = (
            f"{where.prefix}-property-added-required"
            if required
            else f"{where.prefix}-property-added"
        )
        kind = "required" if required else "optional"
        where.add(check, verdict, f"The {where.label} was added ({kind}).")
    for name in old_props.keys() & new_props.keys():
        where = ctx.at("properties").at(name, child_label(ctx.label, name))
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


def _removed(name: str, schema: Any, where: Context) -> None:
    passed = sunset_passed(schema, where.today)
    if passed:
        where.add(
            "property-removed-after-sunset",
            Verdict.COMPATIBLE,
            f"The {where.label} was removed after its sunset date {schema['x-sunset']}.",
        )
    elif passed is False:
        where.add(
            "property-removed-before-sunset",
            Verdict.CLIENT,
            f"The {where.label} was removed before its sunset date {schema['x-sunset']}.",
        )
    else:
        where.add(
            f"{where.prefix}-property-removed", Verdict.CLIENT, f"The {where.label} was removed."
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
        verdict = Verdict.COMPATIBLE if ctx.side == "response" else ctx.looser()
        ctx.add(
            f"{ctx.prefix}-additional-properties-opened",
            verdict,
            f"The {ctx.label} now allows properties it does not name.",
        )
    elif isinstance(was, dict) and isinstance(now, dict):
        compare_schema(was, now, ctx.at("additionalProperties", f"{ctx.label} values"))
