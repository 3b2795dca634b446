"""Matching the operations of two contracts and comparing each pair's parameters.

Operations (``parley_spec.Operation``, read from the resolved documents) are matched by method
and path template (parameter names ignored), then by operationId for the ones left, so a moved
path and a renamed operationId are both found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from parley_spec import Contract, Operation, Parameter

from ._canonical import canonical
from ._deprecation import compare_deprecation, removed
from ._messages import compare_request_body, compare_responses
from ._model import Change, Context, Settings, Verdict
from ._schemas import compare_schema
from ._security import compare_operation_security

__all__ = ["compare_operations", "match_operations"]

Key = tuple[str, str]
"""A parameter's ``(location, name)``."""


def _shape(op: Operation) -> tuple[str, str]:
    """Method and path with parameter names blanked: ``/v1/x/{}``."""
    return op.method, re.sub(r"\{[^}]*\}", "{}", op.path)


def match_operations(
    old: Contract, new: Contract
) -> tuple[list[tuple[Operation, Operation]], list[Operation], list[Operation]]:
    """Pairs the operations of two contracts.

    Returns:
        The pairs (old, new) in OLD's order, OLD's operations with no partner, and NEW's.
    """
    by_shape = {_shape(op): op for op in new.operations}
    matched: set[int] = set()
    pairs: list[tuple[Operation, Operation]] = []
    gone: list[Operation] = []
    for op in old.operations:
        partner = by_shape.get(_shape(op))
        if partner is None or id(partner) in matched:
            partner = new.get(op.operation_id)
            if partner is not None and id(partner) in matched:
                partner = None
        if partner is None:
            gone.append(op)
            continue
        matched.add(id(partner))
        pairs.append((op, partner))
    fresh = [op for op in new.operations if id(op) not in matched]
    return pairs, gone, fresh


def compare_operations(
    old: Contract, new: Contract, changes: list[Change], settings: Settings
) -> None:
    """Records every operation-level difference (and everything inside the operations)."""
    pairs, gone, fresh = match_operations(old, new)
    for op in gone:
        ctx = Context(op.operation_id, op.pointer, "operation", "request", changes, settings)
        where = f"{op.method} {op.path} ({op.operation_id})"
        if not removed(op.node, ctx, where, "operation"):
            ctx.add("operation-removed", Verdict.CLIENT, f"{where} was removed.")
    for before, after in pairs:
        ctx = Context(after.operation_id, after.pointer, "operation", "request", changes, settings)
        _compare_pair(before, after, ctx)
    for op in fresh:
        ctx = Context(op.operation_id, op.pointer, "operation", "request", changes, settings)
        ctx.add(
            "operation-added",
            Verdict.SERVER,
            f"{op.method} {op.path} ({op.operation_id}) was added; servers must implement it.",
        )


def _compare_pair(old: Operation, new: Operation, ctx: Context) -> None:
    if old.operation_id != new.operation_id:
        ctx.add(
            "operation-id-changed",
            Verdict.CLIENT,
            f"The operationId changed from {old.operation_id} to {new.operation_id}; "
            "generated function names change with it.",
        )
    if old.path != new.path or old.method != new.method:
        ctx.add(
            "operation-path-changed",
            Verdict.CLIENT,
            f"{old.operation_id} moved from {old.method} {old.path} to {new.method} {new.path}.",
        )
    compare_deprecation(old.node, new.node, ctx, new.operation_id, "operation")
    _compare_parameters(old, new, ctx)
    compare_request_body(old.node.get("requestBody"), new.node.get("requestBody"), ctx)
    compare_responses(old.node.get("responses") or {}, new.node.get("responses") or {}, ctx)
    compare_operation_security(old.security, new.security, ctx)


def _by_key(op: Operation) -> dict[Key, Parameter]:
    return {(p.location, p.name): p for p in op.parameters}


def _compare_parameters(old: Operation, new: Operation, ctx: Context) -> None:
    old_params, new_params = _by_key(old), _by_key(new)
    gone = {k: v for k, v in old_params.items() if k not in new_params}
    fresh = {k: v for k, v in new_params.items() if k not in old_params}
    for key, param in list(gone.items()):
        partner = _partner(key, param, fresh)
        if partner is None:
            continue
        del gone[key]
        where = _param_ctx(ctx, fresh.pop(partner))
        if partner[1] == key[1]:
            where.add(
                "parameter-moved",
                Verdict.CLIENT,
                f"The parameter `{key[1]}` moved from {key[0]} to {partner[0]}.",
            )
        else:
            where.add(
                "parameter-renamed",
                Verdict.CLIENT,
                f"The {key[0]} parameter `{key[1]}` was renamed to `{partner[1]}`.",
            )
    for key, param in gone.items():
        where = _param_ctx(ctx, param)
        what = f"The {key[0]} parameter `{key[1]}`"
        if not removed(param.node, where, what, "parameter"):
            where.add("parameter-removed", Verdict.CLIENT, f"{what} was removed.")
    for key, param in fresh.items():
        kind = "required" if param.required else "optional"
        _param_ctx(ctx, param).add(
            "parameter-added-required" if param.required else "parameter-added",
            Verdict.CLIENT if param.required else Verdict.COMPATIBLE,
            f"A {kind} {key[0]} parameter `{key[1]}` was added.",
        )
    for key in old_params.keys() & new_params.keys():
        _compare_parameter(old_params[key], new_params[key], _param_ctx(ctx, new_params[key]))


def _partner(key: Key, param: Parameter, fresh: Mapping[Key, Parameter]) -> Key | None:
    """A new parameter that is this one renamed (same place, same schema) or moved."""
    for other in fresh:
        if other[1] == key[1]:
            return other
    same_schema = [
        other
        for other, candidate in fresh.items()
        if other[0] == key[0] and canonical(candidate.schema) == canonical(param.schema)
    ]
    return same_schema[0] if len(same_schema) == 1 else None


def _param_ctx(ctx: Context, param: Parameter) -> Context:
    """The context of one parameter, where it is written (the operation or its path item)."""
    label = f"{param.location} parameter `{param.name}`"
    return ctx.moved(param.pointer, label, side="request", kind="parameter")


def _compare_parameter(old: Parameter, new: Parameter, ctx: Context) -> None:
    if new.required and not old.required:
        ctx.add("parameter-became-required", Verdict.CLIENT, f"The {ctx.label} became required.")
    elif old.required and not new.required:
        ctx.add("parameter-became-optional", Verdict.SERVER, f"The {ctx.label} became optional.")
    compare_deprecation(old.node, new.node, ctx, f"The {ctx.label}", "parameter")
    compare_schema(old.node.get("schema"), new.node.get("schema"), ctx.at("schema"))
