"""Deprecation and sunset: how operations, parameters and properties are retired.

An operation, parameter or property is removed without breaking the policy when it was
``deprecated: true`` with an ``x-sunset: YYYY-MM-DD`` date that has passed (compared with
:attr:`Settings.today`): ``...-removed-after-sunset`` is compatible, ``...-removed-before-sunset``
breaks clients. Deprecating is reported (``...-deprecated``, info), and the policy findings
(their own section, never counted as breaks) say when a deprecation gives too little notice
(``sunset-notice-too-short``: the date is set, or moved, fewer than
:attr:`Settings.sunset_notice_days` days ahead), has no date (``deprecation-without-sunset``),
a date that is not one (``sunset-invalid``), or a date on something not deprecated
(``sunset-without-deprecation``).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from ._model import Context, Verdict

__all__ = ["compare_deprecation", "removed", "sunset_date"]


def sunset_date(node: Any) -> str | None:
    """The ``x-sunset`` of a node as ``YYYY-MM-DD`` text (YAML may have read it as a date)."""
    if not isinstance(node, Mapping) or node.get("x-sunset") is None:
        return None
    value = node["x-sunset"]
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def _valid(day: str) -> bool:
    try:
        datetime.date.fromisoformat(day)
    except ValueError:
        return False
    return len(day) == 10


def removed(node: Any, ctx: Context, what: str, family: str) -> bool:
    """Records the removal of a deprecated node with a sunset date; False for any other node.

    Args:
        node: The removed operation, parameter or property, as OLD has it.
        ctx: Where it was (OLD's location).
        what: How messages name it, e.g. ``The query parameter `status```.
        family: The check id family: ``operation``, ``parameter`` or ``property``.

    Returns:
        True when it was ``deprecated: true`` with a valid ``x-sunset`` (a finding recorded:
        compatible on or after that date, breaking clients before it).
    """
    sunset = sunset_date(node)
    if not isinstance(node, Mapping) or node.get("deprecated") is not True or sunset is None:
        return False
    if not _valid(sunset):
        return False
    if sunset <= ctx.today:
        ctx.add(
            f"{family}-removed-after-sunset",
            Verdict.COMPATIBLE,
            f"{what} was removed after its sunset date {sunset}.",
        )
    else:
        ctx.add(
            f"{family}-removed-before-sunset",
            Verdict.CLIENT,
            f"{what} was removed before its sunset date {sunset}.",
        )
    return True


def compare_deprecation(old: Any, new: Any, ctx: Context, what: str, family: str) -> None:
    """Records a new deprecation and the sunset policy findings of a node both documents have.

    Args:
        old: The node as OLD has it.
        new: The node as NEW has it.
        ctx: Where it is in NEW.
        what: How messages name it, e.g. ``getWidget`` or ``The response 200 body property
            `notes```.
        family: The check id family: ``operation``, ``parameter`` or ``property``.
    """
    if not isinstance(new, Mapping):
        return
    was = isinstance(old, Mapping) and old.get("deprecated") is True
    now = new.get("deprecated") is True
    before, sunset = sunset_date(old), sunset_date(new)
    if now and not was:
        when = f", sunset {sunset}" if sunset else " (no x-sunset date)"
        ctx.add(f"{family}-deprecated", Verdict.COMPATIBLE, f"{what} is deprecated{when}.")
        if sunset is None:
            ctx.add(
                "deprecation-without-sunset",
                Verdict.POLICY,
                f"{what} is deprecated without an x-sunset date: removing it will need a "
                "major version.",
            )
    if sunset is None or sunset == before:
        return
    if not _valid(sunset):
        ctx.add(
            "sunset-invalid",
            Verdict.POLICY,
            f"{what} has x-sunset {sunset!r}, which is not a YYYY-MM-DD date.",
        )
        return
    if not now:
        ctx.add(
            "sunset-without-deprecation",
            Verdict.POLICY,
            f"{what} has an x-sunset date but is not deprecated: true; removing it would "
            "still break clients.",
        )
    notice = ctx.settings.sunset_notice_days
    days = (datetime.date.fromisoformat(sunset) - datetime.date.fromisoformat(ctx.today)).days
    if notice and days < notice:
        ctx.add(
            "sunset-notice-too-short",
            Verdict.POLICY,
            f"{what} gets x-sunset {sunset}, {days} days after {ctx.today}; the policy asks "
            f"for at least {notice} days of notice (sunset-notice-days).",
        )
