"""Counts in words: `1 failure`, `2 failures`, `0 operations`."""

from __future__ import annotations

__all__ = ["counted"]


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and `noun`, in the plural (`plural`, default `noun + "s"`) unless it is 1."""
    return f"{number} {noun if number == 1 else (plural or noun + 's')}"
