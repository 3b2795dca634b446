"""The compatibility smoke: the newest release's generated client against today's server.

``scripts/compat.py`` runs it in a subprocess whose ``parley_client`` is the functional client
generated from ``releases/<newest>/openapi.yaml`` (not the one in ``generated/``). It calls
every operation of that release once, in an order where each call has what it needs (an agent,
a conversation, a message...), through the release client's ``sync_detailed`` functions, and
reads each answer with the release's models; a stream is read whole and each event and its
payload parsed with the release's models (an event name the release does not know is kept,
as Parley's clients do). It prints one JSON line per call: ``{"operation", "ok", "detail"}``.

When a release adds an operation, add its call here: scripts/compat.py fails, naming it, for
every operation of the newest release the smoke does not call.

Usage: ``python releases/smoke.py SPEC BASE_URL API_KEY [CLIENT_FOLDER]`` (with a folder, it
first checks that ``parley_client`` is imported from there).
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import parley_client
import yaml
from parley_client import AuthenticatedClient, models


def snake(name: str) -> str:
    """``createConversation`` -> ``create_conversation``, ``agent-conversations`` likewise."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", name)
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).strip("_").lower()


def parse_sse(text: str) -> list[dict[str, str]]:
    """The events of a Server-Sent Events body: ``{"event", "id", "data"}`` each."""
    events = []
    for block in re.split(r"\r?\n\r?\n", text):
        event: dict[str, str] = {}
        for line in block.splitlines():
            field, _, value = line.partition(":")
            if field in ("event", "id", "data"):
                value = value.removeprefix(" ")
                event[field] = f"{event[field]}\n{value}" if field in event else value
        if "data" in event:
            events.append({"event": "message", "id": "", **event})
    return events


class Smoke:
    """Calls operations of the release through its generated client; records each outcome."""

    def __init__(self, spec: dict[str, Any], base_url: str, api_key: str) -> None:
        self.spec = spec
        self.operations: dict[str, tuple[str, str, dict[str, Any]]] = {}
        for path, item in spec["paths"].items():
            for method, operation in item.items():
                if isinstance(operation, dict) and "operationId" in operation:
                    self.operations[operation["operationId"]] = (method, path, operation)
        self.client = AuthenticatedClient(
            base_url=base_url, token=api_key, prefix="", auth_header_name="X-API-Key"
        )

    def _function(self, operation_id: str) -> Callable[..., Any]:
        _, _, operation = self.operations[operation_id]
        tag = snake((operation.get("tags") or ["default"])[0])
        module = importlib.import_module(f"parley_client.api.{tag}.{snake(operation_id)}")
        function: Callable[..., Any] = module.sync_detailed
        return function

    def call(
        self, operation_id: str, *args: Any, body: dict[str, Any] | None = None, status: int = 200
    ) -> Any:
        """Calls an operation; returns the parsed answer, or None when the call failed."""
        try:
            function = self._function(operation_id)
            kwargs: dict[str, Any] = {"client": self.client}
            if body is not None:
                kwargs["body"] = _model(typing.get_type_hints(function)["body"]).from_dict(body)
            response = function(*args, **kwargs)
            if response.status_code != status:
                raise AssertionError(
                    f"status {response.status_code}, expected {status}: {response.content[:300]!r}"
                )
            parsed = response.parsed
            if status != 204 and (parsed is None or isinstance(parsed, models.Problem | str)):
                raise AssertionError(f"the answer was not read as a model: {parsed!r}")
        except Exception as exc:  # every failure is reported, naming the call
            self.report(operation_id, False, f"{type(exc).__name__}: {exc}")
            return None
        self.report(operation_id, True, f"{status}")
        return parsed if status != 204 else True

    def stream(self, operation_id: str, path: dict[str, Any], body: dict[str, Any]) -> None:
        """Streams an operation (``Accept: text/event-stream``); parses every event."""
        try:
            method, template, operation = self.operations[operation_id]
            url = template.format(**{k: str(v) for k, v in path.items()})
            headers = {"Accept": "text/event-stream"}
            with self.client.get_httpx_client().stream(
                method.upper(), url, json=body, headers=headers
            ) as response:
                text = response.read().decode()
            if response.status_code != 200:
                raise AssertionError(f"status {response.status_code}: {text[:300]!r}")
            known = self._event_models(operation)
            events = parse_sse(text)
            names = [event["event"] for event in events]
            ends = [name for name in names if name in known]  # new events may come anywhere
            if not ends or ends[-1] != "complete":
                raise AssertionError(f"the stream did not end with `complete`: {names}")
            for event in events:
                if event["event"] not in known:
                    continue  # a new event: Parley's clients surface it as unknown
                event_model, payload_model = known[event["event"]]
                getattr(models, event_model).from_dict(event)
                if payload_model:
                    getattr(models, payload_model).from_dict(json.loads(event["data"]))
        except Exception as exc:  # every failure is reported, naming the call
            self.report(operation_id, False, f"stream: {type(exc).__name__}: {exc}")
            return
        self.report(operation_id, True, f"stream: {' '.join(names)}")

    def _event_models(self, operation: dict[str, Any]) -> dict[str, tuple[str, str]]:
        """Event name -> (its model, its payload's model) from the release's stream schema."""
        response = self._deref(operation["responses"]["200"])
        found: dict[str, tuple[str, str]] = {}
        pending = [response["content"]["text/event-stream"]["schema"]]
        while pending:
            schema = pending.pop()
            name = schema["$ref"].rsplit("/", 1)[-1] if "$ref" in schema else ""
            schema = self._deref(schema)
            pending += schema.get("oneOf", []) + schema.get("anyOf", [])
            event = (schema.get("properties") or {}).get("event") or {}
            data = (schema.get("properties") or {}).get("data") or {}
            for value in event.get("enum", []):
                ref = (data.get("contentSchema") or {}).get("$ref", "")
                found[value] = (name, ref.rsplit("/", 1)[-1])
        return found

    def _deref(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            target: Any = self.spec
            for token in node["$ref"].removeprefix("#/").split("/"):
                target = target[token.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def report(self, operation_id: str, ok: bool, detail: str) -> None:
        """Prints one result line (and flushes, so a crash later loses nothing)."""
        line = {"operation": operation_id, "ok": ok, "detail": detail}
        print(json.dumps(line), flush=True)


def _model(annotation: Any) -> Any:
    """The model class of a ``body`` annotation (``X`` or ``X | Unset``)."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return next(a for a in typing.get_args(annotation) if hasattr(a, "from_dict"))
    return annotation


def run(smoke: Smoke) -> None:
    """Every operation of release 1.0.0, once."""
    call, stream = smoke.call, smoke.stream
    agent = call("createAgent", body={"name": "Compat", "description": "Answers"}, status=201)
    call("listAgents")
    agent_id = getattr(agent, "id", "missing")
    call("getAgent", agent_id)
    conversation = call(
        "createConversation", body={"agent_id": str(agent_id), "title": "compat"}, status=201
    )
    conversation_id = getattr(conversation, "id", "missing")
    call("listConversations")
    call("listConversationsForEntity")
    call("getConversation", conversation_id)
    call("updateConversation", conversation_id, body={"title": "compat, renamed"})
    chat = call("sendMessage", conversation_id, body={"message": "Hello"})
    stream("sendMessage", {"conversation_id": conversation_id}, {"message": "Stream it"})
    call("listConversationMessages", conversation_id)
    reply_id = getattr(getattr(chat, "message", None), "id", "missing")
    question_id = getattr(getattr(chat, "user_message", None), "id", "missing")
    call("rateMessage", reply_id, body={"rating": 5, "feedback": "good"})
    call("getConversationAnalytics", conversation_id)
    call("deleteMessage", question_id, status=204)
    call("listDeletedMessages")
    call("restoreMessage", question_id)
    call("deleteConversationMessages", conversation_id)
    call("restoreAllMessages", conversation_id)
    call("endConversation", conversation_id, body={"rating": 4, "feedback": "fine"})
    call("deleteConversation", conversation_id, status=204)
    call("listDeletedConversations")
    call("restoreConversation", conversation_id)

    answer = call("qaChat", body={"question": "What is Parley?"})
    qa_id = getattr(answer, "conversation_id", "missing")
    call("listQaConversations")
    call("getQaConversation", qa_id)
    call("deleteQaConversation", qa_id)

    key = str(agent_id)
    created = call("createAgentConversation", key, body={"query": "Hello agent"}, status=201)
    agent_conversation_id = getattr(created, "id", "missing")
    call("listAgentConversations", key)
    call("getAgentConversation", key, agent_conversation_id)
    added = call("addAgentMessage", key, agent_conversation_id, body={"query": "And then?"})
    replies = [
        m.id
        for m in getattr(added, "messages", [])
        if str(getattr(m, "message_type", "")) == "bot_response"
    ]
    call("regenerateAgentAnswer", key, agent_conversation_id, replies[-1] if replies else "none")
    path = {"agentKey": key, "conversationId": agent_conversation_id}
    stream("streamAgentMessage", path, {"query": "Stream it"})
    stream("streamAgentConversation", {"agentKey": key}, {"query": "A streamed start"})
    call("deleteAgentConversation", key, agent_conversation_id, status=204)


def main(argv: list[str]) -> None:
    """``SPEC BASE_URL API_KEY [CLIENT_FOLDER]``: runs the smoke, one JSON line per call."""
    spec_path, base_url, api_key, *folder = argv
    origin = Path(parley_client.__file__).resolve()
    if folder and not origin.is_relative_to(Path(folder[0]).resolve()):
        sys.exit(f"parley_client comes from {origin}, not from the release's {folder[0]}")
    spec = yaml.safe_load(Path(spec_path).read_text(encoding="utf-8"))
    run(Smoke(spec, base_url, api_key))


if __name__ == "__main__":
    main(sys.argv[1:])
