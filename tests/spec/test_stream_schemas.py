"""The streaming part of the contract, modelled so other OpenAPI tools read it too.

Rules under test (see the spec's description and CONTRIBUTING.md): each `text/event-stream`
response's schema is `oneOf` the parsed event union and `RawEventStream`; each union has a
`discriminator` on `event`; each event names itself with `enum` and `const`; `data` is JSON text
with `contentMediaType` + `contentSchema` naming a component; each example is a real stream.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from parley_server.spec import compile_contract

SSE_OPERATIONS = {"sendMessage", "streamAgentConversation", "streamAgentMessage"}


def schema_name(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def model(name: str) -> Any:
    return getattr(importlib.import_module("parley_client.models"), name)


def parse_sse(text: str) -> list[dict[str, str]]:
    """Splits Server-Sent Events text into ``{id, event, data}`` dicts (one `data:` line each)."""
    assert text.endswith("\n\n"), "the last event must end with a blank line"
    events = []
    for block in text.strip("\n").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        assert set(fields) == {"id", "event", "data"}, block
        events.append(fields)
    return events


def sse_media(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for item in spec["paths"].values():
        for method, op in item.items():
            if method not in ("get", "put", "post", "patch", "delete"):
                continue
            media = op["responses"].get("200", {}).get("content", {}).get("text/event-stream")
            if media is not None:
                yield op["operationId"], media


def event_union(spec: dict[str, Any], media: dict[str, Any]) -> str:
    """The parsed-event union behind a stream's schema (`oneOf: [union, RawEventStream]`)."""
    wrapper = spec["components"]["schemas"][schema_name(media["schema"])]
    union, raw = (schema_name(branch) for branch in wrapper["oneOf"])
    assert raw == "RawEventStream"
    assert spec["components"]["schemas"][raw]["type"] == "string"
    return union


def test_exactly_the_three_streaming_operations_stream(spec: dict[str, Any]) -> None:
    assert {op_id for op_id, _ in sse_media(spec)} == SSE_OPERATIONS


@pytest.mark.parametrize("union", ["ChatStreamEvent", "AgentStreamEvent"])
def test_each_event_union_has_a_discriminator_matching_enum_and_const(
    spec: dict[str, Any], union: str
) -> None:
    schemas = spec["components"]["schemas"]
    variants = {schema_name(v) for v in schemas[union]["oneOf"]}
    discriminator = schemas[union]["discriminator"]
    assert discriminator["propertyName"] == "event"
    mapping = {name: ref.rsplit("/", 1)[-1] for name, ref in discriminator["mapping"].items()}
    assert set(mapping) == {"start", "delta", "complete", "error"}
    assert set(mapping.values()) == variants
    for name, variant in mapping.items():
        event = schemas[variant]["properties"]["event"]
        assert event == {"type": "string", "enum": [name], "const": name}, variant
        data = schemas[variant]["properties"]["data"]
        assert data["type"] == "string"
        assert data["contentMediaType"] == "application/json"
        assert schema_name(data["contentSchema"]) in schemas


def test_every_stream_example_is_a_real_stream_of_valid_events(spec: dict[str, Any]) -> None:
    contract = compile_contract()
    schemas = spec["components"]["schemas"]
    checked = 0
    for operation_id, media in sse_media(spec):
        example = media["example"]
        assert isinstance(example, str), f"{operation_id}: the example must be the stream's text"
        events = parse_sse(example)
        assert [e["id"] for e in events] == [str(i) for i in range(1, len(events) + 1)]
        assert [e["event"] for e in events] == ["start"] + ["delta"] * (len(events) - 2) + [
            "complete"
        ], operation_id
        stream_validator = contract.compile(media["schema"])
        union = event_union(spec, media)
        mapping = schemas[union]["discriminator"]["mapping"]
        payloads = []
        for event in events:
            assert stream_validator.is_valid(event), (operation_id, event)
            variant = mapping[event["event"]].rsplit("/", 1)[-1]
            assert model(variant).from_dict(event).to_dict() == event
            content_schema = schemas[variant]["properties"]["data"]["contentSchema"]
            payload = json.loads(event["data"])
            assert contract.compile(content_schema).is_valid(payload), (operation_id, event)
            assert model(schema_name(content_schema)).from_dict(payload).to_dict() == payload
            payloads.append(payload)
        text = "".join(p["content"] for p in payloads[1:-1])
        final = payloads[-1]
        final_text = final["messages"][-1]["content"] if "messages" in final else final["content"]
        assert text == final_text, f"{operation_id}: the deltas add up to the completed text"
        checked += 1
    assert checked == len(SSE_OPERATIONS)


def test_an_event_under_the_wrong_name_is_rejected(spec: dict[str, Any]) -> None:
    contract = compile_contract()
    (media,) = [m for op_id, m in sse_media(spec) if op_id == "sendMessage"]
    validator = contract.compile(media["schema"])
    delta = {"id": "2", "event": "delta", "data": '{"content": "Hi", "index": 0}'}
    assert validator.is_valid(delta)
    assert not validator.is_valid({**delta, "event": "message"})
    assert not validator.is_valid({**delta, "id": "0"})
    with pytest.raises(ValueError):
        model("DeltaEvent").from_dict({**delta, "event": "complete"})


def test_every_named_schema_is_reachable_from_an_operation(spec: dict[str, Any]) -> None:
    """Following every `$ref` (`contentSchema` included) from the paths reaches each schema."""
    seen: set[str] = set()
    pending: list[Any] = [spec["paths"]]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/") and ref not in seen:
                seen.add(ref)
                target: Any = spec
                for part in ref.removeprefix("#/").split("/"):
                    target = target[part]
                pending.append(target)
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    named = {f"#/components/schemas/{name}" for name in spec["components"]["schemas"]}
    assert named - seen == set()
