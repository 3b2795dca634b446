"""Shared plumbing for the benchmarks: configuration, rows, timing and the spec's examples."""

from __future__ import annotations

import copy
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from parley_spec import read_document

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Config:
    """How hard each benchmark works.

    Attributes:
        quick: Tiny counts (the smoke test); figures are then only indicative.
        rounds: Repeated runs whose median is reported.
        calls: Calls per round in the client-overhead benchmark.
        events: SSE ``delta`` events per stream in the streaming benchmark.
        load_seconds: Seconds of load per server-throughput point.
        connections: Connection counts of the server-throughput benchmark.
        scale_sizes: Message counts of the scale benchmark's conversations.
        scale_tenants: Conversation counts of the scale benchmark's tenants.
        scale_samples: Requests per scale point.
        ab_ref: ``--ab REF``: a git ref whose code the sections that support it measure
            beside the working tree's, alternating (:mod:`tests.benchmarks.ab`).
    """

    quick: bool = False
    rounds: int = 5
    calls: int = 1500
    events: int = 100_000
    load_seconds: float = 2.0
    connections: tuple[int, ...] = (1, 16, 64)
    scale_sizes: tuple[int, ...] = (10, 1_000, 100_000)
    scale_tenants: tuple[int, ...] = (100, 100_000)
    scale_samples: int = 40
    ab_ref: str | None = None

    @classmethod
    def make(cls, quick: bool) -> Config:
        """Returns the full configuration, or the tiny one when ``quick``."""
        if not quick:
            return cls()
        return cls(
            quick=True,
            rounds=2,
            calls=100,
            events=2_000,
            load_seconds=0.25,
            connections=(1, 16, 64),
            scale_sizes=(10, 100, 1_000),
            scale_tenants=(100, 1_000),
            scale_samples=5,
        )


@dataclass
class Row:
    """One figure of the table.

    Attributes:
        section: The issue's section (``client``, ``streaming``, ``server``...).
        name: What was measured, unique in the run.
        value: The measured value (a median), or None when it could not be measured.
        unit: Its unit (``us/call``, ``events/s``, ``ms``, ``req/s``, ``s``).
        ratio: The ratio to its baseline, when the figure has one.
        ratio_of: How the ratio is formed (``overlay/generated``...).
        target: The target as text (``<= 1.10``), when the issue sets one.
        met: Whether the target is met (None without a target or a value).
        note: Why a figure is missing, or extra context.
        extra: Further numbers (p50/p99 next to req/s...).
    """

    section: str
    name: str
    value: float | None
    unit: str
    ratio: float | None = None
    ratio_of: str = ""
    target: str = ""
    met: bool | None = None
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """Returns the row as a JSON-serializable dict."""
        return asdict(self)


def check(ratio: float | None, target: str) -> bool | None:
    """Evaluates ``ratio`` against a target written as ``<= X`` or ``>= X``."""
    if ratio is None or not target:
        return None
    op, _, bound = target.partition(" ")
    return ratio <= float(bound) if op == "<=" else ratio >= float(bound)


def ratio(num: float | None, den: float | None) -> float | None:
    """Returns ``num / den``, or None when either is missing or ``den`` is zero."""
    if num is None or not den:
        return None
    return num / den


def median(values: list[float]) -> float:
    """Median of a non-empty list."""
    return statistics.median(values)


def interleaved(
    impls: dict[str, Callable[[], float]], rounds: int
) -> tuple[dict[str, float], dict[str, list[float]]]:
    """Runs each measurement once per round, in rotating order, so noise hits all alike.

    Args:
        impls: Name -> a callable that runs one timed batch and returns its figure.
        rounds: How many rounds.

    Returns:
        (the median of each name's figures, every figure of each name by round).
    """
    names = list(impls)
    samples: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            samples[name].append(impls[name]())
    return {n: median(v) for n, v in samples.items()}, samples


def median_ratio(samples: dict[str, list[float]], num: str, den: str) -> float | None:
    """Median over rounds of ``samples[num][i] / samples[den][i]`` (pairs from one round)."""
    pairs = [a / b for a, b in zip(samples[num], samples[den], strict=True) if b]
    return median(pairs) if pairs else None


def cpu_clock() -> float:
    """This process's CPU time in seconds.

    In-process benchmarks (no network, one thread) time with it rather than the wall clock:
    on a shared 2-core machine, time spent waiting for a core while other processes run
    would otherwise land in whichever measurement happened to be running.
    """
    return time.process_time()


def timed(fn: Callable[[], object], calls: int) -> float:
    """Returns CPU microseconds per call of ``fn`` over ``calls`` calls."""
    start = cpu_clock()
    for _ in range(calls):
        fn()
    return (cpu_clock() - start) / calls * 1e6


@cache
def _spec() -> dict[str, Any]:
    return read_document(ROOT / "openapi.yaml")


def example(path: str, method: str, status: str, media: str = "application/json") -> Any:
    """Returns a deep copy of the spec's example for one response.

    Args:
        path: The path template (``/v1/conversation``).
        method: Lower-case HTTP method.
        status: The status code as written in the spec (``"201"``).
        media: The media type.
    """
    op = _spec()["paths"][path][method]
    return copy.deepcopy(op["responses"][status]["content"][media]["example"])


def message_page(items: int) -> dict[str, Any]:
    """Returns a ``MessagePage`` of ``items`` messages built from the spec's example."""
    page = example("/v1/conversation/{conversation_id}/messages", "get", "200")
    base = page["items"]
    out = []
    for i in range(items):
        item = dict(base[i % len(base)])
        item["id"] = str(uuid.UUID(int=i + 1))
        out.append(item)
    page.update(items=out, per_page=max(items, 1), total=items, pages=1)
    return page


def overlay_classes() -> tuple[Any, Any]:
    """Returns ``(Parley, AsyncParley)``.

    Raises:
        ImportError: The overlays are not there (yet).
    """
    try:
        from parley import AsyncParley, Parley
    except ImportError:
        from parley._async.client import AsyncParley  # before __init__ exports them
        from parley._sync.client import Parley
    return Parley, AsyncParley


def close_all(loop: Any, sync_clients: list[Any], async_clients: list[Any]) -> None:
    """Closes sync clients, then async ones and pending async generators on ``loop``.

    Args:
        loop: The event loop that drove the async clients (closed too).
        sync_clients: Objects with ``close()`` (None entries are skipped).
        async_clients: Objects with an awaitable ``aclose()`` or ``close()`` (None skipped).
    """
    for c in sync_clients:
        if c is not None:
            c.close()
    for c in async_clients:
        if c is not None:
            loop.run_until_complete(c.aclose() if hasattr(c, "aclose") else c.close())
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()
