"""Reading the document: YAML (or JSON) text into a mapping, with one loader for all callers."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from ._locate import spec_path

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it: about ten times faster on ``openapi.yaml``."""


class SpecError(Exception):
    """A document that cannot be read: a missing file, bad YAML, not a mapping, a bad ``$ref``."""


def parse_document(text: str, source: str = "the document") -> dict[str, Any]:
    """Parses the text of an OpenAPI document.

    Args:
        text: YAML or JSON text.
        source: How error messages name the document (a path, ``git:REF``...).

    Returns:
        The document as a fresh dict (callers may change it).

    Raises:
        SpecError: The text is not YAML, or not a mapping.
    """
    try:
        document = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise SpecError(f"{source} is not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise SpecError(f"{source} is not an OpenAPI document (not a mapping)")
    return document


def read_document(path: Path | str | None = None) -> dict[str, Any]:
    """Reads and parses a document file (a fresh copy on every call).

    Args:
        path: The file; :func:`~parley_spec.spec_path` when ``None``.

    Raises:
        SpecError: The file cannot be read, is not YAML, or is not a mapping.
        FileNotFoundError: ``path`` is ``None`` and no copy of the document was found.
    """
    file = Path(path) if path is not None else spec_path()
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read {file}: {exc.strerror or exc}") from exc
    return parse_document(text, str(file))


@functools.cache
def _cached(path: str) -> dict[str, Any]:
    return read_document(path)


def load_document(path: Path | str | None = None) -> dict[str, Any]:
    """Reads a document once per process and path; later calls return the same object.

    Treat the result as read-only (copy it before changing it; :func:`read_document` gives a
    fresh copy).

    Args:
        path: The file; :func:`~parley_spec.spec_path` when ``None``.

    Raises:
        SpecError: The file cannot be read, is not YAML, or is not a mapping.
        FileNotFoundError: ``path`` is ``None`` and no copy of the document was found.
    """
    return _cached(str(Path(path) if path is not None else spec_path()))
