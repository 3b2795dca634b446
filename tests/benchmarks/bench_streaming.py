"""Streaming throughput (no network) and first-event latency against the reference server.

Throughput: one ``sendMessage`` stream of N ``delta`` events served by an
``httpx.MockTransport``, one event per chunk as a token-by-token server writes them. Every
reader does the same job, collecting each delta's text: raw httpx line iteration,
httpx-sse directly, and the overlay's ``text_deltas()``.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
from httpx_sse import aconnect_sse, connect_sse

from .common import Config, Row, check, close_all, cpu_clock, interleaved, median_ratio

BASE = "http://parley.test"
CONV_ID = uuid.UUID("9b2f4c7e-1a3d-4e5f-8a6b-7c8d9e0f1a2b")
PATH = f"/v1/conversation/{CONV_ID}/chat"
TARGET_STREAM = ">= 0.90"
SSE_HEADERS = {"content-type": "text/event-stream", "cache-control": "no-cache"}


def sse_chunks(events: int) -> list[bytes]:
    """Returns a whole ``sendMessage`` stream, one chunk per event.

    Args:
        events: How many ``delta`` events between ``start`` and ``complete``.
    """
    start = {
        "conversation_id": str(CONV_ID),
        "user_message_id": str(uuid.UUID(int=1)),
        "message_id": str(uuid.UUID(int=2)),
    }
    chunks = [f"id: 1\nevent: start\ndata: {json.dumps(start)}\n\n".encode()]
    for i in range(events):
        data = json.dumps({"content": "tok ", "index": i})
        chunks.append(f"id: {i + 2}\nevent: delta\ndata: {data}\n\n".encode())
    message = {
        "id": str(uuid.UUID(int=2)),
        "conversation_id": str(CONV_ID),
        "role": "assistant",
        "content": "tok " * min(events, 10),
        "rating": None,
        "feedback": None,
        "created_at": "2025-03-15T14:30:05+00:00",
        "deleted_at": None,
    }
    chunks.append(f"id: {events + 2}\nevent: complete\ndata: {json.dumps(message)}\n\n".encode())
    return chunks


def sse_transport(chunks: list[bytes]) -> httpx.MockTransport:
    """Returns a transport that streams ``chunks`` (sync or async) for every request."""

    class Sync(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            return iter(chunks)

    class Async(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            for chunk in chunks:
                yield chunk

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=SSE_HEADERS, stream=Sync())

    async def ahandler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=SSE_HEADERS, stream=Async())

    return httpx.MockTransport(handler), httpx.MockTransport(ahandler)  # type: ignore[return-value]


BODY = {"message": "Hello"}
ACCEPT = {"Accept": "text/event-stream"}


def raw_lines_sync(client: httpx.Client) -> int:
    """Collects delta texts with raw ``iter_lines()``; returns how many."""
    texts: list[str] = []
    event = ""
    with client.stream("POST", PATH, json=BODY, headers=ACCEPT) as r:
        for line in r.iter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event == "delta":
                texts.append(json.loads(line[5:])["content"])
    return len(texts)


async def raw_lines_async(client: httpx.AsyncClient) -> int:
    """Async mirror of :func:`raw_lines_sync`."""
    texts: list[str] = []
    event = ""
    async with client.stream("POST", PATH, json=BODY, headers=ACCEPT) as r:
        async for line in r.aiter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event == "delta":
                texts.append(json.loads(line[5:])["content"])
    return len(texts)


def httpx_sse_sync(client: httpx.Client) -> int:
    """Collects delta texts with httpx-sse's ``iter_sse()``; returns how many."""
    texts: list[str] = []
    with connect_sse(client, "POST", PATH, json=BODY) as source:
        for sse in source.iter_sse():
            if sse.event == "delta":
                texts.append(json.loads(sse.data)["content"])
    return len(texts)


async def httpx_sse_async(client: httpx.AsyncClient) -> int:
    """Async mirror of :func:`httpx_sse_sync`."""
    texts: list[str] = []
    async with aconnect_sse(client, "POST", PATH, json=BODY) as source:
        async for sse in source.aiter_sse():
            if sse.event == "delta":
                texts.append(json.loads(sse.data)["content"])
    return len(texts)


def overlay_stream(client: Any, conversation_id: Any, message: str = "Hello") -> Any:
    """Opens the overlay's ``sendMessage`` stream (sync or async client alike)."""
    return client.messages.send_message_stream(conversation_id, message)


def overlay_sync(client: Any) -> int:
    """Collects delta texts with the overlay's ``text_deltas()``; returns how many."""
    with overlay_stream(client, CONV_ID) as stream:
        return sum(1 for _ in stream.text_deltas())


async def overlay_async(client: Any) -> int:
    """Async mirror of :func:`overlay_sync`."""
    n = 0
    async with overlay_stream(client, CONV_ID) as stream:
        async for _ in stream.text_deltas():
            n += 1
    return n


def _overlays(sync_t: httpx.MockTransport, async_t: httpx.MockTransport) -> tuple[Any, Any, str]:
    try:
        from .common import overlay_classes

        Parley, AsyncParley = overlay_classes()

        return (
            Parley(
                api_key="pk",
                base_url=BASE,
                max_retries=0,
                http_client=httpx.Client(base_url=BASE, transport=sync_t),
            ),
            AsyncParley(
                api_key="pk",
                base_url=BASE,
                max_retries=0,
                http_client=httpx.AsyncClient(base_url=BASE, transport=async_t),
            ),
            "",
        )
    except (ImportError, TypeError) as exc:
        return None, None, f"overlay unavailable: {exc}"


def throughput(cfg: Config) -> list[Row]:
    """Events per second of each reader, sync and async, with overlay/httpx-sse ratios."""
    sync_t, async_t = sse_transport(sse_chunks(cfg.events))
    sync_c = httpx.Client(base_url=BASE, transport=sync_t)
    async_c = httpx.AsyncClient(base_url=BASE, transport=async_t)
    ov_sync, ov_async, why = _overlays(sync_t, async_t)
    loop = asyncio.new_event_loop()
    rows: list[Row] = []

    def rate(fn: Callable[[], int]) -> float:
        start = cpu_clock()
        n = fn()
        if n != cfg.events:
            raise RuntimeError(f"reader saw {n} deltas, expected {cfg.events}")
        return n / (cpu_clock() - start)

    readers: dict[str, dict[str, Callable[[], int]]] = {
        "sync": {"raw": lambda: raw_lines_sync(sync_c), "sse": lambda: httpx_sse_sync(sync_c)},
        "async": {
            "raw": lambda: loop.run_until_complete(raw_lines_async(async_c)),
            "sse": lambda: loop.run_until_complete(httpx_sse_async(async_c)),
        },
    }
    if ov_sync is not None:
        readers["sync"]["overlay"] = lambda: overlay_sync(ov_sync)
        readers["async"]["overlay"] = lambda: loop.run_until_complete(overlay_async(ov_async))
    try:
        for mode, fns in readers.items():
            batches = {name: (lambda fn=fn: rate(fn)) for name, fn in fns.items()}
            for b in batches.values():
                b()  # warm-up
            medians, samples = interleaved(batches, cfg.rounds)
            r = median_ratio(samples, "raw", "sse")
            rows.append(
                Row(
                    "streaming",
                    f"{mode} raw httpx iter_lines",
                    medians["raw"],
                    "events/s",
                    r,
                    "raw/httpx-sse",
                )
            )
            rows.append(Row("streaming", f"{mode} httpx-sse", medians["sse"], "events/s"))
            if "overlay" in medians:
                r = median_ratio(samples, "overlay", "sse")
                rows.append(
                    Row(
                        "streaming",
                        f"{mode} overlay text_deltas()",
                        medians["overlay"],
                        "events/s",
                        r,
                        "overlay/httpx-sse",
                        TARGET_STREAM,
                        check(r, TARGET_STREAM),
                    )
                )
            else:
                rows.append(
                    Row(
                        "streaming",
                        f"{mode} overlay text_deltas()",
                        None,
                        "events/s",
                        None,
                        "overlay/httpx-sse",
                        TARGET_STREAM,
                        None,
                        why,
                    )
                )
    finally:
        close_all(loop, [sync_c, ov_sync], [async_c, ov_async])
    return rows


def run(cfg: Config) -> list[Row]:
    """Throughput through every reader (first-event latency is :mod:`.bench_latency`)."""
    return throughput(cfg)
