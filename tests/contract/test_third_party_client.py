"""A client made by another generator works against the reference server unchanged.

openapi-generator 7.26 (the jar bundled by the `openapi-generator-cli` PyPI package, run on
Java) writes its `python` client for openapi.yaml into a temporary folder: nothing of it is
committed. Against the reference server it creates an agent and a conversation, lists and gets
conversations, sends a message (JSON), asks the Q&A API and starts an agent conversation; it
reads each stream operation's Server-Sent Events and parses every event into its own class
through the event union. Skipped without Java, except under CI=true. About 40 s, most of it the
generator's JVM.

The generator prints two warnings we accept and explain here: OpenAPI 3.1 support "is still in
beta" (a fixed notice for every 3.1 document), and "Failed to get the schema name: null" while
it walks free-form objects such as `Metadata` (a log line of its own walker; the models it
writes for them work, as this test shows).
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from parley_server.testing import EmbeddedServer, start_server

from tests.ci import tool_missing

pytestmark = pytest.mark.tools  # openapi-generator (Java)

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "parley_oag"


def parse_sse(text: str) -> list[dict[str, str]]:
    events = []
    for block in text.strip("\n").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append(fields)
    return events


@pytest.fixture(scope="module")
def oag(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    if shutil.which("java") is None:
        tool_missing("Java is not installed: the openapi-generator round trip needs it")
    out = tmp_path_factory.mktemp("openapi-generator-python")
    generator = Path(sys.executable).parent / "openapi-generator-cli"
    command = [str(generator), "generate", "-i", str(ROOT / "openapi.yaml"), "-g", "python"]
    command += ["-o", str(out), "--package-name", PACKAGE]
    command += [
        "--global-property",
        "apiTests=false,modelTests=false,apiDocs=false,modelDocs=false",
    ]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SCARF_ANALYTICS": "false", "DO_NOT_TRACK": "1"},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    warnings = {line.split(" - ", 1)[-1] for line in done.stdout.splitlines() if " WARN " in line}
    assert all("3.1 support is still in beta" in w or "schema name: null" in w for w in warnings), (
        warnings
    )
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with start_server() as running:
        yield running


@pytest.fixture
def api(oag: ModuleType, server: EmbeddedServer) -> Iterator[Any]:
    configuration = oag.Configuration(
        host=server.base_url, api_key={"ApiKeyAuth": server.tenant.write_key}
    )
    with oag.ApiClient(configuration) as client:
        yield client


def test_json_operations_round_trip(oag: ModuleType, api: Any) -> None:
    agent = oag.AgentsApi(api).create_agent(oag.CreateAgentRequest(name="Third-party client"))
    conversations = oag.ConversationsApi(api)
    # max_context_length left out: optional in the request, the server applies its default.
    created = conversations.create_conversation(
        oag.CreateConversationRequest(agent_id=agent.id, title="From openapi-generator")
    )
    assert isinstance(created, oag.Conversation) and created.max_context_length == 20
    page = conversations.list_conversations(agent_id=agent.id, per_page=10)
    assert [c.id for c in page.items] == [created.id] and page.total == 1
    reply = oag.MessagesApi(api).send_message(
        created.id, oag.SendMessageRequest(message="Hello there")
    )
    assert isinstance(reply, oag.ChatResponse)
    assert reply.user_message.content == "Hello there" and reply.message.role.value == "assistant"
    fetched = conversations.get_conversation(created.id)
    assert fetched.id == created.id and fetched.message_count == 2
    qa = oag.QaApi(api).qa_chat(oag.QaChatRequest(question="What drove Q4 revenue?"))
    assert isinstance(qa, oag.QaChatResponse) and qa.message.answer
    convo = oag.AgentConversationsApi(api).create_agent_conversation(
        str(agent.id), oag.CreateAgentConversationRequest(query="Q4 findings?")
    )
    assert isinstance(convo, oag.AgentConversation)
    assert [m.message_type.value for m in convo.messages] == ["user_query", "bot_response"]


def stream_events(response: Any) -> list[dict[str, str]]:
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    return parse_sse(response.data.decode())


def test_each_stream_event_parses_into_its_own_class(oag: ModuleType, api: Any) -> None:
    agent = oag.AgentsApi(api).create_agent(oag.CreateAgentRequest(name="Streams"))
    conversation = oag.ConversationsApi(api).create_conversation(
        oag.CreateConversationRequest(agent_id=agent.id)
    )
    accept = {"Accept": "text/event-stream"}
    chat = stream_events(
        oag.MessagesApi(api).send_message_without_preload_content(
            conversation.id, oag.SendMessageRequest(message="Stream it"), _headers=accept
        )
    )
    agents = oag.AgentConversationsApi(api)
    first = stream_events(
        agents.stream_agent_conversation_without_preload_content(
            str(agent.id), oag.CreateAgentConversationRequest(query="Stream it")
        )
    )
    conversation_id = oag.AgentStreamStart.from_json(first[0]["data"]).conversation_id
    follow_up = stream_events(
        agents.stream_agent_message_without_preload_content(
            str(agent.id), conversation_id, oag.AddAgentMessageRequest(query="And then?")
        )
    )
    chat_classes = {
        "start": (oag.ChatStartEvent, oag.ChatStreamStart),
        "delta": (oag.DeltaEvent, oag.StreamDelta),
        "complete": (oag.ChatCompleteEvent, oag.Message),
    }
    agent_classes = {
        "start": (oag.AgentStartEvent, oag.AgentStreamStart),
        "delta": (oag.DeltaEvent, oag.StreamDelta),
        "complete": (oag.AgentCompleteEvent, oag.AgentConversation),
    }
    for union, events, classes in [
        (oag.ChatStreamEvent, chat, chat_classes),
        (oag.AgentStreamEvent, first, agent_classes),
        (oag.AgentStreamEvent, follow_up, agent_classes),
    ]:
        assert {e["event"] for e in events} == set(classes)
        for event in events:
            parsed = union.from_dict(event).actual_instance
            event_class, payload_class = classes[event["event"]]
            assert type(parsed) is event_class, event
            assert parsed.event == event["event"] and parsed.id == event["id"]
            assert isinstance(payload_class.from_json(parsed.data), payload_class)

    # The fourth event name, `error`, carries a Problem; no stream of the server fails on cue.
    problem = '{"type": "about:blank", "title": "Responder failed", "status": 502}'
    error = {"id": "3", "event": "error", "data": problem}
    for union in (oag.ChatStreamEvent, oag.AgentStreamEvent):
        parsed = union.from_dict(error).actual_instance
        assert type(parsed) is oag.ErrorEvent
        assert oag.Problem.from_json(parsed.data).status == 502
    # The event name is checked: a delta cannot pass as another event.
    with pytest.raises(ValueError):
        oag.DeltaEvent.from_dict({**chat[1], "event": "complete"})
    with pytest.raises(ValueError):
        oag.ChatStreamEvent.from_dict({**chat[1], "event": "message"})
