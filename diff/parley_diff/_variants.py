"""Comparing the branches of ``oneOf``/``anyOf`` as sets, matched by content.

Branches the two schemas spell the same are equal whatever their order. The others are paired
by what identifies them, in this order: the component they came from (a resolved ``$ref``), the
one value a required property must have (``event: start``), the one type a branch has; what is
left pairs when exactly one branch is left on each side. A pair is compared as one schema; an
unpaired branch is a branch removed (``<place>-variant-removed``: breaks whoever sends the data)
or added (``<place>-variant-added``: breaks whoever receives it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ._canonical import canonical
from ._model import Context
from ._normalise import REF_KEY, UNIONS, child_pointer

__all__ = ["compare_variants"]

Compare = Callable[[Any, Any, Context], None]


def _branches(schema: dict[str, Any]) -> tuple[str, list[Any]] | None:
    for key in UNIONS:
        value = schema.get(key)
        if isinstance(value, list):
            return key, value
    return None


def compare_variants(
    old: dict[str, Any], new: dict[str, Any], ctx: Context, compare: Compare
) -> None:
    """Records the differences of two schemas' branches (both in the normal form).

    Args:
        old: The OLD schema.
        new: The NEW schema.
        ctx: Where the schema is.
        compare: How a pair of branches is compared (``compare_schema``).
    """
    was, now = _branches(old), _branches(new)
    if was is None and now is None:
        return
    # A union on one side only: the other side is a union of one branch, itself.
    (old_key, old_list) = was or (now[0] if now else "anyOf", [_alone(old)])
    (new_key, new_list) = now or (old_key, [_alone(new)])
    if now is None:
        new_key = old_key
    if was is not None and now is not None and old_key != new_key:
        # Disjoint oneOf branches are already anyOf in the normal form: these may overlap.
        looser = old_key == "oneOf"
        ctx.add(
            f"{ctx.prefix}-schema-changed",
            ctx.looser() if looser else ctx.tighter(),
            f"The {ctx.label} alternatives changed from {old_key} to {new_key}: a value may "
            + ("now match several." if looser else "no longer match several."),
        )
    gone, fresh, pairs = _match(old_list, new_list)
    for before, after in pairs:
        if now is None:
            compare(before, after, ctx)  # NEW itself is the branch
            continue
        index = str(new_list.index(after))
        compare(before, after, ctx.moved(child_pointer(ctx.pointer, after, new_key, index)))
    if gone:
        ctx.add(
            f"{ctx.prefix}-variant-removed",
            ctx.tighter(),
            f"The {ctx.label} lost {len(gone)} of its {old_key} alternatives{_names(gone)}.",
        )
    if fresh:
        ctx.add(
            f"{ctx.prefix}-variant-added",
            ctx.looser(),
            f"The {ctx.label} gained {len(fresh)} {new_key} alternatives{_names(fresh)}.",
        )


def _alone(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema without a union, as the one branch of a union."""
    return {k: v for k, v in schema.items() if k not in UNIONS}


def _names(branches: list[Any]) -> str:
    names = [str(b[REF_KEY]) for b in branches if isinstance(b, dict) and REF_KEY in b]
    return f" ({', '.join(names)})" if names else ""


def _match(old: list[Any], new: list[Any]) -> tuple[list[Any], list[Any], list[tuple[Any, Any]]]:
    """(old branches unmatched, new branches unmatched, pairs of branches that changed)."""
    new_left = list(new)
    gone: list[Any] = []
    for branch in old:
        twin = next((b for b in new_left if canonical(b) == canonical(branch)), None)
        if twin is None:
            gone.append(branch)
        else:
            new_left.remove(twin)
    pairs: list[tuple[Any, Any]] = []
    for identify in (_ref_name, _tag, _type):
        for branch in list(gone):
            key = identify(branch)
            if key is None:
                continue
            olds = [b for b in gone if identify(b) == key]
            news = [b for b in new_left if identify(b) == key]
            if len(olds) == 1 and len(news) == 1:
                pairs.append((branch, news[0]))
                gone.remove(branch)
                new_left.remove(news[0])
    if len(gone) == 1 and len(new_left) == 1:
        pairs.append((gone.pop(), new_left.pop()))
    return gone, new_left, pairs


def _ref_name(branch: Any) -> str | None:
    return str(branch[REF_KEY]) if isinstance(branch, dict) and REF_KEY in branch else None


def _tag(branch: Any) -> str | None:
    """``name=value`` of the first required property that must have one value."""
    if not isinstance(branch, dict):
        return None
    for name, prop in (branch.get("properties") or {}).items():
        if name not in (branch.get("required") or []) or not isinstance(prop, dict):
            continue
        if "const" in prop:
            return f"{name}={json.dumps(prop['const'], sort_keys=True)}"
        values = prop.get("enum")
        if isinstance(values, list) and len(values) == 1:
            return f"{name}={json.dumps(values[0], sort_keys=True)}"
    return None


def _type(branch: Any) -> str | None:
    kind = branch.get("type") if isinstance(branch, dict) else None
    return kind if isinstance(kind, str) else None
