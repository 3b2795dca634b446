"""Scale: does latency stay flat as conversations and tenants grow?

On one reference server (SQLite): page 1 of ``listConversationMessages`` and ``sendMessage``
(JSON) in conversations of 10, 1,000 and 100,000 messages, then page 1 of
``listConversations`` with 100 and with 100,000 conversations in the tenant. Each figure is
the median of sequential requests, taken round-robin across sizes; each ratio is
largest/smallest.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from . import seed
from .common import Config, Row, check, median
from .servers import Api, reference_server, server_available

TARGET = "<= 1.50"


def row_names(cfg: Config) -> list[str]:
    """The scale rows' names for this configuration."""
    names = [f"listConversationMessages page 1, {n:,} messages" for n in cfg.scale_sizes]
    names += [f"sendMessage, {n:,} messages" for n in cfg.scale_sizes]
    names += [f"listConversations page 1, {n:,} conversations" for n in cfg.scale_tenants]
    return names


def _ms(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def _get(api: Api, path: str) -> Callable[[], object]:
    def call() -> object:
        r = api.http.get(path, headers={"X-API-Key": api.read_key})
        r.raise_for_status()
        return r

    return call


def _send(api: Api, conv: str) -> Callable[[], object]:
    def call() -> object:
        r = api.http.post(
            f"/v1/conversation/{conv}/chat",
            json={"message": "And the price?"},
            headers={"X-API-Key": api.write_key},
        )
        r.raise_for_status()
        return r

    return call


def _round_robin(calls: dict[str, Callable[[], object]], samples: int) -> dict[str, float]:
    for fn in calls.values():
        fn()  # warm-up (connection, caches)
    times: dict[str, list[float]] = {k: [] for k in calls}
    for _ in range(samples):
        for k, fn in calls.items():
            times[k].append(_ms(fn))
    return {k: median(v) for k, v in times.items()}


def _group(names: list[str], values: dict[str, float], what: str) -> list[Row]:
    rows = [Row("scale", n, values[n], "ms") for n in names]
    r = values[names[-1]] / values[names[0]] if values[names[0]] else None
    rows[-1].ratio, rows[-1].ratio_of, rows[-1].target = r, f"largest/smallest {what}", TARGET
    rows[-1].met = check(r, TARGET)
    return rows


def run(cfg: Config) -> list[Row]:
    """Seeds the data, measures every scale point and returns the rows.

    The two tenants of the embedded server hold the two tenant sizes, so both listings are
    measured side by side; the first tenant also holds the three sized conversations.
    """
    names = row_names(cfg)
    why = server_available()
    if why:
        return [Row("scale", n, None, "ms", note=why) for n in names]
    small, large = cfg.scale_tenants
    with reference_server() as api:
        assert api.other is not None
        agent = str(api.post("/v1/agent", {"name": "Scale agent"})["id"])
        convs = {n: api.create_conversation(agent, f"{n} messages") for n in cfg.scale_sizes}
        other_agent = str(api.other.post("/v1/agent", {"name": "Small tenant agent"})["id"])
        other_conv = api.other.create_conversation(other_agent, "small tenant")
        t0 = time.perf_counter()
        for n, conv in convs.items():
            seed.add_messages(api.database_url, conv, n)
        seed.add_conversations(api.database_url, convs[cfg.scale_sizes[0]], large - len(convs))
        seed.add_conversations(api.database_url, other_conv, small - 1)
        seeded = time.perf_counter() - t0

        lists = {
            f"listConversationMessages page 1, {n:,} messages": _get(
                api, f"/v1/conversation/{c}/messages"
            )
            for n, c in convs.items()
        }
        sends = {f"sendMessage, {n:,} messages": _send(api, c) for n, c in convs.items()}
        tenants = {
            f"listConversations page 1, {small:,} conversations": _get(
                api.other, "/v1/conversation"
            ),
            f"listConversations page 1, {large:,} conversations": _get(api, "/v1/conversation"),
        }
        values = _round_robin(lists, cfg.scale_samples)
        values |= _round_robin(sends, cfg.scale_samples)
        values |= _round_robin(tenants, cfg.scale_samples)

    rows = _group(
        [n for n in names if n.startswith("listConversationMessages")], values, "conversation"
    )
    rows += _group([n for n in names if n.startswith("sendMessage")], values, "conversation")
    rows += _group(list(tenants), values, "tenant")
    rows[0].note = f"seeding took {seeded:.1f}s"
    return rows
