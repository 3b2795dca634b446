"""Counts in words: `1 failure`, `2 failures`, `0 operations`."""

from __future__ import annotations

__all__ = ["counted"]


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and `noun`, the noun in the plural unless the number is exactly 1.

    Args:
        number: How many.
        noun: The singular, e.g. `failure`.
        plural: The plural when it is not `noun + "s"` (e.g. `"statuses"`).

    Returns:
        For example `1 failure`, `0 failures`, `12 cases`.
    """
    return f"{number} {noun if number == 1 else (plural or noun + 's')}"
