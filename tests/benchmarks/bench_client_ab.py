"""``scripts/bench --ab REF`` for the client section: REF's client beside the working tree's.

Each round starts one child process per side, the two in alternating order, each with the
``PYTHONPATH`` that imports Parley from that side's sources (``ab.pythonpath``): REF's
detached worktree, or this checkout. The child (``python -m tests.benchmarks.bench_client_ab``,
this checkout's code) measures raw httpx, the generated functions and the overlays on mock
transports answering the same bodies (``bench_client.Clients``), one batch each in rotating
order, and prints CPU microseconds per call and where it imported ``parley`` from. Each side's
row gives the median over rounds of its per-round ratio to raw httpx, so both sides meet the
same machine noise and neither is compared with a raw baseline of another moment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from .ab import pythonpath, source_tree
from .bench_client import OPS, TARGETS, Bodies, Clients
from .common import ROOT, Config, Row, check, median

MODES = ("sync", "async")
STYLES = ("raw", "generated", "overlay")
Measured = dict[str, dict[str, float]]  # "getConversation sync" -> style -> us per call


def _short(ref: str, cwd: Path) -> str:
    """``ref`` as a short commit id (for the row names)."""
    done = subprocess.run(
        ["git", "-C", str(cwd), "rev-parse", "--short", ref],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or ref


def _child(tree: Path, cfg: Config, answers: Bodies, round_: int) -> Measured:
    payload = {
        "calls": cfg.calls,
        "round": round_,
        "answers": {
            op: [status, [body.decode() for body in answer]]
            for op, (status, answer) in answers.items()
        },
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.bench_client_ab"],
        input=json.dumps(payload),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": pythonpath(tree)},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"A/B child for {tree} failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    origin = Path(result.pop("origin"))
    if not origin.is_relative_to(tree):
        raise RuntimeError(f"A/B child for {tree} imported parley from {origin}")
    return result


def ab_rows(cfg: Config, answers: Bodies) -> list[Row]:
    """Per operation and mode, each side's per-call time and median ratios to raw httpx."""
    assert cfg.ab_ref is not None
    with source_tree(cfg.ab_ref) as tree:
        short = _short(cfg.ab_ref, ROOT)
        label = short if cfg.ab_ref.startswith(short) else f"{cfg.ab_ref} ({short})"
        sides = {label: tree, "working tree": ROOT}
        runs: dict[str, list[Measured]] = {side: [] for side in sides}
        for round_ in range(cfg.rounds):
            order = list(sides) if round_ % 2 == 0 else list(reversed(sides))
            for side in order:
                runs[side].append(_child(sides[side], cfg, answers, round_))
    rows = []
    for mode in MODES:
        for op in OPS:
            key = f"{op} {mode}"
            for side, measured in runs.items():
                ratios = {
                    style: median([m[key][style] / m[key]["raw"] for m in measured])
                    for style in ("generated", "overlay")
                }
                target = TARGETS["overlay"][op]
                rows.append(
                    Row(
                        "client",
                        f"A/B {key} overlay, {side}",
                        median([m[key]["overlay"] for m in measured]),
                        "us",
                        ratios["overlay"],
                        "overlay/raw",
                        target,
                        check(ratios["overlay"], target),
                        extra={"generated/raw": ratios["generated"]},
                    )
                )
    return rows


def main() -> None:
    """The child: reads the payload on stdin, prints the measurements as JSON."""
    import parley

    payload = json.load(sys.stdin)
    answers = {
        op: (status, tuple(body.encode() for body in answer))
        for op, (status, answer) in payload["answers"].items()
    }
    calls, round_ = payload["calls"], payload["round"]
    clients = Clients(answers)
    out: dict[str, Any] = {"origin": str(Path(parley.__file__).resolve())}
    try:
        for mode in MODES:
            for op in OPS:
                clients.warm_up(mode, op, calls)
                batches = clients.batches(mode, op, calls)
                turn = round_ % len(STYLES)
                order = STYLES[turn:] + STYLES[:turn]
                out[f"{op} {mode}"] = {style: batches[style]() for style in order}
    finally:
        clients.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
