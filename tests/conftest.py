"""Shared fixtures: the repository root and the parsed contract."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from parley_spec import read_document

from tests.ci import choose_fuzz_seed, fuzz_seed, in_ci

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    return read_document(ROOT / "openapi.yaml")


def pytest_configure(config: pytest.Config) -> None:
    # Fixed here, once per session, before any xdist worker starts: every worker inherits it.
    choose_fuzz_seed()


def _database() -> str:
    """PARLEY_TEST_DATABASE_URL without its password ("" when unset)."""
    url = os.environ.get("PARLEY_TEST_DATABASE_URL", "")
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", url)


def pytest_report_header(config: pytest.Config) -> list[str]:
    seed = fuzz_seed()
    database = _database() or "unset (PostgreSQL cases skip)"
    return [
        f"parley: CI={'true' if in_ci() else 'false'}, fuzzing seed {seed}"
        f" (replay: PARLEY_FUZZ_SEED={seed} pytest ...), PARLEY_TEST_DATABASE_URL={database}"
    ]


def _shares_a_fixture(item: pytest.Item) -> bool:
    """Whether the test uses a fixture wider than a test and narrower than the session."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    for name in info.names_closure:
        defs = info.name2fixturedefs.get(name)
        if defs and defs[-1].scope in ("class", "module", "package"):
            return True
    return False


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # pytest-xdist with --dist loadgroup hands out each test on its own, except those of one
    # xdist_group, which go to one worker together: the tests of a module that share a module
    # (or class) fixture form a group, so that fixture (a server, a generated client, a
    # virtualenv) is built once. Slow tests and groups holding one go first (a stable sort),
    # so the longest work starts early and the run does not end on one worker alone.
    slow_groups = set()
    for item in items:
        if _shares_a_fixture(item):
            group = item.nodeid.split("::")[0]
            item.add_marker(pytest.mark.xdist_group(group))
            if item.get_closest_marker("slow"):
                slow_groups.add(group)

    def later(item: pytest.Item) -> bool:
        if item.get_closest_marker("slow"):
            return False
        grouped = item.get_closest_marker("xdist_group")
        return not (grouped and grouped.args[0] in slow_groups)

    items.sort(key=later)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    # How to replay a failure locally: the same seed, CI's setting, only the failed tests.
    failed = [
        report.nodeid.split("@")[0]  # loadgroup appends @group to the node id
        for key in ("failed", "error")
        for report in terminalreporter.stats.get(key, [])
        if getattr(report, "nodeid", "")
    ]
    if not failed:
        return
    names = " ".join(shlex.quote(nodeid) for nodeid in dict.fromkeys(failed))
    env = "CI=true " if in_ci() else ""
    if _database():
        env += f"PARLEY_TEST_DATABASE_URL={shlex.quote(_database())} "
    terminalreporter.write_line(
        f"rerun the failures locally: {env}PARLEY_FUZZ_SEED={fuzz_seed()} pytest {names}"
    )
