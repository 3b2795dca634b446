"""Reading the two documents: a file, ``git:REF``, or ``release:VERSION`` (``releases/``).

Local ``$ref``s are replaced by a copy of their target, so that two documents are compared by
content, not by the names their schemas happen to have; the target's name is kept under
:data:`REF_KEY` for messages.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from parley_spec import SpecError, parse_document, resolve_refs

from ._releases import release_file

__all__ = ["REF_KEY", "SpecError", "load_source", "resolve_document"]

REF_KEY = "x-parley-ref"
"""The key a resolved ``$ref`` leaves behind: the name of what it pointed at."""


def load_source(source: str, *, cwd: Path | None = None) -> dict[str, Any]:
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
    return resolve_document(parse_document(text, source))


def resolve_document(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` with every local ``$ref`` resolved, targets named by REF_KEY.

    Raises:
        SpecError: A local ``$ref`` points at nothing.
    """
    resolved: dict[str, Any] = resolve_refs(document, document, mark=REF_KEY)
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
