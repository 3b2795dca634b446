"""Client overhead with no network: raw httpx, the generated functions and the overlays.

Every client talks to an ``httpx.MockTransport`` that answers with the spec's example
response, so what is timed is the client's own work: building the request, httpx's
pipeline, and decoding (``json()`` for raw httpx, attrs models for the others).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from .common import (
    Config,
    Row,
    check,
    close_all,
    example,
    interleaved,
    median_ratio,
    message_page,
    timed,
)

BASE = "http://parley.test"
KEY = "pk_bench"
CONV_ID = uuid.UUID("9b2f4c7e-1a3d-4e5f-8a6b-7c8d9e0f1a2b")
AGENT_ID = uuid.UUID("3f1c2a9e-7b4d-4c1e-9a2f-5d6e7f8a9b0c")
TARGET_OVERLAY = "<= 1.10"
TARGET_GENERATED = "<= 1.30"


def _bodies() -> dict[str, tuple[int, bytes]]:
    return {
        "createConversation": (
            201,
            json.dumps(example("/v1/conversation", "post", "201")).encode(),
        ),
        "sendMessage": (
            200,
            json.dumps(example("/v1/conversation/{conversation_id}/chat", "post", "200")).encode(),
        ),
        "listConversationMessages": (200, json.dumps(message_page(100)).encode()),
    }


def _route(request: httpx.Request) -> str:
    path = request.url.path
    if path.endswith("/chat"):
        return "sendMessage"
    if path.endswith("/messages"):
        return "listConversationMessages"
    return "createConversation"


def mock_transport() -> httpx.MockTransport:
    """Returns a transport answering the three benchmarked operations with spec examples."""
    bodies = _bodies()
    headers = {"content-type": "application/json"}

    def handler(request: httpx.Request) -> httpx.Response:
        status, body = bodies[_route(request)]
        return httpx.Response(status, content=body, headers=headers)

    return httpx.MockTransport(handler)


CREATE_BODY: dict[str, Any] = {
    "agent_id": str(AGENT_ID),
    "title": "Website widget session",
    "metadata": {"source": "pricing-page"},
    "max_context_length": 20,
    "entity_type": "USER",
}
MESSAGE = "Hello! Can you explain the enterprise plan?"


def _raw_calls(client: httpx.Client) -> dict[str, Callable[[], Any]]:
    def create() -> Any:
        r = client.post("/v1/conversation", json=CREATE_BODY)
        r.raise_for_status()
        return r.json()

    def send() -> Any:
        r = client.post(f"/v1/conversation/{CONV_ID}/chat", json={"message": MESSAGE})
        r.raise_for_status()
        return r.json()

    def page() -> Any:
        r = client.get(f"/v1/conversation/{CONV_ID}/messages", params={"page": 1, "per_page": 100})
        r.raise_for_status()
        return r.json()

    return {"createConversation": create, "sendMessage": send, "listConversationMessages": page}


def _raw_async_calls(client: httpx.AsyncClient) -> dict[str, Callable[[], Any]]:
    async def create() -> Any:
        r = await client.post("/v1/conversation", json=CREATE_BODY)
        r.raise_for_status()
        return r.json()

    async def send() -> Any:
        r = await client.post(f"/v1/conversation/{CONV_ID}/chat", json={"message": MESSAGE})
        r.raise_for_status()
        return r.json()

    async def page() -> Any:
        r = await client.get(
            f"/v1/conversation/{CONV_ID}/messages", params={"page": 1, "per_page": 100}
        )
        r.raise_for_status()
        return r.json()

    return {"createConversation": create, "sendMessage": send, "listConversationMessages": page}


def _generated_calls(client: Any, is_async: bool) -> dict[str, Callable[[], Any]]:
    from parley_client.api.conversations import create_conversation, list_conversation_messages
    from parley_client.api.messages import send_message
    from parley_client.models import CreateConversationRequest, SendMessageRequest

    def create() -> Any:
        body = CreateConversationRequest.from_dict(CREATE_BODY)
        fn = create_conversation.asyncio if is_async else create_conversation.sync
        return fn(client=client, body=body)

    def send() -> Any:
        fn = send_message.asyncio if is_async else send_message.sync
        return fn(CONV_ID, client=client, body=SendMessageRequest(message=MESSAGE))

    def page() -> Any:
        fn = list_conversation_messages.asyncio if is_async else list_conversation_messages.sync
        return fn(CONV_ID, client=client, page=1, per_page=100)

    return {"createConversation": create, "sendMessage": send, "listConversationMessages": page}


def _overlay_calls(client: Any) -> dict[str, Callable[[], Any]]:
    def create() -> Any:
        return client.conversations.create_conversation(
            agent_id=AGENT_ID,
            title=CREATE_BODY["title"],
            metadata=CREATE_BODY["metadata"],
            max_context_length=20,
            entity_type="USER",
        )

    def send() -> Any:
        return client.messages.send_message(CONV_ID, message=MESSAGE)

    def page() -> Any:
        return client.conversations.list_conversation_messages(CONV_ID, page=1, per_page=100)

    return {"createConversation": create, "sendMessage": send, "listConversationMessages": page}


def _overlay_clients() -> tuple[Any, Any, str]:
    """Returns (sync overlay, async overlay, why-not) built on the mock transport."""
    try:
        from .common import overlay_classes

        Parley, AsyncParley = overlay_classes()
    except ImportError as exc:
        return None, None, f"overlay not importable: {exc}"
    try:
        sync = Parley(
            api_key=KEY,
            base_url=BASE,
            http_client=httpx.Client(base_url=BASE, transport=mock_transport()),
            max_retries=0,
        )
        aio = AsyncParley(
            api_key=KEY,
            base_url=BASE,
            http_client=httpx.AsyncClient(base_url=BASE, transport=mock_transport()),
            max_retries=0,
        )
    except TypeError as exc:
        return None, None, f"overlay constructor differs: {exc}"
    return sync, aio, ""


def _async_batch(loop: asyncio.AbstractEventLoop, fn: Callable[[], Any], calls: int) -> float:
    async def run() -> None:
        for _ in range(calls):
            await fn()

    def once() -> None:
        loop.run_until_complete(run())

    return timed(once, 1) / calls


def run(cfg: Config) -> list[Row]:
    """Measures per-call time of each client style and the ratios between them."""
    from parley_client import AuthenticatedClient

    rows: list[Row] = []
    headers = {"X-API-Key": KEY}
    raw_sync = httpx.Client(base_url=BASE, transport=mock_transport(), headers=headers)
    raw_async = httpx.AsyncClient(base_url=BASE, transport=mock_transport(), headers=headers)
    gen = AuthenticatedClient(
        base_url=BASE,
        token=KEY,
        prefix="",
        auth_header_name="X-API-Key",
        httpx_args={"transport": mock_transport()},
    )
    ov_sync, ov_async, why = _overlay_clients()
    loop = asyncio.new_event_loop()
    # The generated client creates one AsyncClient per AuthenticatedClient; it must live on
    # the loop that drives it.
    gen.set_async_httpx_client(
        httpx.AsyncClient(base_url=BASE, transport=mock_transport(), headers=headers)
    )
    try:
        for mode in ("sync", "async"):
            is_async = mode == "async"
            raw = _raw_async_calls(raw_async) if is_async else _raw_calls(raw_sync)
            generated = _generated_calls(gen, is_async)
            overlay = _overlay_calls(ov_async if is_async else ov_sync) if ov_sync else {}
            for op in raw:
                impls: dict[str, Callable[[], Any]] = {"raw": raw[op], "generated": generated[op]}
                if op in overlay:
                    impls["overlay"] = overlay[op]
                batches: dict[str, Callable[[], float]] = {}
                for name, fn in impls.items():
                    if is_async:
                        batches[name] = lambda fn=fn: _async_batch(loop, fn, cfg.calls)
                    else:
                        batches[name] = lambda fn=fn: timed(fn, cfg.calls)
                    batches[name]()  # warm-up: imports, pools, caches
                medians, samples = interleaved(batches, cfg.rounds)
                rows.append(Row("client", f"{op} {mode} raw httpx+json()", medians["raw"], "us"))
                r = median_ratio(samples, "generated", "raw")
                rows.append(
                    Row(
                        "client",
                        f"{op} {mode} generated",
                        medians["generated"],
                        "us",
                        r,
                        "generated/raw",
                        TARGET_GENERATED,
                        check(r, TARGET_GENERATED),
                    )
                )
                if "overlay" in medians:
                    r = median_ratio(samples, "overlay", "generated")
                    rows.append(
                        Row(
                            "client",
                            f"{op} {mode} overlay",
                            medians["overlay"],
                            "us",
                            r,
                            "overlay/generated",
                            TARGET_OVERLAY,
                            check(r, TARGET_OVERLAY),
                        )
                    )
                else:
                    rows.append(
                        Row(
                            "client",
                            f"{op} {mode} overlay",
                            None,
                            "us",
                            None,
                            "overlay/generated",
                            TARGET_OVERLAY,
                            None,
                            why or "no overlay",
                        )
                    )
    finally:
        close_all(loop, [raw_sync, ov_sync], [raw_async, ov_async])
    return rows
