"""Parsing JSON request bodies so that everything accepted can be stored and answered again.

Python's ``json`` module reads ``1e999`` as ``inf``, ``1e-999`` as ``0.0`` and integers of any
length, then refuses to write ``inf`` back: one such number in a conversation's metadata would
break every later read of it. So every body is checked here, before schema validation, and
each value that JSON answers could not carry unchanged is a field problem naming its JSON
Pointer:

* a number outside the range of a 64-bit float (``1e999``, ``-1e999``, an integer of more
  than about 309 digits): refused;
* a non-zero number so small it would become 0 (``1e-999``, below the smallest subnormal
  ``4.9e-324``): refused rather than silently stored as ``0.0`` (``0e5`` and ``-0.0`` are
  zero and accepted);
* integers within the float range are kept exactly, however many digits they have;
* arrays and objects nested deeper than :data:`MAX_DEPTH` levels: refused;
* ``NaN`` / ``Infinity`` tokens, malformed JSON and lone surrogates (an escaped ``D800``): refused;
* an object with the same key twice (``{"title": "a", "title": "b"}``): refused, naming the
  key, rather than keeping one of the values silently.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from typing import Any, TypeVar

MAX_DEPTH = 64
"""The deepest nesting of arrays and objects accepted in a body (the body itself is level 1)."""
MAX_PROBLEMS = 20
"""The most field problems reported for one body."""

_FLOAT_MAX = int(sys.float_info.max)
_MAX_DIGITS = len(str(_FLOAT_MAX))  # 309
_SAFE_DIGITS = _MAX_DIGITS - 1  # a shorter integer (sign included) always fits
_SURROGATE_ESCAPE = re.compile(rb"\\[uU][dD][89a-fA-F]")
"""A ``\\uD800``-``\\uDFFF`` escape: maybe a lone surrogate (a valid pair matches too)."""
_N = TypeVar("_N")
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789E", b"000000000e")
_RISKY_RUNS = (b"0" * 200, b"e000", b"e+000", b"e-000")
"""A number no float carries (beyond 1.8e308, or below 4.9e-324 but not 0) needs 200+ digits
in a row or a 3-digit exponent; found in the body's text (maybe inside a string: harmless)."""
_TOO_BIG = "is outside the range of a 64-bit float (about ±1.8e308)"
_TOO_SMALL = "is too small for a 64-bit float (it would become 0)"


class BodyError(ValueError):
    """A body that is not acceptable JSON.

    Args:
        problems: Field problems, each ``{"pointer": str, "detail": str}``.
    """

    def __init__(self, problems: list[dict[str, str]]) -> None:
        super().__init__(problems[0]["detail"] if problems else "invalid JSON body")
        self.problems = problems


class _Unfit:
    """A number read from the body that no 64-bit float can carry (reported, never stored)."""

    __slots__ = ("reason", "text")

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason


def _read_float(text: str) -> float | _Unfit:
    value = float(text)
    if math.isinf(value):
        return _Unfit(text, _TOO_BIG)
    mantissa = text.lower().split("e")[0]
    if value == 0.0 and any(c in "123456789" for c in mantissa):
        return _Unfit(text, _TOO_SMALL)
    return value


def _read_int(text: str) -> int | _Unfit:
    if len(text) < _SAFE_DIGITS:
        return int(text)
    # Long digit strings are refused before int() (CPython limits int() to 4300 digits).
    if len(text.lstrip("-")) > _MAX_DIGITS or abs(int(text)) > _FLOAT_MAX:
        return _Unfit(text, _TOO_BIG)
    return int(text)


def _refuse_constant(token: str) -> Any:
    raise ValueError(f"{token} is not JSON")


def _pointer(parent: str, key: str | int) -> str:
    return parent + "/" + str(key).replace("~", "~0").replace("/", "~1")


def _shown(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def parse_body(raw: bytes) -> Any:
    """Parses a JSON request body, refusing values that could not be stored and answered.

    Args:
        raw: The body bytes (UTF-8).

    Returns:
        The parsed value (dicts, lists, str, int, float, bool, None).

    Raises:
        BodyError: Malformed JSON (pointer ``""``), or one problem per unfit value, each
            naming its JSON Pointer (at most :data:`MAX_PROBLEMS`).
    """
    unfit: list[_Unfit] = []
    repeated: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) != len(items):
            counts = Counter(k for k, _ in items)
            repeated.extend(k for k, n in counts.items() if n > 1)
        return obj

    def read_float(text: str) -> float | _Unfit:
        return _noted(_read_float(text), unfit)

    def read_int(text: str) -> int | _Unfit:
        return _noted(_read_int(text), unfit)

    # Hooks on every number cost up to 4x on number-heavy bodies: only when one may not fit.
    hooks: dict[str, Any] = (
        {"parse_float": read_float, "parse_int": read_int} if _risky_numbers(raw) else {}
    )
    hooks["object_pairs_hook"] = pairs
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant, **hooks)
    except RecursionError as exc:
        detail = f"nests arrays or objects deeper than {MAX_DEPTH} levels"
        raise BodyError([{"pointer": "", "detail": detail}]) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BodyError([{"pointer": "", "detail": f"malformed JSON: {exc}"[:300]}]) from exc
    if repeated:
        raise BodyError(
            [
                {"pointer": "", "detail": f"an object repeats the key {json.dumps(_shown(k))}"}
                for k in dict.fromkeys(repeated)
            ][:MAX_PROBLEMS]
        )
    # The walk that names pointers is slow on big bodies: only when something is wrong.
    deep = raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and _too_deep(value)
    if unfit or deep or _SURROGATE_ESCAPE.search(raw):
        problems = _unfit_values(value)
        if problems:
            raise BodyError(problems)
    return value


def _risky_numbers(raw: bytes) -> bool:
    text = raw.translate(_DIGITS_AS_ZERO)
    return any(run in text for run in _RISKY_RUNS)


def _noted(value: _N, unfit: list[_Unfit]) -> _N:
    if isinstance(value, _Unfit):
        unfit.append(value)
    return value


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


def _unfit_values(value: Any) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack and len(problems) < MAX_PROBLEMS:
        item, pointer, depth = stack.pop()
        if isinstance(item, _Unfit):
            problems.append({"pointer": pointer, "detail": f"{_shown(item.text)} {item.reason}"})
        elif isinstance(item, str):
            if not _encodable(item):
                problems.append({"pointer": pointer, "detail": "contains a lone surrogate"})
        elif isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                detail = f"nests arrays or objects deeper than {MAX_DEPTH} levels"
                problems.append({"pointer": pointer, "detail": detail})
                continue
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            children = []
            for key, child in pairs:
                if isinstance(key, str) and not _encodable(key):
                    problems.append(
                        {"pointer": pointer, "detail": "has a key with a lone surrogate"}
                    )
                    continue
                children.append((child, _pointer(pointer, key), depth + 1))
            stack.extend(reversed(children))
    return problems


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


__all__ = ["MAX_DEPTH", "BodyError", "parse_body"]
