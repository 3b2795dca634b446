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


SPREAD_MODULES = frozenset(
    {
        "tests/contract/test_contract_schemathesis.py",
        "tests/harness/test_broken_servers.py",
        "tests/harness/test_healthy_servers.py",
        "tests/library/test_library_contract.py",
        "tests/server/test_server_process.py",
    }
)
"""Modules of long tests that share no module fixture: pytest-xdist hands out their tests one
by one. Every other module goes to one worker whole, so its module fixtures (a server, a
generated client, a virtualenv) are built once."""


def _shared_fixtures(item: pytest.Item) -> list[str]:
    """The fixtures of ``item`` wider than a test and narrower than the session."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    return [
        name
        for name in info.names_closure
        if (defs := info.name2fixturedefs.get(name))
        and defs[-1].scope in ("class", "module", "package")
    ]


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Slow tests, and the modules holding one, first (a stable sort: the rest keeps its
    # order). pytest-xdist hands out work in this order, so the longest starts early and the
    # run does not end on one worker finishing it alone.
    slow_modules = set()
    for item in items:
        module = _module(item.nodeid)
        if module in SPREAD_MODULES and (shared := _shared_fixtures(item)):
            raise pytest.UsageError(
                f"{module} shares {shared} between tests: remove it from SPREAD_MODULES"
            )
        if item.get_closest_marker("slow") and module not in SPREAD_MODULES:
            slow_modules.add(module)

    def later(item: pytest.Item) -> bool:
        return not (item.get_closest_marker("slow") or _module(item.nodeid) in slow_modules)

    items.sort(key=later)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With ``--dist loadscope``: a module per worker, except :data:`SPREAD_MODULES`' tests.

    (pytest-xdist's own ``loadgroup`` marks cannot be used: with pytest 9 its worker no longer
    renames the tests it groups, and every test runs on its own.)
    """
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModulesOrSpread(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            module = _module(nodeid)
            return nodeid if module in SPREAD_MODULES else module

    return ModulesOrSpread(config, log)


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
