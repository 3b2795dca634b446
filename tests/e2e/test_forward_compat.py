"""Today's client keeps working against a server that gained compatible changes.

A client is generated from today's ``openapi.yaml`` into a temporary folder (with
``scripts/regenerate DIR``, the same pipeline as ``generated/``) and run, in a subprocess
whose ``parley_client`` is that fresh one, against the reference server wrapped in
:class:`CompatPatch`, which sends what a newer contract could: a new ``status`` value and a
new property in ``getConversation``, a new ``role`` value and property in the stream's
``complete`` payload, and a new ``thinking`` stream event. The calls must not raise and must
show the new values. The same script against a client generated without Parley's model
template override fails, which proves the patch exercises the forward-compatibility rules.
About 15 s (two generator runs and two subprocesses).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from parley_server.testing import InProcessApp, build_app

from tests.generation import generate_client
from tests.harness.serving import serve

pytestmark = pytest.mark.tools  # scripts/regenerate, twice
ROOT = Path(__file__).resolve().parents[2]
GET_CONVERSATION = re.compile(r"/v1/conversation/[0-9a-f-]{36}")
OVERLAY_NEEDS = ("endpoint_module.py.jinja", "types.py.jinja")

SCRIPT = r"""
import json, sys
import parley_client
from parley import Parley, StreamUnknownEvent
from parley_client import AuthenticatedClient
from parley_client.api.conversations import get_conversation

url, key, folder = sys.argv[1:4]
assert parley_client.__file__.startswith(folder), parley_client.__file__
with Parley(url, api_key=key, max_retries=0) as client:
    agent = client.agents.create("Helper", "Answers")
    created = client.conversations.create_conversation(agent.id, title="compat")
    got = client.conversations.get_conversation(created.id)
    raw = AuthenticatedClient(base_url=url, token=key, prefix="", auth_header_name="X-API-Key")
    functional = get_conversation.sync(created.id, client=raw)
    with client.messages.send_message_stream(created.id, "Hello") as stream:
        events = list(stream)
        final = stream.final_message()
unknown = [e for e in events if isinstance(e, StreamUnknownEvent)]
print(json.dumps({
    "status": got.status, "status_type": type(got.status).__name__,
    "priority": got["priority"],
    "functional_status": functional.status,
    "events": [e.event for e in events],
    "unknown": [[e.event, e.json()] for e in unknown],
    "role": final.role, "mood": final["mood"],
}))
"""


class CompatPatch:
    """ASGI wrapper: rewrites the reference server's answers as a newer server would send."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        json_get = scope["method"] == "GET" and GET_CONVERSATION.fullmatch(scope["path"])
        state: dict[str, Any] = {"sse": False, "start": None, "body": b"", "offset": 0}

        async def patched(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                content_type = dict(message["headers"]).get(b"content-type", b"")
                state["sse"] = b"text/event-stream" in content_type
                if json_get and message["status"] == 200:
                    state["start"] = message  # sent with the rewritten body's length
                    return
            elif message["type"] == "http.response.body" and state["start"] is not None:
                state["body"] += message.get("body", b"")
                if message.get("more_body"):
                    return
                body = json.loads(state["body"])
                body["status"], body["priority"] = "paused", "high"
                data = json.dumps(body).encode()
                start = state["start"]
                headers = [(k, v) for k, v in start["headers"] if k != b"content-length"]
                headers.append((b"content-length", str(len(data)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": data})
                return
            elif message["type"] == "http.response.body" and state["sse"]:
                message = {**message, "body": self._stream(message.get("body", b""), state)}
            await send(message)

        await self.app(scope, receive, patched)

    @staticmethod
    def _stream(chunk: bytes, state: dict[str, Any]) -> bytes:
        """Adds a ``thinking`` event after ``start``; ids after it move up by one."""
        text = chunk.decode()
        text = re.sub(
            r"^id: (\d+)$", lambda m: f"id: {int(m[1]) + state['offset']}", text, flags=re.M
        )
        if "event: complete" in text:
            text = text.replace('"role": "assistant"', '"role": "narrator", "mood": "cheerful"')
            text = text.replace('"role":"assistant"', '"role":"narrator","mood":"cheerful"')
        match = re.search(r"^id: (\d+)\nevent: start\n", text, flags=re.M)
        if match:
            state["offset"] = 1
            thinking = json.dumps({"summary": "pondering"})
            text += f"id: {int(match[1]) + 1}\nevent: thinking\ndata: {thinking}\n\n"
        return text.encode()


@pytest.fixture(scope="module")
def patched_server() -> Iterator[tuple[str, InProcessApp]]:
    built = build_app(":memory:")
    with serve(CompatPatch(built.app)) as url:
        yield url, built


def _generate(folder: Path, *, templates: bool) -> None:
    if templates:
        command = [str(ROOT / "scripts" / "regenerate"), str(folder)]
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=180)
    else:  # the overlays need the endpoint overrides (request_kwargs, parse_response)
        generate_client(folder / "parley_client", templates=OVERLAY_NEEDS)


def _run(folder: Path, url: str, key: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, url, key, str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_generated_client_survives_compatible_changes(
    patched_server: tuple[str, InProcessApp], tmp_path: Path
) -> None:
    url, built = patched_server
    _generate(tmp_path, templates=True)
    result = _run(tmp_path, url, built.tenant.write_key)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["status"] == "paused" and seen["status_type"] == "str"
    assert seen["functional_status"] == "paused"
    assert seen["priority"] == "high"
    assert seen["events"][:2] == ["start", "thinking"] and seen["events"][-1] == "complete"
    assert seen["unknown"] == [["thinking", {"summary": "pondering"}]]
    assert seen["role"] == "narrator" and seen["mood"] == "cheerful"


def test_a_client_without_the_model_template_override_fails_on_the_same_server(
    patched_server: tuple[str, InProcessApp], tmp_path: Path
) -> None:
    url, built = patched_server
    _generate(tmp_path, templates=False)
    result = _run(tmp_path, url, built.tenant.write_key)
    assert result.returncode != 0
    assert "'paused' is not a valid ConversationStatus" in result.stderr, result.stderr
