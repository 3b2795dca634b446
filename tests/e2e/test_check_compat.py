"""scripts/compat.py (scripts/check-compat) against reference servers patched to misbehave.

Each test serves the in-process reference app behind an ASGI wrapper that rewrites some
answers, and runs the newest release's client smoke and/or contract-test against it:

- a server that drops the required `title` from `getConversation` (the contract did not
  change, so `parley diff` sees nothing) fails the smoke, naming getConversation;
- a server that sends what `parley diff` calls compatible (a new `status` value and property
  in `getConversation`, a new `role` value and property in the stream's `complete` payload,
  a new `thinking` event) passes both parts: the old client keeps the new values, and the
  contract-test runs the release's tolerant copy, while the release's strict contract fails
  that server;
- a server that answers `getConversation` in a media type its new contract adds, which
  `parley diff` calls compatible (`response-media-type-added`) but which the old client, that
  sends no `Accept`, cannot read, fails both parts, naming getConversation: the tolerant copy
  grants only what the old client survives;
- a release with an operation the smoke does not call fails, naming it, unless the release
  deprecated it with an `x-sunset` date that has passed; a property the release retired
  that way and the server no longer sends is tolerated too.

The unpatched server passing both parts is scripts/check-compat itself (a step of
scripts/test). About 60 s (four client generations, four short contract-tests).
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
from parley_diff import Verdict, diff_documents, load_source, release_file
from parley_server.testing import build_app

from tests.harness.serving import serve

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import compat  # noqa: E402  (scripts/compat.py, not a package)

pytestmark = pytest.mark.slow  # over 10 s: left out of scripts/test --quick

GET_CONVERSATION = re.compile(r"/v1/conversation/[0-9a-f-]{36}")


class ConversationRewrite:
    """ASGI wrapper: rewrites `getConversation`'s 200 answer and every stream chunk.

    Subclasses say how in :meth:`rewrite` (the parsed JSON body -> new body and content type)
    and :meth:`stream` (one chunk of Server-Sent Events text -> its replacement).
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    def rewrite(self, body: dict[str, Any]) -> tuple[bytes, bytes]:
        return json.dumps(body).encode(), b"application/json"

    def stream(self, chunk: str) -> str:
        return chunk

    async def __call__(
        self, scope: dict[str, Any], receive: Any, send: Callable[[Any], Awaitable[None]]
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        json_get = scope["method"] == "GET" and GET_CONVERSATION.fullmatch(scope["path"])
        held: dict[str, Any] = {"start": None, "body": b"", "sse": False}

        async def patched(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                content_type = dict(message["headers"]).get(b"content-type", b"")
                held["sse"] = b"text/event-stream" in content_type
                if json_get and message["status"] == 200:
                    held["start"] = message  # sent with the rewritten body's length
                    return
            elif held["start"] is not None:
                held["body"] += message.get("body", b"")
                if message.get("more_body"):
                    return
                data, content_type = self.rewrite(json.loads(held["body"]))
                start = held["start"]
                drop = (b"content-length", b"content-type")
                headers = [(k, v) for k, v in start["headers"] if k not in drop]
                headers.append((b"content-type", content_type))
                headers.append((b"content-length", str(len(data)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": data})
                return
            elif message["type"] == "http.response.body" and held["sse"]:
                chunk = self.stream(message.get("body", b"").decode())
                message = {**message, "body": chunk.encode()}
            await send(message)

        await self.app(scope, receive, patched)


class DropTitle(ConversationRewrite):
    """`getConversation` answers without its required `title`."""

    def rewrite(self, body: dict[str, Any]) -> tuple[bytes, bytes]:
        del body["title"]
        return super().rewrite(body)


class CompatibleChanges(ConversationRewrite):
    """Sends what a newer contract that `parley diff` calls compatible allows (NEWER below).

    `getConversation` says `status: paused` and `priority`; a stream's `complete` payload says
    `role: narrator` and `mood`, and a `thinking` event follows it, numbered next (so that a
    stream resumed with `Last-Event-ID` sends the same events, as a real server would).
    """

    def rewrite(self, body: dict[str, Any]) -> tuple[bytes, bytes]:
        body["status"], body["priority"] = "paused", "high"
        return super().rewrite(body)

    def stream(self, chunk: str) -> str:
        match = re.search(r"^id: (\d+)\nevent: complete\n", chunk, flags=re.M)
        if not match:
            return chunk
        chunk = re.sub(r'"role": ?"assistant"', '"role": "narrator", "mood": "cheerful"', chunk)
        thinking = json.dumps({"summary": "pondering"})
        return f"{chunk.rstrip()}\n\nid: {int(match[1]) + 1}\nevent: thinking\ndata: {thinking}\n\n"


class AnswersXml(ConversationRewrite):
    """`getConversation` answers in `application/xml`, which NEW_MEDIA_TYPE documents."""

    def rewrite(self, body: dict[str, Any]) -> tuple[bytes, bytes]:
        fields = "".join(f"<{key}>{value}</{key}>" for key, value in body.items())
        return f"<conversation>{fields}</conversation>".encode(), b"application/xml"


def release_document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(release_file(ROOT, "latest").read_text())
    return loaded


def newer(release: dict[str, Any]) -> dict[str, Any]:
    """The release, edited to allow what CompatibleChanges sends."""
    schemas = release["components"]["schemas"]
    schemas["ConversationStatus"]["enum"].append("paused")
    schemas["Conversation"]["properties"]["priority"] = {"type": "string"}
    schemas["MessageRole"]["enum"].append("narrator")
    schemas["Message"]["properties"]["mood"] = {"type": "string"}
    thinking = {
        "type": "object",
        "required": ["event", "id", "data"],
        "properties": {
            "event": {"type": "string", "const": "thinking"},
            "id": {"$ref": "#/components/schemas/EventId"},
            "data": {
                "type": "string",
                "contentMediaType": "application/json",
                "contentSchema": {"type": "object"},
            },
        },
    }
    schemas["ThinkingEvent"] = thinking
    for union in ("ChatStreamEvent", "AgentStreamEvent"):
        schemas[union]["oneOf"].append({"$ref": "#/components/schemas/ThinkingEvent"})
        schemas[union]["discriminator"]["mapping"]["thinking"] = (
            "#/components/schemas/ThinkingEvent"
        )
    return release


def new_media_type(release: dict[str, Any]) -> dict[str, Any]:
    """The release, its `getConversation` also answering `application/xml`."""
    content = release["paths"]["/v1/conversation/{conversation_id}"]["get"]["responses"]["200"]
    content["content"]["application/xml"] = {"schema": {"type": "string"}}
    return release


def diff_checks(new: dict[str, Any], tmp_path: Path) -> dict[str, set[Verdict]]:
    """check id -> verdicts of `parley diff` from the newest release to `new`."""
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new, sort_keys=False))
    changes = diff_documents(
        load_source(str(release_file(ROOT, "latest"))),
        load_source(str(tmp_path / "new.yaml")),
        version_policy=False,
    )
    found: dict[str, set[Verdict]] = {}
    for change in changes:
        found.setdefault(change.check, set()).add(change.verdict)
    return found


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
def compatible_changes() -> Iterator[compat.Server]:
    yield from served(CompatibleChanges)


@pytest.fixture
def answers_xml() -> Iterator[compat.Server]:
    yield from served(AnswersXml)


def test_a_server_that_drops_a_required_property_fails_the_smoke(
    title_dropped: compat.Server, tmp_path: Path
) -> None:
    # The contract did not change, so the diff calls the server compatible: only running the
    # release's client shows the server broke a promise.
    assert diff_checks(release_document(), tmp_path) == {}
    result = compat.run_compat(title_dropped, parts=("smoke",))
    assert not result.ok
    assert list(result.smoke_failures) == ["getConversation"]
    assert "KeyError" in result.smoke_failures["getConversation"]
    assert "title" in result.smoke_failures["getConversation"]
    assert "getAgent" in result.smoke_passed and "streamAgentMessage" in result.smoke_passed
    lines = compat.report(result, ("smoke",))
    assert any(line.startswith("  FAILED getConversation: KeyError") for line in lines)


def test_a_server_with_changes_the_diff_calls_compatible_passes(
    compatible_changes: compat.Server, tmp_path: Path
) -> None:
    verdicts = diff_checks(newer(release_document()), tmp_path)
    assert all(Verdict.CLIENT not in found for found in verdicts.values()), verdicts
    for check in ("response-enum-value-added", "stream-event-enum-value-added"):
        assert verdicts[check] == {Verdict.COMPATIBLE}
    assert verdicts["stream-event-added"] == {Verdict.COMPATIBLE}
    assert verdicts["response-property-added"] == {Verdict.COMPATIBLE}

    operations = ("getConversation", "sendMessage")
    result = compat.run_compat(compatible_changes, operations=operations, max_examples=2)
    assert result.smoke_failures == {}  # the old client keeps "paused" as a string
    assert result.contract_exit == 0, result.contract_output
    assert result.ok
    lines = compat.report(result, ("smoke", "contract"))
    assert any("its tolerant copy" in line and line.endswith("passed") for line in lines)
    for name in ("open-response-enums", "unknown-stream-events", "new-error-statuses"):
        assert any(line.startswith(f"  tolerates {name}: ") for line in lines), lines

    # The release's own contract, strict, fails the same server on both operations.
    strict, failing, output = compat.run_contract_test(
        release_file(ROOT, "latest"), compatible_changes, max_examples=2, operations=operations
    )
    assert strict == 1, output
    assert sorted(failing) == ["getConversation", "sendMessage"]


def test_a_new_response_media_type_fails_the_run_as_the_diff_says(
    answers_xml: compat.Server, tmp_path: Path
) -> None:
    # The diff once called this compatible; this run showed the old client breaking, so the
    # diff now says so too.
    verdicts = diff_checks(new_media_type(release_document()), tmp_path)
    assert verdicts == {"response-media-type-added": {Verdict.CLIENT}}

    result = compat.run_compat(answers_xml, operations=("getConversation",), max_examples=2)
    assert list(result.smoke_failures) == ["getConversation"]  # the old client reads JSON
    assert result.contract_exit == 1, result.contract_output
    assert result.contract_failures == ["getConversation"]
    lines = compat.report(result, ("smoke", "contract"))
    assert any(line.startswith("  FAILED getConversation: ") for line in lines)
    assert "  FAILED getConversation" in lines
    assert any("a bug in the diff or in the server" in line for line in lines)


def test_an_operation_the_smoke_does_not_call_fails_unless_its_sunset_passed(
    title_dropped: compat.Server, tmp_path: Path
) -> None:
    spec = yaml.safe_load(release_file(ROOT, "latest").read_text())
    for name in ("ping", "pong"):
        spec["paths"][f"/v1/{name}"] = {
            "get": {
                "operationId": name,
                "tags": ["agents"],
                "security": [],
                "responses": {"204": {"description": "Up."}},
            }
        }
    retired = {"deprecated": True, "x-sunset": "2026-01-01"}
    spec["paths"]["/v1/pong"]["get"].update(retired)  # gone from today's server: tolerated
    # The server stopped sending `title`: tolerated once the release retired it.
    spec["components"]["schemas"]["Conversation"]["properties"]["title"].update(retired)
    (tmp_path / "releases" / "9.0.0").mkdir(parents=True)
    (tmp_path / "releases" / "9.0.0" / "openapi.yaml").write_text(yaml.safe_dump(spec))
    result = compat.run_compat(title_dropped, root=tmp_path, parts=("smoke",), today="2026-06-01")
    assert result.release == "9.0.0"
    assert list(result.smoke_failures) == ["ping"]
    assert result.smoke_failures["ping"].startswith("not called by releases/smoke.py")
    tolerated = result.smoke_tolerated
    assert tolerated["pong"].startswith("deprecated, x-sunset 2026-01-01 has passed: not called")
    assert tolerated["getConversation"].startswith("property title past x-sunset: ")
    assert "KeyError" in tolerated["getConversation"]
    lines = compat.report(result, ("smoke",))
    assert any(line.startswith("  tolerated getConversation: property title") for line in lines)
