"""``scripts/bench --ab REF`` for the server section: REF's server beside the working tree's.

For each side a child process (``python -m tests.benchmarks.bench_server_ab``, this checkout's
benchmark code) runs with the ``PYTHONPATH`` that imports Parley from that side's sources
(``ab.pythonpath``): REF's detached worktree (``ab.source_tree``) or this checkout. The child
starts the reference server on a fresh SQLite file (``servers.reference_server``: the server
process inherits the ``PYTHONPATH``, so it runs that side's code, and that side's code creates
the schema), creates the same agent and conversations as the server section, prints the port,
the request lists and where it imported ``parley_server`` from, and keeps the server up until
its stdin closes.

With both servers and one bare Starlette ceiling up, each round measures every point on each
side, each run paired with a run of the bare ceiling right before or after it (the order of
the sides and within the pairs alternating from round to round). Each side's ratio is the
median over rounds of its req/s over its bare twin's, so both sides meet the same machine
noise; each point also gets the median per-round ratio of the working tree's req/s to REF's
(for ``sendMessage``, target >= 0.90: writes at most 10% slower).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from .ab import pythonpath, source_tree
from .bench_client_ab import _short
from .common import ROOT, Config, Row, check, median
from .servers import bare_server, load

POINTS = (("getConversation", 16), ("sendMessage", 16))
"""The (operation, connections) points measured on both sides."""
TARGETS = {"getConversation": ">= 0.60"}
"""server/bare targets (issue 10's ``getConversation`` c=16 on SQLite)."""
WRITE_TARGET = ">= 0.90"
"""``sendMessage``: the working tree's req/s over REF's (writes at most 10% slower)."""


@contextmanager
def _side(tree: Path) -> Iterator[dict[str, Any]]:
    """Runs the child for checkout ``tree``; yields its ``{"port", "requests", "bodies"}``.

    Raises:
        RuntimeError: The child failed, or imported ``parley_server`` from elsewhere.
    """
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.benchmarks.bench_server_ab"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": pythonpath(tree)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None and child.stderr is not None
    try:
        line = child.stdout.readline()
        if not line:
            child.wait(timeout=30)
            raise RuntimeError(
                f"A/B server child for {tree} failed:\n{child.stderr.read()[-2000:]}"
            )
        ready: dict[str, Any] = json.loads(line)
        origin = Path(ready.pop("origin"))
        if not origin.is_relative_to(tree):
            raise RuntimeError(f"A/B server child for {tree} imported parley_server from {origin}")
        yield ready
    finally:
        child.stdin.close()  # the child stops its server and exits
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=10)


def _measure(
    cfg: Config, sides: dict[str, dict[str, Any]], bare_port: int
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Returns ``out[point][who]``: one load result per round.

    ``who`` is a side, or ``"bare:" + side`` for the bare ceiling measured right next to that
    side's run (before it or after it, alternating), so each side has its own twin.
    """
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    rounds = 1 if cfg.quick else cfg.rounds
    warmup = 0.1 if cfg.quick else 0.3
    names = list(sides)
    for r in range(rounds):
        for op, c in POINTS:
            point = f"{op} c={c}"
            for side in names if r % 2 == 0 else names[::-1]:
                own = (sides[side]["port"], sides[side]["requests"][op])
                bare = (bare_port, [{**sides[side]["requests"][op][0], "path": f"/{op}"}])
                pair = [(side, own), (f"bare:{side}", bare)]
                for who, (port, requests) in pair if (r // 2) % 2 == 0 else pair[::-1]:
                    result = load(port, requests, c, cfg.load_seconds, warmup)
                    out.setdefault(point, {}).setdefault(who, []).append(result)
    return out


def ab_rows(cfg: Config) -> list[Row]:
    """Each side's req/s and ratio to the bare ceiling per point; the write ratio B/A."""
    assert cfg.ab_ref is not None
    with ExitStack() as stack:
        tree = stack.enter_context(source_tree(cfg.ab_ref))
        short = _short(cfg.ab_ref, ROOT)
        label = short if cfg.ab_ref.startswith(short) else f"{cfg.ab_ref} ({short})"
        sides = {
            label: stack.enter_context(_side(tree)),
            "working tree": stack.enter_context(_side(ROOT)),
        }
        bodies = {op: b.encode() for op, b in sides["working tree"]["bodies"].items()}
        bare_port = stack.enter_context(bare_server(bodies))
        results = _measure(cfg, sides, bare_port)
    rows: list[Row] = []
    for op, c in POINTS:
        point = f"{op} c={c}"
        runs = results[point]
        for side in sides:
            twins = runs[f"bare:{side}"]
            ratios = [
                a["rps"] / b["rps"] for a, b in zip(runs[side], twins, strict=True) if b["rps"]
            ]
            ratio = median(ratios) if ratios else None
            target = TARGETS.get(op, "")
            failed = sum(x["requests"] - x["ok"] + x["errors"] for x in runs[side])
            rows.append(
                Row(
                    "server",
                    f"A/B sqlite {point}, {side}",
                    median([x["rps"] for x in runs[side]]),
                    "req/s",
                    ratio,
                    "server/bare",
                    target,
                    check(ratio, target),
                    f"{failed} failed" if failed else "",
                    {
                        "p50_ms": median([x["p50_ms"] for x in runs[side]]),
                        "bare_rps": median([x["rps"] for x in twins]),
                    },
                )
            )
        pairs = [
            b["rps"] / a["rps"]
            for a, b in zip(runs[label], runs["working tree"], strict=True)
            if a["rps"]
        ]
        ratio = median(pairs) if pairs else None
        target = WRITE_TARGET if op == "sendMessage" else ""
        rows.append(
            Row(
                "server",
                f"A/B sqlite {point}, working tree / {label}",
                ratio,
                "x",
                ratio,
                f"working tree/{short}",
                target,
                check(ratio, target),
            )
        )
    return rows


def main() -> None:
    """The child: starts the server of the ``PYTHONPATH``'s checkout, prints, waits on stdin."""
    import parley_server

    from .bench_server import _prepare, _sample_body
    from .servers import reference_server

    with reference_server(None) as api:
        requests = _prepare(api)
        port = int(api.base_url.rsplit(":", 1)[1].split("/")[0])
        bodies = {op: _sample_body(api, reqs[0]).decode() for op, reqs in requests.items()}
        ready = {
            "origin": str(Path(parley_server.__file__).resolve()),
            "port": port,
            "requests": requests,
            "bodies": bodies,
        }
        print(json.dumps(ready), flush=True)
        sys.stdin.read()  # until the parent closes it


if __name__ == "__main__":
    main()
