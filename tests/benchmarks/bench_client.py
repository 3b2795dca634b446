"""Client overhead with no network: raw httpx, the generated functions and the overlays.

Every client talks to an ``httpx.MockTransport`` that answers with the spec's example
response (fresh ids in each answer, see `bodies`), so what is timed is the client's own work:
building the request, httpx's pipeline, and decoding (``json()`` for raw httpx, attrs models
for the others).

Rows, sync and async: per-call time of ``getConversation``, ``createConversation`` and
``sendMessage`` (single objects) and ``listConversationMessages`` (a page of 100 messages),
each style's ratio to raw httpx; and the decoding of that page alone against ``json.loads``.
With ``scripts/bench --ab REF`` the same calls of REF's code and the working tree's are
measured alternately in child processes (``bench_client_ab``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import traceback
import uuid
from collections.abc import Callable, Mapping
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
PAGE = 100
OPS = ("getConversation", "createConversation", "sendMessage", "listConversationMessages")
TARGETS = {  # style -> op -> target of style/raw
    "generated": {op: "<= 1.30" for op in OPS[:3]} | {OPS[3]: "<= 2.00"},
    "overlay": {op: "<= 1.25" for op in OPS[:3]} | {OPS[3]: "<= 2.00"},
}
Bodies = Mapping[str, tuple[int, tuple[bytes, ...]]]
"""Each operation's status and the answers it gives in turn."""
ANSWERS = 640
"""Answers of each single-object operation, every id fresh: 1,280 ids and more, past what
the generated client's `parse_uuid` keeps (1,024), so no call finds its ids parsed already."""
PAGES = 16
"""Pages of `PAGE` messages, their message ids fresh (1,600) and their conversation id the
same, as a conversation's pages are."""


def _fresh_ids(value: Any, ids: random.Random) -> Any:
    """``value`` with every UUID string in it replaced by a new random one."""
    if isinstance(value, dict):
        return {key: _fresh_ids(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [_fresh_ids(item, ids) for item in value]
    if isinstance(value, str):
        try:
            uuid.UUID(value)
        except ValueError:
            return value
        return str(uuid.UUID(int=ids.getrandbits(128), version=4))
    return value


def bodies() -> dict[str, tuple[int, tuple[bytes, ...]]]:
    """Each benchmarked operation's answers: its status and the spec's example, as JSON bytes,
    with fresh ids in each answer (`ANSWERS` of a single object, `PAGES` of the page).

    A client that remembers ids it parsed (the generated `parse_uuid` keeps 1,024) meets
    each id of a single-object answer, and each message id of a page, for the first time
    since it last forgot them; a page's conversation id repeats, as on a real page.
    """
    ids = random.Random(26)
    single = {
        "getConversation": (200, example("/v1/conversation/{conversation_id}", "get", "200")),
        "createConversation": (201, example("/v1/conversation", "post", "201")),
        "sendMessage": (200, example("/v1/conversation/{conversation_id}/chat", "post", "200")),
    }
    answers = {
        op: (status, tuple(json.dumps(_fresh_ids(body, ids)).encode() for _ in range(ANSWERS)))
        for op, (status, body) in single.items()
    }
    pages = []
    for _ in range(PAGES):
        page = message_page(PAGE)
        for item in page["items"]:
            item["id"] = str(uuid.UUID(int=ids.getrandbits(128), version=4))
        pages.append(json.dumps(page).encode())
    answers["listConversationMessages"] = (200, tuple(pages))
    return answers


def _route(request: httpx.Request) -> str:
    path = request.url.path
    if path.endswith("/chat"):
        return "sendMessage"
    if path.endswith("/messages"):
        return "listConversationMessages"
    if request.method == "GET":
        return "getConversation"
    return "createConversation"


def mock_transport(answers: Bodies) -> httpx.MockTransport:
    """Returns a transport answering the benchmarked operations with ``answers``."""
    headers = {"content-type": "application/json"}
    turns = {op: (status, itertools.cycle(answer)) for op, (status, answer) in answers.items()}

    def handler(request: httpx.Request) -> httpx.Response:
        status, answer = turns[_route(request)]
        return httpx.Response(status, content=next(answer), headers=headers)

    return httpx.MockTransport(handler)


CREATE_BODY: dict[str, Any] = {
    "agent_id": str(AGENT_ID),
    "title": "Website widget session",
    "metadata": {"source": "pricing-page"},
    "max_context_length": 20,
    "entity_type": "USER",
}
MESSAGE = "Hello! Can you explain the enterprise plan?"
Calls = dict[str, Callable[[], Any]]


def raw_calls(client: httpx.Client) -> Calls:
    """Raw httpx: the request by hand, ``raise_for_status()`` and ``json()``."""

    def get() -> Any:
        r = client.get(f"/v1/conversation/{CONV_ID}")
        r.raise_for_status()
        return r.json()

    def create() -> Any:
        r = client.post("/v1/conversation", json=CREATE_BODY)
        r.raise_for_status()
        return r.json()

    def send() -> Any:
        r = client.post(f"/v1/conversation/{CONV_ID}/chat", json={"message": MESSAGE})
        r.raise_for_status()
        return r.json()

    def page() -> Any:
        r = client.get(f"/v1/conversation/{CONV_ID}/messages", params={"page": 1, "per_page": PAGE})
        r.raise_for_status()
        return r.json()

    return dict(zip(OPS, (get, create, send, page), strict=True))


def raw_async_calls(client: httpx.AsyncClient) -> Calls:
    """``raw_calls`` over ``httpx.AsyncClient``."""

    async def get() -> Any:
        r = await client.get(f"/v1/conversation/{CONV_ID}")
        r.raise_for_status()
        return r.json()

    async def create() -> Any:
        r = await client.post("/v1/conversation", json=CREATE_BODY)
        r.raise_for_status()
        return r.json()

    async def send() -> Any:
        r = await client.post(f"/v1/conversation/{CONV_ID}/chat", json={"message": MESSAGE})
        r.raise_for_status()
        return r.json()

    async def page() -> Any:
        params = {"page": 1, "per_page": PAGE}
        r = await client.get(f"/v1/conversation/{CONV_ID}/messages", params=params)
        r.raise_for_status()
        return r.json()

    return dict(zip(OPS, (get, create, send, page), strict=True))


def generated_calls(client: Any, is_async: bool) -> Calls:
    """The generated functions (``sync``/``asyncio``) of ``parley_client.api``."""
    from parley_client.api.conversations import (
        create_conversation,
        get_conversation,
        list_conversation_messages,
    )
    from parley_client.api.messages import send_message
    from parley_client.models import CreateConversationRequest, SendMessageRequest

    def style(module: Any) -> Any:
        return module.asyncio if is_async else module.sync

    def get() -> Any:
        return style(get_conversation)(CONV_ID, client=client)

    def create() -> Any:
        body = CreateConversationRequest.from_dict(CREATE_BODY)
        return style(create_conversation)(client=client, body=body)

    def send() -> Any:
        return style(send_message)(CONV_ID, client=client, body=SendMessageRequest(message=MESSAGE))

    def page() -> Any:
        return style(list_conversation_messages)(CONV_ID, client=client, page=1, per_page=PAGE)

    return dict(zip(OPS, (get, create, send, page), strict=True))


def overlay_calls(client: Any) -> Calls:
    """The overlay methods of a ``Parley`` or ``AsyncParley``."""

    def get() -> Any:
        return client.conversations.get_conversation(CONV_ID)

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
        return client.conversations.list_conversation_messages(CONV_ID, page=1, per_page=PAGE)

    return dict(zip(OPS, (get, create, send, page), strict=True))


def _async_batch(loop: asyncio.AbstractEventLoop, fn: Callable[[], Any], calls: int) -> float:
    async def run() -> None:
        for _ in range(calls):
            await fn()

    def once() -> None:
        loop.run_until_complete(run())

    return timed(once, 1) / calls


class Clients:
    """Raw, generated and overlay clients of one process, all on mock transports."""

    def __init__(self, answers: Bodies):
        from parley import AsyncParley, Parley
        from parley_client import AuthenticatedClient

        def transport() -> httpx.MockTransport:
            return mock_transport(answers)

        headers = {"X-API-Key": KEY}
        self.loop = asyncio.new_event_loop()
        self.raw = httpx.Client(base_url=BASE, transport=transport(), headers=headers)
        self.raw_async = httpx.AsyncClient(base_url=BASE, transport=transport(), headers=headers)
        self.generated = AuthenticatedClient(
            base_url=BASE,
            token=KEY,
            prefix="",
            auth_header_name="X-API-Key",
            httpx_args={"transport": transport()},
        )
        # The generated client makes one AsyncClient per AuthenticatedClient; it must live on
        # the loop that drives it.
        self.generated.set_async_httpx_client(
            httpx.AsyncClient(base_url=BASE, transport=transport(), headers=headers)
        )
        http = httpx.Client(base_url=BASE, transport=transport())
        self.overlay = Parley(api_key=KEY, base_url=BASE, http_client=http, max_retries=0)
        http_async = httpx.AsyncClient(base_url=BASE, transport=transport())
        self.overlay_async = AsyncParley(
            api_key=KEY, base_url=BASE, http_client=http_async, max_retries=0
        )

    def batches(self, mode: str, op: str, calls: int) -> dict[str, Callable[[], float]]:
        """Style -> a batch of ``calls`` calls of ``op`` returning CPU us per call."""
        is_async = mode == "async"
        styles = {
            "raw": (raw_async_calls(self.raw_async) if is_async else raw_calls(self.raw))[op],
            "generated": generated_calls(self.generated, is_async)[op],
            "overlay": overlay_calls(self.overlay_async if is_async else self.overlay)[op],
        }
        out: dict[str, Callable[[], float]] = {}
        for style, fn in styles.items():
            if is_async:
                out[style] = lambda fn=fn: _async_batch(self.loop, fn, calls)
            else:
                out[style] = lambda fn=fn: timed(fn, calls)
        return out

    def warm_up(self, mode: str, op: str, calls: int) -> None:
        """A tenth of a batch of each style: imports, pools and caches, before timing."""
        for batch in self.batches(mode, op, max(calls // 10, 3)).values():
            batch()

    def close(self) -> None:
        close_all(
            self.loop,
            [self.raw, self.overlay, self.generated.get_httpx_client()],
            [self.raw_async, self.overlay_async, self.generated.get_async_httpx_client()],
        )


def _decode_rows(answers: Bodies, cfg: Config) -> list[Row]:
    from parley_client.models import MessagePage

    pages = answers["listConversationMessages"][1]
    loads, decodes = itertools.cycle(pages), itertools.cycle(pages)
    batches = {
        "json.loads": lambda: timed(lambda: json.loads(next(loads)), cfg.calls),
        "from_dict": lambda: timed(
            lambda: MessagePage.from_dict(json.loads(next(decodes))), cfg.calls
        ),
    }
    for batch in batches.values():
        batch()  # warm-up
    medians, samples = interleaved(batches, cfg.rounds)
    ratio = median_ratio(samples, "from_dict", "json.loads")
    name = f"{PAGE}-message page decode"
    return [
        Row("client", f"{name}: json.loads", medians["json.loads"], "us"),
        Row(
            "client",
            f"{name}: json.loads + MessagePage.from_dict",
            medians["from_dict"],
            "us",
            ratio,
            "decode/json.loads",
            note="decoding alone, no HTTP: 200 UUIDs, 100 date-times and attrs objects",
        ),
    ]


def run(cfg: Config) -> list[Row]:
    """Measures per-call time of each client style and the ratios between them."""
    answers = bodies()
    clients = Clients(answers)
    rows: list[Row] = []
    try:
        for mode in ("sync", "async"):
            for op in OPS:
                clients.warm_up(mode, op, cfg.calls)
                batches = clients.batches(mode, op, cfg.calls)
                medians, samples = interleaved(batches, cfg.rounds)
                rows.append(Row("client", f"{op} {mode} raw httpx+json()", medians["raw"], "us"))
                for style in ("generated", "overlay"):
                    ratio = median_ratio(samples, style, "raw")
                    target = TARGETS[style][op]
                    rows.append(
                        Row(
                            "client",
                            f"{op} {mode} {style}",
                            medians[style],
                            "us",
                            ratio,
                            f"{style}/raw",
                            target,
                            check(ratio, target),
                            f"a page of {PAGE} messages" if op == OPS[3] else "",
                        )
                    )
        rows += _decode_rows(answers, cfg)
    finally:
        clients.close()
    if cfg.ab_ref:
        from .bench_client_ab import ab_rows

        try:
            rows += ab_rows(cfg, answers)
        except Exception as exc:  # the working tree's rows above still count
            traceback.print_exc()
            rows.append(Row("client", f"A/B against {cfg.ab_ref} failed", None, "", note=repr(exc)))
    return rows
