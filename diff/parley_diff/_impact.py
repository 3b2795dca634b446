"""What a client-breaking change does to Parley's code: generated functions, overlay methods.

The generated client has one module per operation (``parley_client.api.<tag>.<operation>``,
functions ``sync``, ``sync_detailed``, ``asyncio``, ``asyncio_detailed``). The overlay methods
are found by reading the overlay source (never importing it): a method is affected when it
calls the operation's generated module or names the operationId in its docstring.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import re
from functools import cache
from pathlib import Path

from parley_spec import Contract

from ._model import Change, Verdict

__all__ = ["annotate", "snake"]


def snake(name: str) -> str:
    """``createConversation`` -> ``create_conversation``; ``agent-conversations`` likewise."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", name)
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return name.strip("_").lower()


@cache
def _overlay_index(root: str) -> dict[str, tuple[str, ...]]:
    """Generated module name -> overlay methods that use it (``client.x.method``)."""
    folder = Path(root)
    accessors: dict[str, str] = {}
    for client_file in sorted(folder.rglob("*client.py")):  # the sync and the async client
        accessors.update(_accessors(client_file))
    index: dict[str, list[str]] = {}
    for file in sorted(folder.rglob("*.py")):
        try:
            tree = ast.parse(file.read_text(encoding="utf-8"))
        except (OSError, SyntaxError):
            continue
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            owner = accessors.get(cls.name, cls.name)
            for fn in cls.body:
                if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if fn.name.startswith("_"):
                    continue
                names = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}
                doc = ast.get_docstring(fn) or ""
                names |= {snake(m) for m in re.findall(r"``([a-z][A-Za-z]+)``", doc)}
                for name in names:
                    index.setdefault(name, []).append(f"{owner}.{fn.name}")
    return {k: tuple(dict.fromkeys(v)) for k, v in index.items()}


def _accessors(client_file: Path) -> dict[str, str]:
    """Resource class -> how users reach it (``Conversations`` -> ``client.conversations``)."""
    found: dict[str, str] = {}
    try:
        tree = ast.parse(client_file.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and isinstance(node.returns, ast.Name):
            prefix = "aclient" if node.returns.id.startswith("Async") else "client"
            found.setdefault(node.returns.id, f"{prefix}.{node.name}")
    return found


def _overlay_root() -> str | None:
    spec = importlib.util.find_spec("parley")
    if spec is None or spec.origin is None:
        return None
    return str(Path(spec.origin).parent)


def _tags(*contracts: Contract) -> dict[str, str]:
    """OperationId -> the module folder of its generated function (its first tag)."""
    tags: dict[str, str] = {}
    for contract in contracts:
        for op in contract.operations:
            tags.setdefault(op.operation_id, snake(op.tags[0] if op.tags else "default"))
    return tags


def _what(change: Change) -> str:
    tokens = change.pointer.split("/")
    name = ""
    if "properties" in tokens:
        last = max(i for i, token in enumerate(tokens) if token == "properties")
        name = snake(tokens[last + 1]) if last + 1 < len(tokens) else ""
    elif "parameters" in tokens:
        match = re.search(r"`([^`]+)`", change.message)
        name = snake(match[1]) if match else ""
    check = change.check
    if check in {"operation-removed", "operation-removed-before-sunset"}:
        return "method removed"
    if check == "operation-id-changed":
        return f"renamed with its operationId to {snake(change.operation)}"
    if check == "operation-path-changed":
        return "calls a new URL: upgrade the client before the server moves"
    if check.startswith("security-"):
        return "needs other credentials: " + change.message[0].lower() + change.message[1:-1]
    if check in {"parameter-renamed"}:
        names = re.findall(r"`([^`]+)`", change.message)
        return f"keyword {snake(names[0])} renamed to {snake(names[-1])}"
    if change.pointer.find("/requestBody/") >= 0 or check.startswith("parameter-"):
        if check.endswith("removed"):
            return f"keyword {name} removed"
        if check.endswith(("added-required", "became-required")):
            return f"keyword {name} now required"
        return f"keyword {name}: {change.message[0].lower()}{change.message[1:-1]}"
    if "/responses/" in change.pointer and name:
        if check.endswith("property-added-closed"):
            return (
                f"nothing (result attribute {name} lands in additional_properties); "
                "code that validates responses strictly against the old schema rejects them"
            )
        if check.endswith("removed"):
            return f"result attribute {name} removed"
        if check.endswith("became-optional"):
            return f"result attribute {name} may be UNSET"
        if check.endswith("nullable-added"):
            return f"result attribute {name} may be None"
        return f"result attribute {name}: {change.message[0].lower()}{change.message[1:-1]}"
    return change.message[0].lower() + change.message[1:-1]


def _reach_order(method: str) -> tuple[int, str]:
    """Resource methods (sync, then async) before service classes."""
    rank = 0 if method.startswith("client.") else 1 if method.startswith("aclient.") else 2
    return rank, method


def annotate(changes: list[Change], old: Contract, new: Contract) -> list[Change]:
    """The changes, each client-breaking one with its ``impact`` lines filled in."""
    tags = _tags(new, old)
    root = _overlay_root()
    index = _overlay_index(root) if root else {}
    annotated = []
    for change in changes:
        if change.verdict is not Verdict.CLIENT or change.operation not in tags:
            annotated.append(change)
            continue
        module = snake(change.operation)
        renamed = re.match(r"The operationId changed from (\S+) to", change.message)
        if change.check == "operation-id-changed" and renamed:
            module = snake(renamed[1])  # what users call today
        what = _what(change)
        lines = [f"parley_client.api.{tags[change.operation]}.{module}: {what}"]
        methods = sorted(index.get(module, ()), key=_reach_order)
        lines += [f"{method}: {what}" for method in methods]
        annotated.append(dataclasses.replace(change, impact=tuple(lines)))
    return annotated
