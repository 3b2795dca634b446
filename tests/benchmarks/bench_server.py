"""Server throughput over real HTTP on 127.0.0.1, against a bare Starlette ceiling.

For ``getConversation``, ``listConversationMessages`` (a 20-message page) and ``sendMessage``
(JSON) at 1, 16 and 64 connections: requests per second and p50/p99 latency, and the ratio
to a bare Starlette + uvicorn endpoint answering a JSON body of the same size. Each point of
the reference server is measured back to back with the same point of the bare ceiling (the
order alternating by round), and each ratio is the median of those pairs' ratios, so a
machine whose load changes from second to second (a CPU shared with other work) still gives
comparable ratios. SQLite always; PostgreSQL too when ``PARLEY_TEST_DATABASE_URL`` is set.
With ``--ab REF``, REF's server is measured beside the working tree's
(:mod:`tests.benchmarks.bench_server_ab`).
"""

from __future__ import annotations

import os
import traceback
from typing import Any

from .common import Config, Row, check, median
from .servers import Api, bare_server, load, reference_server, server_available

OPS = ("getConversation", "listConversationMessages", "sendMessage")
TARGETS_GET16 = {"sqlite": ">= 0.60", "postgres": ">= 0.40"}
"""``getConversation`` at 16 connections against the bare ceiling, per database (issue 10)."""


def _prepare(api: Api) -> dict[str, list[dict[str, Any]]]:
    """Creates an agent and conversations; returns each operation's request list."""
    agent = str(api.post("/v1/agent", {"name": "Bench agent"})["id"])
    conv = api.create_conversation(agent)
    for i in range(10):  # 20 messages: a full default page
        api.post(f"/v1/conversation/{conv}/chat", {"message": f"warm-up message {i}"})
    targets = [api.create_conversation(agent, f"load {i}") for i in range(64)]
    read = {"X-API-Key": api.read_key, "Accept": "application/json"}
    write = {"X-API-Key": api.write_key, "Accept": "application/json"}
    return {
        "getConversation": [{"method": "GET", "path": f"/v1/conversation/{conv}", "headers": read}],
        "listConversationMessages": [
            {"method": "GET", "path": f"/v1/conversation/{conv}/messages", "headers": read}
        ],
        "sendMessage": [
            {
                "method": "POST",
                "path": f"/v1/conversation/{c}/chat",
                "headers": write,
                "body": {"message": "How much is the enterprise plan?"},
            }
            for c in targets
        ],
    }


def _sample_body(api: Api, req: dict[str, Any]) -> bytes:
    r = api.http.request(req["method"], req["path"], headers=req["headers"], json=req.get("body"))
    r.raise_for_status()
    return r.content


def _points(
    cfg: Config, ports: dict[str, int], requests: dict[str, list[dict[str, Any]]]
) -> dict[tuple[str, int], list[dict[str, Any]]]:
    """Runs every (operation, connections) point and its bare twin back to back, per round.

    The order of the points rotates and the order within a pair alternates from round to
    round; ``out[(name, c)][i]`` and ``out[("bare:" + name, c)][i]`` come from one pair.
    """
    keys = [(name, c) for c in cfg.connections for name in OPS]
    out: dict[tuple[str, int], list[dict[str, Any]]] = {}
    rounds = 1 if cfg.quick else max(2, cfg.rounds - 2)
    warmup = 0.1 if cfg.quick else 0.3
    for r in range(rounds):
        shift = r % len(OPS)
        for name, c in keys[shift:] + keys[:shift]:
            pair = [name, f"bare:{name}"]
            for which in pair if r % 2 == 0 else pair[::-1]:
                result = load(ports[which], requests[which], c, cfg.load_seconds, warmup)
                out.setdefault((which, c), []).append(result)
    return out


def _rows(
    label: str,
    cfg: Config,
    results: dict[tuple[str, int], list[dict[str, Any]]],
) -> list[Row]:
    rows: list[Row] = []
    for c in cfg.connections:
        for op in OPS:
            runs, ceil = results[(op, c)], results[(f"bare:{op}", c)]
            rps = median([x["rps"] for x in runs])
            ratios = [a["rps"] / b["rps"] for a, b in zip(runs, ceil, strict=False) if b["rps"]]
            ratio = median(ratios) if ratios else None
            target = TARGETS_GET16.get(label, "") if (op, c) == ("getConversation", 16) else ""
            failed = sum(x["requests"] - x["ok"] + x["errors"] for x in runs)
            rows.append(
                Row(
                    "server",
                    f"{label} {op} c={c}",
                    rps,
                    "req/s",
                    ratio,
                    "server/bare",
                    target,
                    check(ratio, target),
                    f"{failed} failed" if failed else "",
                    {
                        "p50_ms": median([x["p50_ms"] for x in runs]),
                        "p99_ms": median([x["p99_ms"] for x in runs]),
                        "bare_rps": median([x["rps"] for x in ceil]),
                    },
                )
            )
    return rows


def run(cfg: Config) -> list[Row]:
    """Measures SQLite (and PostgreSQL when configured) against the bare ceiling."""
    why = server_available()
    if why:
        return [
            Row(
                "server",
                f"sqlite {op} c={c}",
                None,
                "req/s",
                None,
                "server/bare",
                TARGETS_GET16["sqlite"] if (op, c) == ("getConversation", 16) else "",
                None,
                why,
            )
            for c in cfg.connections
            for op in OPS
        ]
    backends: list[tuple[str, str | None]] = [("sqlite", None)]
    if os.environ.get("PARLEY_TEST_DATABASE_URL"):
        backends.append(("postgres", os.environ["PARLEY_TEST_DATABASE_URL"]))
    rows: list[Row] = []
    for label, url in backends:
        try:
            rows += _backend(cfg, label, url)
        except Exception as exc:  # PostgreSQL trouble must not hide the SQLite figures
            if label == "sqlite":
                raise
            rows.append(Row("server", f"{label} run failed", None, "req/s", note=repr(exc)[:200]))
    if cfg.ab_ref:
        from .bench_server_ab import ab_rows

        try:
            rows += ab_rows(cfg)
        except Exception as exc:  # the working tree's rows above still count
            traceback.print_exc()
            rows.append(Row("server", f"A/B against {cfg.ab_ref} failed", None, "", note=repr(exc)))
    return rows


def _backend(cfg: Config, label: str, url: str | None) -> list[Row]:
    """Measures one database backend, each point paired with the bare ceiling's."""
    with reference_server(url) as api:
        requests = _prepare(api)
        port = int(api.base_url.rsplit(":", 1)[1].split("/")[0])
        ports = dict.fromkeys(requests, port)
        bodies = {op: _sample_body(api, reqs[0]) for op, reqs in requests.items()}
        with bare_server(bodies) as bare_port:
            for op in OPS:
                requests[f"bare:{op}"] = [{**requests[op][0], "path": f"/{op}"}]
                ports[f"bare:{op}"] = bare_port
            results = _points(cfg, ports, requests)
        return _rows(label, cfg, results)
