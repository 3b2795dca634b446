"""Keeps the benchmarks from rotting: ``scripts/bench --quick`` runs and reports every figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_bench_quick_prints_every_row_and_writes_json(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.benchmarks.common import Config
    from tests.benchmarks.run import expected_names

    out = tmp_path / "benchmarks.json"
    proc = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.run", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=220,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    table = proc.stdout
    names = expected_names(Config.make(True))
    missing = [n for n in names if f"| {n} |" not in table]
    assert not missing, f"rows missing from the table: {missing}\n{table}"
    assert "section failed" not in table, table

    report = json.loads(out.read_text())
    assert report["quick"] is True
    assert report["machine"]["nproc"] >= 1
    rows = {r["name"]: r for r in report["rows"]}
    assert set(names) <= set(rows)
    unmeasured = [n for n in names if rows[n]["value"] is None]
    assert not unmeasured, f"figures not measured: {[(n, rows[n]['note']) for n in unmeasured]}"


def _ab_rows(tmp_path: Path, section: str) -> tuple[dict[str, Any], str]:
    """``scripts/bench --quick --only SECTION --ab HEAD``'s rows by name, and HEAD's short id."""
    out = tmp_path / "benchmarks.json"
    command = ["--quick", "--only", section, "--ab", "HEAD", "--json", str(out)]
    proc = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.run", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=220,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = {r["name"]: r for r in json.loads(out.read_text())["rows"]}
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return rows, head


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_bench_ab_measures_a_ref_beside_the_working_tree(tmp_path: Path) -> None:
    """``--ab HEAD``: the client rows of HEAD's code and of this checkout, both measured."""
    sys.path.insert(0, str(ROOT))
    from tests.benchmarks.bench_client import OPS

    rows, head = _ab_rows(tmp_path, "client")
    for mode in ("sync", "async"):
        for op in OPS:
            for side in (f"HEAD ({head})", "working tree"):
                row = rows[f"A/B {op} {mode} overlay, {side}"]
                assert row["value"] > 0 and row["ratio"] > 0, row
                assert row["extra"]["generated/raw"] > 0, row


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_bench_server_ab_measures_both_servers_against_the_bare_ceiling(tmp_path: Path) -> None:
    """``--only server --ab HEAD``: HEAD's server and this checkout's, each against bare."""
    rows, head = _ab_rows(tmp_path, "server")
    for point in ("getConversation c=16", "sendMessage c=16"):
        for side in (f"HEAD ({head})", "working tree"):
            row = rows[f"A/B sqlite {point}, {side}"]
            assert row["value"] > 0 and row["ratio"] > 0, row
            assert row["extra"]["bare_rps"] > 0, row
            assert not row["note"], row  # no failed request
    write = rows[f"A/B sqlite sendMessage c=16, working tree / HEAD ({head})"]
    assert write["value"] > 0, write
