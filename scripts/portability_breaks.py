"""Copies of the contract broken on purpose: one per tool, each a defect that tool must report."""

from __future__ import annotations

from typing import Any


def break_for_redocly(document: dict[str, Any]) -> None:
    """Two operations with one operationId (rule operation-operationId-unique)."""
    document["paths"]["/v1/agent"]["get"]["operationId"] = "createAgent"


def break_for_openapi_generator(document: dict[str, Any]) -> None:
    """A link whose requestBody is an object with expressions inside (not one expression)."""
    links = document["paths"]["/v1/agent"]["post"]["responses"]["201"]["links"]
    links["CreateConversationWithAgent"] = {
        "operationId": "createConversation",
        "requestBody": {"agent_id": "$response.body#/id"},
    }


def break_for_typescript(document: dict[str, Any]) -> None:
    """`Conversation.title` becomes a number, which consumer.ts reads as a string."""
    document["components"]["schemas"]["Conversation"]["properties"]["title"] = {"type": "integer"}


def break_for_prism(document: dict[str, Any]) -> None:
    """The sendMessage stream example becomes an object again (Prism cannot send it as text)."""
    op = document["paths"]["/v1/conversation/{conversation_id}/chat"]["post"]
    op["responses"]["200"]["content"]["text/event-stream"]["example"] = {
        "event": "delta",
        "id": "2",
        "data": '{"content": "The enterprise plan", "index": 0}',
    }


def break_for_datamodel_codegen(document: dict[str, Any]) -> None:
    """`delta` events name themselves `start`: two stream event classes claim one name."""
    delta = document["components"]["schemas"]["DeltaEvent"]["properties"]["event"]
    delta.update({"enum": ["start"], "const": "start"})


def break_for_prism_proxy(document: dict[str, Any]) -> None:
    """`Agent.name` becomes a number, which the reference server's answers contradict."""
    document["components"]["schemas"]["Agent"]["properties"]["name"] = {"type": "integer"}
