"""Matching operations of two documents and comparing each pair's parameters.

Operations are matched by method and path template (parameter names ignored), then by
operationId for the ones left, so a moved path and a renamed operationId are both found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ._messages import compare_request_body, compare_responses
from ._model import Context, Verdict, escape_pointer
from ._schemas import canonical, compare_schema
from ._security import compare_operation_security

__all__ = ["Operation", "compare_operations", "operations"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Operation:
    """One operation of a document, with its path item's shared parameters merged in."""

    method: str
    path: str
    node: dict[str, Any]
    parameters: dict[tuple[str, str], dict[str, Any]]
    shared_index: dict[tuple[str, str], int]
    """Where each path-item-level parameter sits in the path item's ``parameters`` list."""

    @property
    def operation_id(self) -> str:
        """The operationId, or ``METHOD path`` when it has none."""
        return str(self.node.get("operationId") or f"{self.method.upper()} {self.path}")

    @property
    def pointer(self) -> str:
        """The JSON pointer of the operation object."""
        return f"/paths/{escape_pointer(self.path)}/{self.method}"

    @property
    def shape(self) -> tuple[str, str]:
        """Method and path with parameter names blanked: ``/v1/x/{}``."""
        return self.method, re.sub(r"\{[^}]*\}", "{}", self.path)


def operations(document: dict[str, Any]) -> list[Operation]:
    """Every operation of a document, in document order."""
    found = []
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        shared = _parameters(item.get("parameters"))
        where = {
            (str(p.get("in")), str(p.get("name"))): index
            for index, p in enumerate(item.get("parameters") or [])
            if isinstance(p, dict)
        }
        for method in METHODS:
            node = item.get(method)
            if isinstance(node, dict):
                params = {**shared, **_parameters(node.get("parameters"))}
                found.append(Operation(method, path, node, params, where))
    return found


def _parameters(raw: Any) -> dict[tuple[str, str], dict[str, Any]]:
    params: dict[tuple[str, str], dict[str, Any]] = {}
    for param in raw or []:
        if isinstance(param, dict) and "name" in param:
            params[(str(param.get("in")), str(param["name"]))] = param
    return params


def compare_operations(
    old_doc: dict[str, Any], new_doc: dict[str, Any], changes: list[Any], today: str
) -> None:
    """Records every operation-level difference (and everything inside the operations)."""
    old_ops, new_ops = operations(old_doc), operations(new_doc)
    new_by_shape = {op.shape: op for op in new_ops}
    new_by_id = {op.operation_id: op for op in new_ops}
    matched: set[int] = set()
    for old in old_ops:
        new = new_by_shape.get(old.shape)
        if new is None or id(new) in matched:
            new = new_by_id.get(old.operation_id)
            if new is not None and id(new) in matched:
                new = None
        ctx = Context(old.operation_id, old.pointer, "operation", "request", changes, today)
        if new is None:
            _removed(old, ctx)
            continue
        matched.add(id(new))
        ctx = Context(new.operation_id, new.pointer, "operation", "request", changes, today)
        _compare_pair(old, new, ctx, old_doc, new_doc)
    for new in new_ops:
        if id(new) not in matched:
            ctx = Context(new.operation_id, new.pointer, "operation", "request", changes, today)
            ctx.add(
                "operation-added",
                Verdict.SERVER,
                f"{new.method.upper()} {new.path} ({new.operation_id}) was added; "
                "servers must implement it.",
            )


def _removed(old: Operation, ctx: Context) -> None:
    sunset = old.node.get("x-sunset")
    where = f"{old.method.upper()} {old.path} ({old.operation_id})"
    if old.node.get("deprecated") is True and sunset is not None:
        if str(sunset) <= ctx.today:
            ctx.add(
                "operation-removed-after-sunset",
                Verdict.COMPATIBLE,
                f"{where} was removed after its sunset date {sunset}.",
            )
            return
        ctx.add(
            "operation-removed-before-sunset",
            Verdict.CLIENT,
            f"{where} was removed before its sunset date {sunset}.",
        )
        return
    ctx.add("operation-removed", Verdict.CLIENT, f"{where} was removed.")


def _compare_pair(
    old: Operation, new: Operation, ctx: Context, old_doc: dict[str, Any], new_doc: dict[str, Any]
) -> None:
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
            f"{old.operation_id} moved from {old.method.upper()} {old.path} "
            f"to {new.method.upper()} {new.path}.",
        )
    if new.node.get("deprecated") is True and old.node.get("deprecated") is not True:
        sunset = new.node.get("x-sunset")
        when = f", sunset {sunset}" if sunset else " (no x-sunset date)"
        ctx.add(
            "operation-deprecated", Verdict.COMPATIBLE, f"{new.operation_id} is deprecated{when}."
        )
    _compare_parameters(old, new, ctx)
    compare_request_body(old.node.get("requestBody"), new.node.get("requestBody"), ctx)
    compare_responses(old.node.get("responses") or {}, new.node.get("responses") or {}, ctx)
    compare_operation_security(old.node, new.node, old_doc, new_doc, ctx)


def _compare_parameters(old: Operation, new: Operation, ctx: Context) -> None:
    gone = {k: v for k, v in old.parameters.items() if k not in new.parameters}
    fresh = {k: v for k, v in new.parameters.items() if k not in old.parameters}
    for key, param in list(gone.items()):
        partner = _partner(key, param, fresh)
        if partner is None:
            continue
        del gone[key]
        del fresh[partner]
        where = _param_ctx(ctx, new, partner)
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
    for key in gone:
        _param_ctx(ctx, old, key).add(
            "parameter-removed", Verdict.CLIENT, f"The {key[0]} parameter `{key[1]}` was removed."
        )
    for key, param in fresh.items():
        required = bool(param.get("required"))
        check = "parameter-added-required" if required else "parameter-added"
        kind = "required" if required else "optional"
        _param_ctx(ctx, new, key).add(
            check,
            Verdict.CLIENT if required else Verdict.COMPATIBLE,
            f"A {kind} {key[0]} parameter `{key[1]}` was added.",
        )
    for key in old.parameters.keys() & new.parameters.keys():
        _compare_parameter(old.parameters[key], new.parameters[key], _param_ctx(ctx, new, key))


def _partner(
    key: tuple[str, str], param: dict[str, Any], fresh: dict[tuple[str, str], dict[str, Any]]
) -> tuple[str, str] | None:
    """A new parameter that is this one renamed (same place, same schema) or moved."""
    for other in fresh:
        if other[1] == key[1]:
            return other
    same_schema = [
        other
        for other, candidate in fresh.items()
        if other[0] == key[0]
        and canonical(candidate.get("schema")) == canonical(param.get("schema"))
    ]
    return same_schema[0] if len(same_schema) == 1 else None


def _param_ctx(ctx: Context, op: Operation, key: tuple[str, str]) -> Context:
    """The context of one parameter: in the operation, or else in its path item."""
    label = f"{key[0]} parameter `{key[1]}`"
    for index, param in enumerate(op.node.get("parameters") or []):
        if isinstance(param, dict) and (param.get("in"), param.get("name")) == key:
            return ctx.at("parameters", label, kind="parameter").at(str(index))
    shared = op.shared_index.get(key)
    path_item = Context(
        ctx.operation,
        f"/paths/{escape_pointer(op.path)}",
        label,
        "request",
        ctx.changes,
        ctx.today,
        "parameter",
    )
    return path_item.at("parameters").at(str(shared)) if shared is not None else path_item


def _compare_parameter(old: dict[str, Any], new: dict[str, Any], ctx: Context) -> None:
    was, now = bool(old.get("required")), bool(new.get("required"))
    if now and not was:
        ctx.add("parameter-became-required", Verdict.CLIENT, f"The {ctx.label} became required.")
    elif was and not now:
        ctx.add("parameter-became-optional", Verdict.SERVER, f"The {ctx.label} became optional.")
    compare_schema(old.get("schema"), new.get("schema"), ctx.at("schema"))
