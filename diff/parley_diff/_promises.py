"""The promises of the `x-parley-*` annotations, compared between two documents.

What a list's order, a filter, a list's visibility of soft-deleted items, a write's effects
and a count promise.

A promise changed or taken away breaks clients (they relied on it: a list read newest first,
a filter that narrows, a count that means what it said); a new promise breaks servers (they
must now keep it). Operations are matched by operationId; renamed ones are left to the
operation checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._model import Context, Verdict, escape_pointer
from ._operations import Operation, operations

__all__ = ["compare_promises"]

# Operation-level annotations: (key, check id prefix, what a message calls it).
_OPERATION_PROMISES = (
    ("x-parley-order", "order", "the list's order"),
    ("x-parley-visibility", "visibility", "which soft-deleted items the list shows"),
    ("x-parley-effects", "effects", "what the write changes in later reads"),
)
_MAX_DEPTH = 12


def _add(ctx: Context, prefix: str, what: str, old: Any, new: Any) -> None:
    """Record the difference between an old and a new promise (either may be None)."""
    if old == new:
        return
    if old is None:
        ctx.add(
            f"{prefix}-added",
            Verdict.SERVER,
            f"Now promised: {what} ({new}); servers must keep it.",
        )
    elif new is None:
        ctx.add(f"{prefix}-removed", Verdict.CLIENT, f"No longer promised: {what} (was {old}).")
    else:
        ctx.add(f"{prefix}-changed", Verdict.CLIENT, f"Changed: {what}, from {old} to {new}.")


def _counts(node: Any, pointer: str, depth: int = 0) -> Iterator[tuple[str, str, Any]]:
    """(pointer, property name, x-parley-count) of every annotated property under `node`."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            where = f"{pointer}/properties/{escape_pointer(str(name))}"
            if isinstance(sub, dict) and "x-parley-count" in sub:
                yield where, str(name), sub["x-parley-count"]
            yield from _counts(sub, where, depth + 1)
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                yield from _counts(node[key], f"{pointer}/{key}", depth + 1)
        for key in ("allOf", "oneOf", "anyOf"):
            for index, part in enumerate(node.get(key) or []):
                yield from _counts(part, f"{pointer}/{key}/{index}", depth + 1)


def _response_counts(op: Operation) -> dict[str, tuple[str, Any]]:
    found: dict[str, tuple[str, Any]] = {}
    for status, response in (op.node.get("responses") or {}).items():
        if not str(status).startswith("2") or not isinstance(response, dict):
            continue
        schema = ((response.get("content") or {}).get("application/json") or {}).get("schema")
        base = f"{op.pointer}/responses/{status}/content/application~1json/schema"
        for where, name, count in _counts(schema, base):
            found[where] = (name, count)
    return found


def compare_promises(old_doc: dict[str, Any], new_doc: dict[str, Any], changes: list[Any]) -> None:
    """Record every changed, removed or added promise of operations both documents have.

    Args:
        old_doc: The resolved old document.
        new_doc: The resolved new document.
        changes: Where the findings are appended.
    """
    new_ops = {op.operation_id: op for op in operations(new_doc)}
    for old in operations(old_doc):
        new = new_ops.get(old.operation_id)
        if new is None:
            continue
        ctx = Context(new.operation_id, new.pointer, "operation", "response", changes)
        for key, prefix, what in _OPERATION_PROMISES:
            _add(ctx.at(key), prefix, what, old.node.get(key), new.node.get(key))
        for where, param in new.parameters.items():
            before = old.parameters.get(where)
            if before is None:
                continue
            what = f"the field the {where[1]} parameter filters"
            at = Context(
                new.operation_id, f"{new.pointer}/parameters", "parameter", "request", changes
            )
            _add(at, "filter", what, before.get("x-parley-filter"), param.get("x-parley-filter"))
        old_counts, new_counts = _response_counts(old), _response_counts(new)
        for site in sorted(set(old_counts) | set(new_counts)):
            if not (_exists(old_doc, site) and _exists(new_doc, site)):
                continue  # the property itself came or went: the schema checks report it
            name = (new_counts.get(site) or old_counts[site])[0]
            before, after = old_counts.get(site, ("", None))[1], new_counts.get(site, ("", None))[1]
            at = Context(new.operation_id, site, "property", "response", changes)
            _add(at, "count", f"what {name} counts", before, after)


def _exists(document: dict[str, Any], pointer: str) -> bool:
    """Whether the resolved document has a node at JSON pointer `pointer`."""
    node: Any = document
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True
