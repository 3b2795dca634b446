"""``scripts/bench``: runs every benchmark, prints one table and writes ``benchmarks.json``.

Usage::

    scripts/bench                 # the full run (under ten minutes on 2 cores)
    scripts/bench --quick         # tiny counts: checks the plumbing, figures only indicative
    scripts/bench --only client,streaming --json /tmp/b.json
    scripts/bench --only client --ab main   # main's code beside the working tree's
    scripts/bench --only server --ab main   # main's server beside the working tree's
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from . import (
    bench_client,
    bench_latency,
    bench_multiprocess,
    bench_pipeline,
    bench_scale,
    bench_server,
    bench_streaming,
)
from .common import ROOT, Config, Row

SECTIONS: dict[str, Callable[[Config], list[Row]]] = {
    "client": bench_client.run,
    "streaming": lambda cfg: bench_streaming.run(cfg) + bench_latency.run(cfg),
    "server": bench_server.run,
    "scale": bench_scale.run,
    "pipeline": bench_pipeline.run,
    "multiprocess": bench_multiprocess.run,
}


def expected_names(cfg: Config) -> list[str]:
    """Every figure the issue asks for, by row name (what the smoke test checks)."""
    names = []
    for mode in ("sync", "async"):
        for op in bench_client.OPS:
            names += [
                f"{op} {mode} raw httpx+json()",
                f"{op} {mode} generated",
                f"{op} {mode} overlay",
            ]
    page = f"{bench_client.PAGE}-message page decode"
    names += [f"{page}: json.loads", f"{page}: json.loads + MessagePage.from_dict"]
    for mode in ("sync", "async"):
        names += [
            f"{mode} raw httpx iter_lines",
            f"{mode} httpx-sse",
            f"{mode} overlay text_deltas()",
        ]
    names += bench_latency.LATENCY_ROWS
    for c in cfg.connections:
        names += [f"sqlite {op} c={c}" for op in bench_server.OPS]
    names += bench_scale.row_names(cfg)
    names += [
        "scripts/regenerate wall time",
        "parley contract-test wall time",
        "parley contract-test cases/s",
    ]
    return names


def machine() -> dict[str, str | int]:
    """Describes the machine the run was taken on."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return {
        "nproc": os.cpu_count() or 0,
        "cpu": model or "unknown",
        "python": platform.python_version(),
        "system": platform.platform(terse=True),
    }


def _fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if value >= 0.01 else f"{value:.2g}"


def table(rows: list[Row]) -> str:
    """Renders the rows as one Markdown table (also readable as plain text)."""
    head = ["section", "figure", "value", "unit", "ratio", "of", "target", "ok", "notes"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        ok = {True: "yes", False: "MISS", None: ""}[r.met]
        notes = [f"{k} {_fmt(v)}" for k, v in r.extra.items()]
        if r.note:
            notes.append(" ".join(r.note.split()))
        cells = [
            r.section,
            r.name,
            _fmt(r.value),
            r.unit,
            "" if r.ratio is None else f"{r.ratio:.2f}",
            r.ratio_of,
            r.target,
            ok,
            "; ".join(notes),
        ]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status (0 even when targets are missed)."""
    p = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="tiny counts (the smoke test)")
    p.add_argument("--only", default="", help="comma-separated sections: " + ",".join(SECTIONS))
    p.add_argument("--json", type=Path, default=ROOT / "benchmarks.json", help="output file")
    p.add_argument(
        "--ab",
        metavar="REF",
        default=None,
        help="also measure git REF's code beside the working tree's, alternating "
        "(the sections that support it)",
    )
    args = p.parse_args(argv)
    cfg = dataclasses.replace(Config.make(args.quick), ab_ref=args.ab)
    # --quick leaves out the multi-process rows (four servers on PostgreSQL): the
    # multi-process test suite runs that section in quick mode instead.
    default = [s for s in SECTIONS if not (cfg.quick and s == "multiprocess")]
    chosen = [s for s in args.only.split(",") if s] or default
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        p.error(f"unknown sections: {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows: list[Row] = []
    for name in chosen:
        t0 = time.perf_counter()
        print(f"== {name} ...", file=sys.stderr, flush=True)
        try:
            rows += SECTIONS[name](cfg)
        except Exception as exc:  # a broken section must not hide the others' figures
            traceback.print_exc()
            rows.append(Row(name, f"{name} section failed", None, "", note=repr(exc)[:200]))
        print(f"   {name}: {time.perf_counter() - t0:.1f}s", file=sys.stderr, flush=True)
    wall = time.perf_counter() - started
    info = machine()
    print(
        f"\nParley benchmarks, {when}, {info['nproc']} x {info['cpu']}, Python "
        f"{info['python']}{' (--quick)' if cfg.quick else ''}; wall time {wall:.0f}s\n"
    )
    print(table(rows))
    missed = [r.name for r in rows if r.met is False]
    print(f"\ntargets missed: {len(missed)}" + (f" ({'; '.join(missed)})" if missed else ""))
    args.json.write_text(
        json.dumps(
            {
                "date": when,
                "machine": info,
                "quick": cfg.quick,
                "wall_seconds": wall,
                "sections": chosen,
                "rows": [r.as_json() for r in rows],
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
