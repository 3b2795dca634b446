"""Reading the two documents: a file, ``git:REF``, or ``release:VERSION`` (``releases/``).

Local ``$ref``s are replaced by a copy of their target, so that two documents are compared by
content, not by the names their schemas happen to have; the target's name is kept under
:data:`REF_KEY` for messages. A :class:`Document` holds both forms and the typed contract of
``parley_spec`` read from them.
"""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parley_spec import Contract, SpecError, parse_document, resolve_refs
from parley_spec.annotations import Annotation

from ._normalise import REF_KEY, normalise_document
from ._releases import release_file

__all__ = ["REF_KEY", "Document", "SpecError", "load_source", "resolve_document"]


@dataclass(frozen=True, eq=False)
class Document:
    """One side of a comparison: the document as written and as resolved, typed.

    Attributes:
        raw: The parsed document, ``$ref``s in place (annotations are read from it).
        source: Where it was read from, for messages (``release:1.0.0``, a file name).
    """

    raw: Mapping[str, Any]
    source: str = "the document"

    @functools.cached_property
    def resolved(self) -> dict[str, Any]:
        """The document, ``$ref``s resolved and schemas in their normal form.

        See :func:`resolve_document` and :func:`~._normalise.normalise_document`.
        """
        return normalise_document(resolve_document(self.raw))

    @functools.cached_property
    def contract(self) -> Contract:
        """The typed contract of :attr:`resolved`: its operations carry resolved nodes."""
        return Contract(self.resolved)

    @functools.cached_property
    def annotations(self) -> tuple[Annotation[Any], ...]:
        """Every ``x-parley-*`` annotation, parsed from :attr:`raw` by ``parley_spec``.

        Raises:
            SpecError: An annotation breaks the vocabulary (the message names each one).
        """
        try:
            return Contract(self.raw).annotations
        except SpecError as exc:
            raise SpecError(f"{self.source}: {exc}") from exc

    @property
    def version(self) -> Any:
        """``info.version`` as written (None without one)."""
        info = self.raw.get("info")
        return info.get("version") if isinstance(info, Mapping) else None


def load_source(source: str, *, cwd: Path | None = None) -> Document:
    """Reads and resolves one OpenAPI document.

    Args:
        source: A file path, or ``git:REF`` (``openapi.yaml`` at the root of the repository
            holding ``cwd``, at that ref), or ``git:REF:PATH`` for another file, or
            ``release:X.Y.Z`` / ``release:latest`` for ``releases/X.Y.Z/openapi.yaml`` under
            ``cwd`` (latest: the highest version there).
        cwd: Where relative paths and git commands start (default: the current folder).

    Returns:
        The document, as written and resolved.

    Raises:
        SpecError: The file or ref does not exist, the text is not a YAML/JSON mapping, or
            a local ``$ref`` points at nothing.
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
    document = Document(parse_document(text, source), source)
    _ = document.resolved  # a dangling $ref is a read error: found here, not mid-comparison
    return document


def resolve_document(document: Mapping[str, Any]) -> dict[str, Any]:
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
