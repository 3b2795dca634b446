"""The pipeline: wall time of ``scripts/regenerate`` and of ``parley contract-test``.

``scripts/regenerate DIR`` does the whole regeneration (generator, ruff, README) but writes to
a scratch folder, so the benchmark never rewrites the shared ``generated/`` tree.
``parley contract-test`` runs on the embedded server as a user runs it (every phase, default
examples) with a fixed seed (``QUICK_ARGS`` shrink it for ``--quick``); its cases per second
come from the summary it prints.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .common import ROOT, Config, Row, median

QUICK_ARGS = ("--max-examples", "1", "--phases", "examples")


def _regenerate(cfg: Config) -> list[Row]:
    times = []
    for _ in range(1 if cfg.quick else 2):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            subprocess.run(
                [str(ROOT / "scripts" / "regenerate"), out],
                cwd=ROOT,
                check=True,
                capture_output=True,
                timeout=300,
            )
            times.append(time.perf_counter() - t0)
    return [Row("pipeline", "scripts/regenerate wall time", median(times), "s")]


def _parley() -> str | None:
    venv = Path(os.environ.get("PARLEY_VENV", ROOT / ".venv"))
    for candidate in (venv / "bin" / "parley", shutil.which("parley")):
        if candidate and Path(candidate).exists():
            return str(candidate)
    return None


def count_cases(output: str) -> int | None:
    """Returns how many test cases a contract-test run executed, or None if unknown.

    Args:
        output: What the run printed; its summary line reads ``33 operations, 2008 cases,
            0 failures``.
    """
    found = re.findall(r"(\d[\d,]*)\s+(?:test\s+)?cases", output, flags=re.I)
    if found:
        return int(found[-1].replace(",", ""))
    return None


def _contract_test(cfg: Config) -> list[Row]:
    exe = _parley()
    missing = Row("pipeline", "parley contract-test wall time", None, "s")
    if exe is None:
        missing.note = "no parley command in the virtualenv"
        return [missing, Row("pipeline", "parley contract-test cases/s", None, "cases/s")]
    with tempfile.TemporaryDirectory() as work:
        cmd = (
            [exe, "contract-test", "--seed", "1", *QUICK_ARGS]
            if cfg.quick
            else [exe, "contract-test", "--seed", "1"]
        )
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=420)
        wall = time.perf_counter() - t0
        output = proc.stdout + proc.stderr
        if "no such option" in output.lower() or "usage:" in output.lower()[:200]:
            missing.note = f"contract-test refused its options: {output.strip()[-200:]}"
            return [missing, Row("pipeline", "parley contract-test cases/s", None, "cases/s")]
        cases = count_cases(output)
    note = " ".join(cmd[2:])
    if proc.returncode != 0:
        note += f"; exit {proc.returncode} (contract failures)"
    return [
        Row("pipeline", "parley contract-test wall time", wall, "s", note=note),
        Row(
            "pipeline",
            "parley contract-test cases/s",
            cases / wall if cases else None,
            "cases/s",
            note="" if cases else "case count not found in its output",
            extra={"cases": float(cases or 0)},
        ),
    ]


def run(cfg: Config) -> list[Row]:
    """Times regeneration and a contract-test run on the embedded server."""
    return _regenerate(cfg) + _contract_test(cfg)
