"""scripts/compat.py (scripts/check-compat) against reference servers patched to misbehave.

Each test serves the in-process reference app behind an ASGI wrapper that rewrites some
answers, and runs the newest release's client smoke and/or contract-test against it:

- a server that drops the required `title` from `getConversation` (the contract did not
  change, so `parley diff` sees nothing) fails the smoke, naming getConversation;
- a server that sends a `status` the release does not know, which `parley diff` calls
  compatible (a new response enum value; the old client keeps it as a string), passes the
  smoke but fails the release's contract-test, naming getConversation;
- a release with an operation the smoke does not call fails, naming it.

The unpatched server passing both parts is scripts/check-compat itself (a step of
scripts/test). About 30 s (three client generations, one short contract-test).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from parley_contract.diff import Verdict, diff_documents, load_source, release_file
from parley_server.testing import build_app

from tests.e2e.test_forward_compat import CompatPatch
from tests.harness.serving import serve

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import compat  # noqa: E402  (scripts/compat.py, not a package)

GET_CONVERSATION = re.compile(r"/v1/conversation/[0-9a-f-]{36}")


class DropTitle:
    """ASGI wrapper: `getConversation` answers without its required `title`."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(
        self, scope: dict[str, Any], receive: Any, send: Callable[[Any], Awaitable[None]]
    ) -> None:
        rewrite = (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and GET_CONVERSATION.fullmatch(scope["path"])
        )
        if not rewrite:
            await self.app(scope, receive, send)
            return
        held: dict[str, Any] = {"start": None, "body": b""}

        async def patched(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                held["start"] = message
                return
            held["body"] += message.get("body", b"")
            if message.get("more_body"):
                return
            start, data = held["start"], held["body"]
            if start["status"] == 200:
                body = json.loads(data)
                del body["title"]
                data = json.dumps(body).encode()
            headers = [(k, v) for k, v in start["headers"] if k != b"content-length"]
            headers.append((b"content-length", str(len(data)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": data})

        await self.app(scope, receive, patched)


def served(wrapper: Callable[[Any], Any]) -> Iterator[compat.Server]:
    built = build_app(":memory:")
    with serve(wrapper(built.app)) as url:
        yield compat.Server(
            url, built.tenant.write_key, built.tenant.read_key, built.other_tenant.write_key
        )


@pytest.fixture
def title_dropped() -> Iterator[compat.Server]:
    yield from served(DropTitle)


@pytest.fixture
def newer_status() -> Iterator[compat.Server]:
    yield from served(CompatPatch)


def test_a_server_that_drops_a_required_property_fails_the_smoke(
    title_dropped: compat.Server,
) -> None:
    result = compat.run_compat(title_dropped, parts=("smoke",))
    assert not result.ok
    assert list(result.smoke_failures) == ["getConversation"]
    assert "KeyError" in result.smoke_failures["getConversation"]
    assert "title" in result.smoke_failures["getConversation"]
    assert "getAgent" in result.smoke_passed and "streamAgentMessage" in result.smoke_passed
    lines = compat.report(result, ("smoke",))
    assert any(line.startswith("  FAILED getConversation: KeyError") for line in lines)


def test_a_change_the_diff_calls_compatible_fails_the_release_contract_test(
    newer_status: compat.Server, tmp_path: Path
) -> None:
    release = release_file(ROOT, "latest")
    raw = yaml.safe_load(release.read_text())
    raw["components"]["schemas"]["ConversationStatus"]["enum"].append("paused")
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
    changes = diff_documents(
        load_source(str(release)),
        load_source(str(tmp_path / "new.yaml")),
        version_policy=False,
    )
    assert changes and all(change.verdict is not Verdict.CLIENT for change in changes)
    assert "response-enum-value-added" in {change.check for change in changes}

    result = compat.run_compat(newer_status, operations=("getConversation",), max_examples=2)
    assert result.smoke_failures == {}  # the old client keeps "paused" as a string
    assert result.contract_exit == 1, result.contract_output
    assert result.contract_failures == ["getConversation"]
    lines = compat.report(result, ("smoke", "contract"))
    assert "  FAILED getConversation" in lines
    assert any("a bug in the diff or in the server" in line for line in lines)


def test_an_operation_the_smoke_does_not_call_fails(
    title_dropped: compat.Server, tmp_path: Path
) -> None:
    spec = yaml.safe_load(release_file(ROOT, "latest").read_text())
    spec["paths"]["/v1/ping"] = {
        "get": {
            "operationId": "ping",
            "tags": ["agents"],
            "security": [],
            "responses": {"204": {"description": "Up."}},
        }
    }
    (tmp_path / "releases" / "9.0.0").mkdir(parents=True)
    (tmp_path / "releases" / "9.0.0" / "openapi.yaml").write_text(yaml.safe_dump(spec))
    result = compat.run_compat(title_dropped, root=tmp_path, parts=("smoke",))
    assert result.release == "9.0.0"
    assert result.smoke_failures["ping"].startswith("not called by releases/smoke.py")
