"""Local ``$ref`` resolution, through the one JSON Pointer decoder (:mod:`parley_spec._pointer`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._pointer import follow_pointer
from ._read import SpecError


def resolve(document: Any, node: Any) -> Any:
    """Follows ``node``'s local ``$ref`` chain to the first node that is not a reference.

    Raises:
        SpecError: A reference points at nothing, or the chain loops.
    """
    seen: set[str] = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen:
            raise SpecError(f"$ref {ref} refers to itself")
        seen.add(ref)
        node = follow_pointer(document, ref)
    return node


def resolve_refs(node: Any, document: Any, *, mark: str | None = None) -> Any:
    """A deep copy of ``node`` with every local ``$ref`` replaced by a copy of its target.

    A reference cycle is left as ``{"$ref": ...}`` where it closes; a remote ``$ref`` (another
    file or a URL) is left as is. Keys beside a ``$ref`` are kept, over the target's.

    Args:
        node: Where to start (often the document itself).
        document: The whole document, for the pointers.
        mark: When given, a resolved mapping also gets this key holding the last segment of
            the reference it came from (e.g. ``Problem``), for messages.

    Raises:
        SpecError: A local ``$ref`` points at nothing.
    """
    return _resolve_refs(node, document, (), mark)


def _resolve_refs(node: Any, document: Any, stack: tuple[str, ...], mark: str | None) -> Any:
    if isinstance(node, list):
        return [_resolve_refs(item, document, stack, mark) for item in node]
    if not isinstance(node, Mapping):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
        if ref in stack:
            return {"$ref": ref}
        target = _resolve_refs(follow_pointer(document, ref), document, (*stack, ref), mark)
        siblings = {
            k: _resolve_refs(v, document, stack, mark) for k, v in node.items() if k != "$ref"
        }
        if isinstance(target, dict):
            named = {mark: ref.rsplit("/", 1)[-1]} if mark else {}
            return {**target, **siblings, **named}
        return target
    return {key: _resolve_refs(value, document, stack, mark) for key, value in node.items()}
