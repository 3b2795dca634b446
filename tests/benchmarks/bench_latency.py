"""First-event latency: a streamed reply's first delta reaches the caller at once.

Against the reference server with a per-token delay: the server sends ``start`` and the first
``delta`` at once, then each later delta ``TOKEN_DELAY`` seconds apart. Each reader's time to
its first delta is compared with raw httpx line iteration on the same server (when the bytes
arrive); a reader that waited for later events would lag by at least ``TOKEN_DELAY``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from httpx_sse import connect_sse

from .bench_streaming import ACCEPT, BODY, overlay_stream
from .common import Config, Row, check, close_all, median, overlay_classes

TOKEN_DELAY = 0.25
TARGET_LAG = "<= 0.50"
LATENCY_ROWS = [
    "first delta, raw httpx (arrival reference)",
    "first delta, httpx-sse",
    "first delta, overlay sync",
    "first delta, overlay async",
]


def _first_raw(api: Any, conv: str) -> float:
    t0 = time.perf_counter()
    headers = {"X-API-Key": api.write_key, **ACCEPT}
    with api.http.stream("POST", f"/v1/conversation/{conv}/chat", json=BODY, headers=headers) as r:
        for line in r.iter_lines():
            if line.startswith("event:") and line[6:].strip() == "delta":
                return time.perf_counter() - t0
    raise RuntimeError("the stream sent no delta")


def _first_sse(api: Any, conv: str) -> float:
    t0 = time.perf_counter()
    with connect_sse(
        api.http,
        "POST",
        f"/v1/conversation/{conv}/chat",
        json=BODY,
        headers={"X-API-Key": api.write_key},
    ) as source:
        for sse in source.iter_sse():
            if sse.event == "delta":
                return time.perf_counter() - t0
    raise RuntimeError("the stream sent no delta")


def _first_overlay(client: Any, conv: str) -> float:
    t0 = time.perf_counter()
    with overlay_stream(client, conv) as stream:
        for _ in stream.text_deltas():
            return time.perf_counter() - t0
    raise RuntimeError("the stream sent no delta")


async def _first_overlay_async(client: Any, conv: str) -> float:
    t0 = time.perf_counter()
    async with overlay_stream(client, conv) as stream:
        async for _ in stream.text_deltas():
            return time.perf_counter() - t0
    raise RuntimeError("the stream sent no delta")


def run(cfg: Config) -> list[Row]:
    """Time to the first delta through each reader, against a server with a token delay.

    The server sends the first delta at once and each later one ``TOKEN_DELAY`` seconds
    apart, so a reader that buffered behind later events would lag raw httpx by at least
    ``TOKEN_DELAY``. The ratio is (reader - raw httpx) / ``TOKEN_DELAY``.
    """
    from .servers import reference_server, server_available

    why = server_available()
    if why:
        return [Row("streaming", n, None, "ms", note=why) for n in LATENCY_ROWS]
    samples = 3 if cfg.quick else 7
    with reference_server(token_delay_seconds=TOKEN_DELAY) as api:
        agent = str(api.post("/v1/agent", {"name": "Stream agent"})["id"])
        readers: dict[str, Callable[[str], float]] = {
            LATENCY_ROWS[0]: lambda c: _first_raw(api, c),
            LATENCY_ROWS[1]: lambda c: _first_sse(api, c),
        }
        sync = aio = None
        loop = asyncio.new_event_loop()
        try:
            Parley, AsyncParley = overlay_classes()
            sync = Parley(api.base_url, api_key=api.write_key, max_retries=0)
            aio = AsyncParley(api.base_url, api_key=api.write_key, max_retries=0)
            readers[LATENCY_ROWS[2]] = lambda c: _first_overlay(sync, c)
            readers[LATENCY_ROWS[3]] = lambda c: loop.run_until_complete(
                _first_overlay_async(aio, c)
            )
            note = ""
        except (ImportError, TypeError) as exc:
            note = f"overlay unavailable: {exc}"
        times: dict[str, list[float]] = {n: [] for n in readers}
        try:
            for i in range(samples + 1):
                for name, read in readers.items():
                    t = read(api.create_conversation(agent))
                    if i:  # the first round warms up
                        times[name].append(t * 1000)
        finally:
            close_all(loop, [sync], [aio])
    ref = median(times[LATENCY_ROWS[0]])
    rows = []
    for name in LATENCY_ROWS:
        if name not in times:
            rows.append(
                Row("streaming", name, None, "ms", None, "lag/token delay", TARGET_LAG, None, note)
            )
            continue
        value = median(times[name])
        if name == LATENCY_ROWS[0]:
            rows.append(
                Row("streaming", name, value, "ms", note=f"token delay {TOKEN_DELAY * 1000:.0f} ms")
            )
            continue
        lag = (value - ref) / (TOKEN_DELAY * 1000)
        target = TARGET_LAG if "overlay" in name else ""
        rows.append(
            Row("streaming", name, value, "ms", lag, "lag/token delay", target, check(lag, target))
        )
    return rows
