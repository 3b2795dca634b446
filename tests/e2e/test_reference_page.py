"""The API reference page (/docs) in headless Chromium, served by the embedded testing server.

Checks that the page renders every operation and tag of the served contract with no console
error and nothing fetched from another host, and that "Try it out" calls the server with the
API key entered under "Authorize". Drives the Debian ``chromium`` (``scripts/ensure-chromium``
installs it) with Playwright, which never downloads a browser of its own. Where chromium is
missing these tests skip with that reason, except in CI, where they fail. About 10 s in all.

``PARLEY_REFERENCE_SCREENSHOT=docs/reference-page.png`` also saves the page's screenshot there
(the README shows that file).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from parley_server.testing import EmbeddedServer
from playwright.sync_api import Browser, Locator, Page, Route, expect, sync_playwright

from tests.ci import tool_missing

pytestmark = pytest.mark.tools  # Chromium

VIEWPORT = {"width": 1280, "height": 1500}
RENDER_TIMEOUT_MS = 30_000
UNAUTHORIZED = "Failed to load resource: the server responded with a status of 401 (Unauthorized)"


def chromium_path() -> str | None:
    """The chromium binary: $PARLEY_CHROMIUM, Debian's binary, or `chromium` on PATH."""
    # /usr/lib/chromium/chromium is what Debian's /usr/bin/chromium shell launcher runs; calling
    # it directly skips the launcher, whose /dev/shm check prints a shell error on some hosts.
    for candidate in (
        os.environ.get("PARLEY_CHROMIUM"),
        "/usr/lib/chromium/chromium",
        shutil.which("chromium"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        reason = "chromium is not installed: scripts/ensure-chromium installs it (root, apt-get)"
        tool_missing(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=path, args=["--disable-dev-shm-usage"], timeout=RENDER_TIMEOUT_MS
        )
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Visit:
    """One tab on the reference page, with what the browser reported while it was open."""

    page: Page
    console: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser: Browser, server: EmbeddedServer) -> Iterator[Visit]:
    page = browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
    seen = Visit(page)

    def record(message: Any) -> None:
        if message.type in {"error", "warning", "assert"}:
            seen.console.append(message.text)

    def only_this_server(route: Route) -> None:
        if route.request.url.startswith(server.base_url + "/"):
            route.continue_()
        else:
            seen.foreign.append(route.request.url)
            route.abort()

    page.on("console", record)
    page.on("pageerror", lambda error: seen.console.append(f"page error: {error}"))
    page.route("**/*", only_this_server)
    page.goto(server.base_url + "/docs")
    try:
        yield seen
    finally:
        page.close()


@pytest.fixture(scope="module")
def served(server: EmbeddedServer) -> dict[str, Any]:
    document: dict[str, Any] = httpx.get(server.base_url + "/openapi.json").json()
    return document


def operations_of(document: dict[str, Any]) -> set[tuple[str, str, str]]:
    methods = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
    return {
        (op["operationId"], method.upper(), path)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in methods
    }


def test_page_renders_every_operation_and_tag(
    visit: Visit, served: dict[str, Any], server: EmbeddedServer, tmp_path: Path
) -> None:
    page = visit.page
    wanted = operations_of(served)
    page.wait_for_function(
        "n => document.querySelectorAll('.opblock').length >= n",
        arg=len(wanted),
        timeout=RENDER_TIMEOUT_MS,
    )
    shown = set()
    for block in page.locator(".opblock").all():
        shown.add(
            (
                block.locator(".opblock-summary-operation-id").inner_text(),
                block.locator(".opblock-summary-method").inner_text(),
                block.locator(".opblock-summary-path").get_attribute("data-path"),
            )
        )
    assert page.locator(".opblock").count() == len(wanted)
    assert shown == wanted
    tags = page.locator(".opblock-tag").evaluate_all("nodes => nodes.map(n => n.dataset.tag)")
    assert tags == [tag["name"] for tag in served["tags"]]
    expect(page.locator(".info .title")).to_contain_text(served["info"]["title"])
    first_server = page.locator(".servers select option").first
    assert first_server.get_attribute("value") == server.base_url
    assert visit.console == []
    assert visit.foreign == []

    shot = tmp_path / "reference-page.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    target = os.environ.get("PARLEY_REFERENCE_SCREENSHOT")
    if target:
        shutil.copyfile(shot, target)


def test_try_it_out_calls_the_server_with_the_api_key(
    visit: Visit, served: dict[str, Any], server: EmbeddedServer
) -> None:
    page = visit.page
    page.wait_for_selector(".opblock", timeout=RENDER_TIMEOUT_MS)
    listing = _open(page, "listConversations")
    listing.locator("button.execute").click()
    expect(_status(listing)).to_have_text("401", timeout=RENDER_TIMEOUT_MS)

    page.locator("button.authorize").first.click()
    modal = page.locator(".modal-ux")
    api_key = modal.locator(".auth-container").filter(has_text="ApiKeyAuth")
    api_key.locator("input").fill(server.tenant.write_key)
    api_key.locator("button.authorize").click()
    modal.locator("button.btn-done").first.click()

    listing.locator("button.execute").click()
    expect(_status(listing)).to_have_text("200", timeout=RENDER_TIMEOUT_MS)
    expect(listing.locator(".live-responses-table .microlight").first).to_contain_text('"items"')

    headers = {"X-API-Key": server.tenant.read_key}
    before = httpx.get(server.base_url + "/v1/agent", headers=headers).json()["total"]
    creating = _open(page, "createAgent")
    creating.locator("button.execute").click()  # the body is the spec's example
    expect(_status(creating)).to_have_text("201", timeout=RENDER_TIMEOUT_MS)
    after = httpx.get(server.base_url + "/v1/agent", headers=headers).json()["total"]
    assert after == before + 1

    write = {"X-API-Key": server.tenant.write_key}
    agent = httpx.post(server.base_url + "/v1/agent", json={"name": "A"}, headers=write).json()
    body = {"agent_id": agent["id"]}
    conversation = httpx.post(server.base_url + "/v1/conversation", json=body, headers=write)
    streaming = _open(page, "sendMessage")
    streaming.locator("tr[data-param-name='conversation_id'] input").fill(conversation.json()["id"])
    streaming.locator(".response-control-media-type select").filter(
        has_text="text/event-stream"
    ).select_option("text/event-stream")
    streaming.locator("button.execute").click()
    expect(_status(streaming)).to_have_text("200", timeout=RENDER_TIMEOUT_MS)
    answer = streaming.locator(".live-responses-table .response .response-col_description").first
    expect(answer).to_contain_text("event: complete")
    assert visit.console == [UNAUTHORIZED]  # Chromium's line for the first, keyless call
    assert visit.foreign == []


def _open(page: Page, operation_id: str) -> Locator:
    """Expands an operation and presses "Try it out"; returns its block."""
    block = page.locator(".opblock").filter(
        has=page.locator(".opblock-summary-operation-id", has_text=re.compile(f"^{operation_id}$"))
    )
    block.locator(".opblock-summary-control").click()
    block.locator("button.try-out__btn").click()
    return block


def _status(block: Locator) -> Locator:
    return block.locator(".live-responses-table .response .response-col_status").first
