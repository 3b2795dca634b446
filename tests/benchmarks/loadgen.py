"""A bounded HTTP/1.1 load generator, run in its own process by the server benchmarks.

It speaks keep-alive HTTP/1.1 over plain asyncio streams (no client library) so that on a
2-core machine the generator costs far less CPU than the server it measures. Each of
``--conns`` connections sends its requests back to back until ``--seconds`` pass or
``--max-requests`` are sent in all; latencies of the first ``--warmup`` seconds are dropped.

Usage::

    python -m tests.benchmarks.loadgen --port 8000 --conns 16 --seconds 3 requests.json

``requests.json`` is a list of ``{"method", "path", "headers", "body"}``; connection ``i``
cycles through the list starting at ``i``. Prints one JSON object: ``requests``, ``errors``,
``rps``, ``p50_ms``, ``p99_ms``, ``statuses``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any


def encode(req: dict[str, Any], host: str) -> bytes:
    """Returns the wire bytes of one keep-alive request."""
    body = req.get("body")
    data = b"" if body is None else json.dumps(body).encode()
    lines = [f"{req['method']} {req['path']} HTTP/1.1", f"Host: {host}"]
    lines += [f"{k}: {v}" for k, v in req.get("headers", {}).items()]
    if data or req["method"] in ("POST", "PATCH", "PUT"):
        lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


async def read_response(reader: asyncio.StreamReader) -> int:
    """Reads one response (Content-Length or chunked) and returns its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def connection(
    i: int, args: argparse.Namespace, wires: list[bytes], state: dict[str, Any]
) -> None:
    """Sends requests on one connection until the deadline or the request budget."""
    reader, writer = await asyncio.open_connection(args.host, args.port)
    k = i
    try:
        while time.perf_counter() < state["deadline"] and state["sent"] < args.max_requests:
            state["sent"] += 1
            t0 = time.perf_counter()
            writer.write(wires[k % len(wires)])
            k += 1
            status = await read_response(reader)
            t1 = time.perf_counter()
            if t0 >= state["measure_from"]:
                state["lat"].append(t1 - t0)
                state["statuses"][status] = state["statuses"].get(status, 0) + 1
                state["last"] = t1
    except (OSError, asyncio.IncompleteReadError, ValueError):
        state["errors"] += 1
    finally:
        writer.close()


async def main_async(args: argparse.Namespace, requests: list[dict[str, Any]]) -> dict[str, Any]:
    """Runs the load and returns its summary."""
    wires = [encode(r, f"{args.host}:{args.port}") for r in requests]
    now = time.perf_counter()
    state: dict[str, Any] = {
        "deadline": now + args.warmup + args.seconds,
        "measure_from": now + args.warmup,
        "sent": 0,
        "errors": 0,
        "lat": [],
        "statuses": {},
        "last": now + args.warmup,
    }
    await asyncio.gather(*(connection(i, args, wires, state) for i in range(args.conns)))
    lat = sorted(state["lat"])
    span = max(state["last"] - state["measure_from"], 1e-9)
    pick = (lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000) if lat else (lambda q: 0)
    ok = sum(n for s, n in state["statuses"].items() if s < 400)
    return {
        "requests": len(lat),
        "ok": ok,
        "errors": state["errors"],
        "rps": len(lat) / span,
        "p50_ms": pick(0.50),
        "p99_ms": pick(0.99),
        "statuses": {str(k): v for k, v in state["statuses"].items()},
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("requests", type=Path)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--conns", type=int, default=1)
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--warmup", type=float, default=0.5)
    p.add_argument("--max-requests", type=int, default=500_000)
    args = p.parse_args(argv)
    requests = json.loads(args.requests.read_text())
    result = asyncio.run(main_async(args, requests))
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
