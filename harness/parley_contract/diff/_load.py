"""Reading the two documents: a file, ``git:REF``, or ``release:VERSION`` (``releases/``).

Local ``$ref``s are replaced by a copy of their target, so that two documents are compared by
content, not by the names their schemas happen to have; the target's name is kept under
:data:`REF_KEY` for messages.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml

from ._releases import release_file

__all__ = ["REF_KEY", "SpecError", "load_spec", "resolve_refs"]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it: about ten times faster on the whole spec."""

REF_KEY = "x-parley-ref"
"""The key a resolved ``$ref`` leaves behind: the name of what it pointed at."""


class SpecError(Exception):
    """A document that cannot be read: a missing file, an unknown git ref, bad YAML."""


def load_spec(source: str, *, cwd: Path | None = None) -> dict[str, Any]:
    """Reads and resolves one OpenAPI document.

    Args:
        source: A file path, or ``git:REF`` (``openapi.yaml`` at the root of the repository
            holding ``cwd``, at that ref), or ``git:REF:PATH`` for another file, or
            ``release:X.Y.Z`` / ``release:latest`` for ``releases/X.Y.Z/openapi.yaml`` under
            ``cwd`` (latest: the highest version there).
        cwd: Where relative paths and git commands start (default: the current folder).

    Returns:
        The document as a dict, every local ``$ref`` resolved.

    Raises:
        SpecError: The file or ref does not exist, or the text is not a YAML/JSON mapping.
    """
    where = cwd or Path.cwd()
    if source.startswith("git:"):
        ref, _, path = source[4:].partition(":")
        text = _git_show(ref, path or "openapi.yaml", where)
    else:
        file = where / source
        if source.startswith("release:"):
            try:
                file = release_file(where, source.removeprefix("release:"))
            except LookupError as exc:
                raise SpecError(str(exc)) from exc
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise SpecError(f"cannot read {source}: {exc.strerror or exc}") from exc
    try:
        document = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise SpecError(f"{source} is not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise SpecError(f"{source} is not an OpenAPI document (not a mapping)")
    resolved = resolve_refs(document, document, ())
    assert isinstance(resolved, dict)
    return resolved


def _git_show(ref: str, path: str, cwd: Path) -> str:
    if not ref:
        raise SpecError("git: needs a ref, e.g. git:HEAD~1 or git:v1.2.0")
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        shown = subprocess.run(
            ["git", "show", f"{ref}:{path}"], cwd=top, capture_output=True, text=True
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SpecError(f"git:{ref}: not inside a git repository ({exc})") from exc
    if shown.returncode != 0:
        reason = shown.stderr.strip().splitlines()[-1] if shown.stderr.strip() else "failed"
        raise SpecError(f"git:{ref}: {path} cannot be read at that ref: {reason}")
    return shown.stdout


def resolve_refs(node: Any, root: dict[str, Any], stack: tuple[str, ...]) -> Any:
    """A copy of ``node`` with every local ``$ref`` replaced by its resolved target.

    A reference cycle is left as ``{"$ref": ...}`` where it closes; a remote ``$ref`` (another
    file or a URL) is left as is and compared by its text.

    Raises:
        SpecError: A local ``$ref`` points at nothing.
    """
    if isinstance(node, list):
        return [resolve_refs(item, root, stack) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
        if ref in stack:
            return {"$ref": ref}
        target = _follow(ref, root)
        resolved = resolve_refs(target, root, (*stack, ref))
        siblings = {k: resolve_refs(v, root, stack) for k, v in node.items() if k != "$ref"}
        if isinstance(resolved, dict):
            return {**resolved, **siblings, REF_KEY: ref.rsplit("/", 1)[-1]}
        return resolved
    return {key: resolve_refs(value, root, stack) for key, value in node.items()}


def _follow(ref: str, root: dict[str, Any]) -> Any:
    node: Any = root
    for raw in ref[1:].split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise SpecError(f"$ref {ref} points at nothing")
    return node
