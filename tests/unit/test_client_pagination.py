"""Pagination: page objects, len, has_next_page/get_next_page, lazy iteration across pages."""

from __future__ import annotations

import json

import httpx
import pytest
from parley import AsyncPage, ParleyError, SyncPage

from .client_fakes import CONVERSATION_ID, Script, async_client, message, sync_client

TOTAL = 5


def pages(request: httpx.Request) -> httpx.Response:
    number = int(request.url.params["page"])
    per_page = int(request.url.params["per_page"])
    start = (number - 1) * per_page
    items = [message(f"m{i}") for i in range(start, min(start + per_page, TOTAL))]
    body = {
        "items": items,
        "page": number,
        "per_page": per_page,
        "total": TOTAL,
        "pages": -(-TOTAL // per_page),
    }
    return httpx.Response(200, content=json.dumps(body).encode())


def test_page_object_and_navigation() -> None:
    script = Script(pages)
    with sync_client(script) as client:
        page = client.conversations.list_conversation_messages(CONVERSATION_ID, per_page=2)
        assert isinstance(page, SyncPage)
        assert (page.page, page.per_page, page.total, page.pages, len(page)) == (1, 2, 5, 3, 2)
        assert [m.content for m in page.items] == ["m0", "m1"]
        assert page.has_next_page()
        last = page.get_next_page().get_next_page()
        assert last.page == 3 and len(last) == 1 and not last.has_next_page()
        with pytest.raises(ParleyError):
            last.get_next_page()


def test_iteration_walks_every_item_lazily_one_request_per_page() -> None:
    script = Script(pages)
    with sync_client(script) as client:
        page = client.messages.list_deleted_messages(per_page=2)
        assert len(script.requests) == 1
        items = iter(page)
        assert [next(items).content, next(items).content] == ["m0", "m1"]
        assert len(script.requests) == 1
        assert next(items).content == "m2"
        assert len(script.requests) == 2
        assert [m.content for m in items] == ["m3", "m4"]
    assert [r.url.params["page"] for r in script.requests] == ["1", "2", "3"]
    assert all(r.url.params["per_page"] == "2" for r in script.requests)


def test_filters_and_options_carry_to_every_page() -> None:
    script = Script(pages)
    with sync_client(script) as client:
        page = client.conversations.list_conversation_messages(
            CONVERSATION_ID, per_page=3, headers={"X-Trace": "t"}
        )
        assert len(list(page)) == TOTAL
    assert all(r.headers["X-Trace"] == "t" for r in script.requests)


@pytest.mark.anyio
async def test_async_pages() -> None:
    script = Script(pages)
    async with async_client(script) as client:
        page = await client.conversations.list_conversation_messages(CONVERSATION_ID, per_page=2)
        assert isinstance(page, AsyncPage) and len(page) == 2
        second = await page.get_next_page()
        assert second.page == 2
        assert [m.content async for m in page] == [f"m{i}" for i in range(TOTAL)]
    assert len(script.requests) == 1 + 1 + 2  # page 1, get_next_page, then pages 2 and 3
