"""A team's settings for ``parley diff``: rule levels with their reasons, the sunset notice.

Read from ``parley-diff.toml``, or from the ``[tool.parley-diff]`` table of ``pyproject.toml``,
in the current folder or the nearest parent that has either (``parley-diff.toml`` first)::

    sunset-notice-days = 90          # sunset-notice-too-short below it; 0 or absent: off

    [rules.response-property-added-closed]
    level = "info"                   # error, warning or info
    reason = "Our clients keep unknown properties; none validates responses strictly."

    [[client-surface.accepted]]      # a break of the Python client's API, released on purpose
    where = "Parley.*.update_*"      # fnmatch patterns over what check-client-surface prints
    what = "Parameter default was changed: * -> NOT_GIVEN"
    reason = "None now sends null; leave the argument out to keep the field."

Every override needs its reason, written beside it; the output shows it next to each finding
whose level it set.
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._checks import is_known
from ._model import Level

__all__ = ["CONFIG_FILE", "AcceptedBreak", "ConfigError", "DiffConfig", "Override", "load_config"]

CONFIG_FILE = "parley-diff.toml"
TABLE = "parley-diff"
"""The table of ``pyproject.toml`` under ``[tool]``."""
KEYS = frozenset({"sunset-notice-days", "rules", "client-surface"})


class ConfigError(Exception):
    """The settings file cannot be read or says something ``parley diff`` does not take."""


@dataclass(frozen=True)
class Override:
    """A rule's level, set by the team.

    Attributes:
        check: The check id, e.g. ``response-property-added-closed``.
        level: The level its findings get.
        reason: Why, in the team's words (required).
    """

    check: str
    level: Level
    reason: str


@dataclass(frozen=True)
class AcceptedBreak:
    """Breaks of the Python client's public API that a release makes on purpose.

    ``scripts/check-client-surface`` lists them with the reason and does not fail on them;
    the changelog shows them as breaking, with the reason as the migration line.

    Attributes:
        where: An ``fnmatch`` pattern over where users reach the name
            (``Parley.conversations.update_conversation``).
        what: An ``fnmatch`` pattern over what changed (``Parameter default was changed: *``).
        reason: Why, and what callers change (required).
    """

    where: str
    what: str
    reason: str

    def matches(self, where: str, what: str) -> bool:
        """Whether a change at ``where`` described as ``what`` is accepted by this entry."""
        return fnmatch.fnmatchcase(where, self.where) and fnmatch.fnmatchcase(what, self.what)


@dataclass(frozen=True)
class DiffConfig:
    """The settings of one comparison.

    Attributes:
        overrides: Check id -> its override.
        sunset_notice_days: The least notice an ``x-sunset`` date gives (0: no such rule).
        source: Where they were read ("" for the defaults).
        accepted_breaks: Breaks of the Python client's API released on purpose.
    """

    overrides: Mapping[str, Override] = field(default_factory=dict)
    sunset_notice_days: int = 0
    source: str = ""
    accepted_breaks: tuple[AcceptedBreak, ...] = ()


def find_config(start: Path) -> Path | None:
    """The settings file nearest ``start``, or None.

    ``parley-diff.toml``, else a ``pyproject.toml`` with a ``[tool.parley-diff]`` table, in
    ``start`` or the first parent that has one.
    """
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and TABLE in _read(pyproject).get("tool", {}):
            return pyproject
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def load_config(path: Path | None = None, *, start: Path | None = None) -> DiffConfig:
    """Reads the settings.

    Args:
        path: The file to read (a ``parley-diff.toml``, or a ``pyproject.toml`` whose
            ``[tool.parley-diff]`` is read); found from ``start`` when None.
        start: Where the search starts (default: the current folder).

    Returns:
        The settings; the defaults (no override, no notice rule) when there is no file.

    Raises:
        ConfigError: The file cannot be read, is not TOML, has a key it should not, names a
            check that does not exist, a level that is not error/warning/info, an override
            without its reason, or a notice that is not a whole number of days >= 0. The
            message names the file and the key.
    """
    if path is None:
        path = find_config(start or Path.cwd())
        if path is None:
            return DiffConfig()
    table = _read(path)
    if path.name == "pyproject.toml":
        table = table.get("tool", {}).get(TABLE, {})
    where = f"{path} [tool.{TABLE}]" if path.name == "pyproject.toml" else str(path)
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(unknown)} "
            "(known: client-surface, rules, sunset-notice-days)"
        )
    notice = table.get("sunset-notice-days", 0)
    if not isinstance(notice, int) or isinstance(notice, bool) or notice < 0:
        raise ConfigError(f"{where}: sunset-notice-days must be a whole number of days >= 0")
    rules = table.get("rules", {})
    if not isinstance(rules, Mapping):
        raise ConfigError(f"{where}: rules must be a table of check ids")
    overrides = {check: _override(where, check, rule) for check, rule in rules.items()}
    accepted = _accepted(where, table.get("client-surface", {}))
    return DiffConfig(overrides, notice, str(path), accepted)


def _accepted(where: str, table: Any) -> tuple[AcceptedBreak, ...]:
    at = f"{where}: client-surface"
    if not isinstance(table, Mapping) or set(table) - {"accepted"}:
        raise ConfigError(f"{at}: must be a table with one key, accepted (a list of tables)")
    entries = table.get("accepted", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{at}.accepted: must be a list of tables ([[...accepted]])")
    found = []
    for index, entry in enumerate(entries):
        here = f"{at}.accepted[{index}]"
        if not isinstance(entry, Mapping) or set(entry) != {"where", "what", "reason"}:
            raise ConfigError(f"{here}: needs exactly where, what and reason")
        if not all(isinstance(entry[k], str) and entry[k].strip() for k in entry):
            raise ConfigError(f"{here}: where, what and reason must be non-empty text")
        found.append(AcceptedBreak(entry["where"], entry["what"], entry["reason"].strip()))
    return tuple(found)


def _override(where: str, check: str, rule: Any) -> Override:
    at = f"{where}: rules.{check}"
    if not is_known(check):
        raise ConfigError(f"{at}: no such check (see README, `parley diff`, for the ids)")
    if not isinstance(rule, Mapping):
        raise ConfigError(f"{at}: must be a table with level and reason")
    extra = sorted(set(rule) - {"level", "reason"})
    if extra:
        raise ConfigError(f"{at}: unknown key(s) {', '.join(extra)} (known: level, reason)")
    levels = [level.value for level in Level]
    if rule.get("level") not in levels:
        raise ConfigError(f"{at}: level must be one of {', '.join(levels)}")
    reason = rule.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ConfigError(f'{at}: give the reason for the override (reason = "...")')
    return Override(check, Level(rule["level"]), reason.strip())
