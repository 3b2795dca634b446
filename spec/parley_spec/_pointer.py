"""JSON Pointers (RFC 6901): the one decoder and encoder of Parley.

A pointer is ``""`` (the whole value) or ``/`` followed by tokens separated by ``/``; in a token
``~1`` stands for ``/`` and ``~0`` for ``~`` (decoded in that order). References into the
document (``#/components/schemas/Problem``) are a ``#`` followed by a pointer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from ._read import SpecError


class _Missing:
    """The type of :data:`MISSING`."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()
"""What :func:`pointer_get` answers for a pointer that points at nothing (``None`` is a value)."""


def escape_token(token: str) -> str:
    """One token, escaped: ``~`` as ``~0``, ``/`` as ``~1`` (``a/b`` -> ``a~1b``)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    """One escaped token, decoded: ``~1`` as ``/``, then ``~0`` as ``~``."""
    return token.replace("~1", "/").replace("~0", "~")


def split_pointer(pointer: str) -> list[str]:
    """The decoded tokens of a pointer (``/paths/~1v1~1agent/get`` -> ``[paths, /v1/agent, get]``).

    Raises:
        SpecError: ``pointer`` is neither empty nor starts with ``/``.
    """
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise SpecError(f"{pointer!r} is not a JSON Pointer (it must be empty or start with /)")
    return [unescape_token(token) for token in pointer[1:].split("/")]


def join_pointer(tokens: Iterable[str | int]) -> str:
    """The pointer of these tokens (``[paths, /v1/agent]`` -> ``/paths/~1v1~1agent``)."""
    return "".join("/" + escape_token(str(token)) for token in tokens)


def pointer_get(value: Any, pointer: str, *, from_end: bool = False) -> Any:
    """The value ``pointer`` points at in ``value`` (a JSON document or body).

    Args:
        value: Parsed JSON (mappings, lists, scalars).
        pointer: A JSON Pointer; ``""`` is ``value`` itself.
        from_end: Also read an array index ``-N`` as the N-th item from the end (``-1`` the
            last), as the ``x-parley-*`` expectations do; RFC 6901 has no negative index, so
            no standard pointer means anything else by it.

    Returns:
        The value, or :data:`MISSING` when a token names no member or index.

    Raises:
        SpecError: ``pointer`` is not a JSON Pointer.
    """
    for token in split_pointer(pointer):
        if isinstance(value, Mapping) and token in value:
            value = value[token]
        elif isinstance(value, list) and (index := _index(token, len(value), from_end)) is not None:
            value = value[index]
        else:
            return MISSING
    return value


def _index(token: str, length: int, from_end: bool) -> int | None:
    """The list index ``token`` names in a list of ``length`` items, or ``None``."""
    negative = from_end and token.startswith("-")
    digits = token[1:] if negative else token
    if not digits.isdigit() or (digits.startswith("0") and (digits != "0" or negative)):
        return None
    index = -int(digits) if negative else int(digits)
    return index if -length <= index < length else None


def follow_pointer(document: Any, ref: str) -> Any:
    """Returns the node a local reference (``#/a/b~1c/0``) points at.

    Args:
        document: The whole document.
        ref: A local reference: ``#`` followed by an RFC 6901 JSON Pointer.

    Raises:
        SpecError: ``ref`` is not local, or points at nothing.
    """
    if not ref.startswith("#"):
        raise SpecError(f"$ref {ref} is not a local reference")
    if ref[1:] and not ref[1:].startswith("/"):
        raise SpecError(f"$ref {ref} is not a JSON Pointer")
    node = pointer_get(document, ref[1:])
    if node is MISSING:
        raise SpecError(f"$ref {ref} points at nothing")
    return node
