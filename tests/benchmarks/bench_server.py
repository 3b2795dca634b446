"""Server throughput over real HTTP on 127.0.0.1, against a bare Starlette ceiling.

For ``getConversation``, ``listConversationMessages`` (a 20-message page) and ``sendMessage``
(JSON) at 1, 16 and 64 connections: requests per second and p50/p99 latency, and the ratio
to a bare Starlette + uvicorn endpoint answering a JSON body of the same size, measured in
the same run. SQLite always; PostgreSQL too when ``PARLEY_TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import os
from typing import Any

from .common import Config, Row, check, median
from .servers import Api, bare_server, load, reference_server, server_available

OPS = ("getConversation", "listConversationMessages", "sendMessage")
TARGET_GET16 = ">= 0.50"


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
    """Runs every (name, connections) point ``cfg.rounds`` times, rotating the order."""
    keys = [(name, c) for c in cfg.connections for name in requests]
    out: dict[tuple[str, int], list[dict[str, Any]]] = {k: [] for k in keys}
    rounds = 1 if cfg.quick else max(2, cfg.rounds - 2)
    warmup = 0.1 if cfg.quick else 0.3
    for r in range(rounds):
        shift = r % len(requests)
        for name, c in keys[shift:] + keys[:shift]:
            out[(name, c)].append(load(ports[name], requests[name], c, cfg.load_seconds, warmup))
    return out


def _rows(
    label: str,
    cfg: Config,
    results: dict[tuple[str, int], list[dict[str, Any]]],
    bare: dict[tuple[str, int], list[dict[str, Any]]],
) -> list[Row]:
    rows: list[Row] = []
    for c in cfg.connections:
        for op in OPS:
            runs, ceil = results[(op, c)], bare[(f"bare:{op}", c)]
            rps = median([x["rps"] for x in runs])
            ratios = [a["rps"] / b["rps"] for a, b in zip(runs, ceil, strict=False) if b["rps"]]
            ratio = median(ratios) if ratios else None
            target = TARGET_GET16 if (op == "getConversation" and c == 16) else ""
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
                TARGET_GET16 if (op == "getConversation" and c == 16) else "",
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
    bare: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for label, url in backends:
        try:
            rows += _backend(cfg, label, url, bare)
        except Exception as exc:  # PostgreSQL trouble must not hide the SQLite figures
            if label == "sqlite":
                raise
            rows.append(Row("server", f"{label} run failed", None, "req/s", note=repr(exc)[:200]))
    return rows


def _backend(
    cfg: Config,
    label: str,
    url: str | None,
    bare: dict[tuple[str, int], list[dict[str, Any]]],
) -> list[Row]:
    """Measures one database backend; fills ``bare`` with the ceiling on its first call."""
    with reference_server(url) as api:
        requests = _prepare(api)
        port = int(api.base_url.rsplit(":", 1)[1].split("/")[0])
        ports = dict.fromkeys(requests, port)
        if not bare:  # the ceiling does not depend on the database: measure it once
            bodies = {op: _sample_body(api, reqs[0]) for op, reqs in requests.items()}
            with bare_server(bodies) as bare_port:
                for op in OPS:
                    first = requests[op][0]
                    requests[f"bare:{op}"] = [{**first, "path": f"/{op}"}]
                    ports[f"bare:{op}"] = bare_port
                results = _points(cfg, ports, requests)
            bare.update((k, v) for k, v in results.items() if k[0].startswith("bare:"))
        else:
            results = _points(cfg, ports, requests)
        return _rows(label, cfg, results, bare)
