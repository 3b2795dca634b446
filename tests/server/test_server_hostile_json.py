"""Numbers and nesting that JSON answers could not carry: a 400 naming the field, on every body.

Python reads ``1e999`` as ``inf``; stored in a conversation's metadata it made every later read
of that conversation (and its lists) a 500. Every operation taking a JSON body is probed.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from conftest import Api
from parley_server.jsonbody import MAX_DEPTH
from parley_server.spec import compile_contract

VALIDATION = "https://parley.dev/problems/validation"
BIG_INT = "1" + "0" * 400  # about 1e400: beyond the float range
HOSTILE = {
    "1e999": ("1e999", "outside the range of a 64-bit float"),
    "-1e999": ("-1e999", "outside the range of a 64-bit float"),
    "1e-999": ("1e-999", "too small for a 64-bit float"),
    "big-int": (BIG_INT, "outside the range of a 64-bit float"),
    "negative-big-int": ("-" + "9" * 5000, "outside the range of a 64-bit float"),
    "deep-nesting": ("[" * 100 + "]" * 100, f"deeper than {MAX_DEPTH} levels"),
    "very-deep-nesting": ("[" * 100_000 + "]" * 100_000, f"deeper than {MAX_DEPTH} levels"),
}


def _body_operations() -> list[Any]:
    contract = compile_contract()
    return sorted(
        (op for op in contract.operations.values() if op.body_validator is not None),
        key=lambda op: op.operation_id,
    )


def _example(op_id: str, spec: dict[str, Any]) -> dict[str, Any]:
    for item in spec["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == op_id:
                media = operation["requestBody"]["content"]["application/json"]
                if "example" in media:
                    return dict(media["example"])
                return dict(next(iter(media["examples"].values()))["value"])
    raise LookupError(op_id)


def _raw_body(example: dict[str, Any], literal: str) -> tuple[str, str]:
    """Returns the example body with one field replaced by ``literal``, and that field's pointer.

    The free-form ``metadata`` object is the target when the operation has one.
    """
    marker = "__HOSTILE__"
    body = dict(example)
    if "metadata" in body:
        body["metadata"] = {"x": marker}
        pointer = "/metadata/x"
    else:
        field = next(iter(body))
        body[field] = marker
        pointer = f"/{field}"
    return json.dumps(body).replace(f'"{marker}"', literal), pointer


@pytest.mark.parametrize("op", _body_operations(), ids=lambda op: op.operation_id)
def test_unfit_numbers_and_nesting_are_a_400_naming_the_field(
    api: Api, spec: dict[str, Any], op: Any
) -> None:
    path = op.path
    for name in ("conversation_id", "message_id", "agentKey", "conversationId", "messageId"):
        path = path.replace("{" + name + "}", str(uuid.uuid4()))
    example = _example(op.operation_id, spec)
    for case, (literal, reason) in HOSTILE.items():
        raw, pointer = _raw_body(example, literal)
        r = api.client.request(
            op.method,
            path,
            content=raw,
            headers={**api.write, "Content-Type": "application/json"},
        )
        assert r.status_code == 400, (case, r.status_code, r.text[:300])
        problem = r.json()
        assert problem["type"] == VALIDATION
        named = [e for e in problem["errors"] if e["pointer"].startswith(pointer)]
        if case == "very-deep-nesting":  # the parser gives up before reaching the field
            named = [e for e in problem["errors"] if e["pointer"] == ""]
        assert named, (case, problem)
        assert reason in named[0]["detail"], (case, named)
        assert len(r.content) < 2000, (case, len(r.content))


def test_a_refused_number_leaves_the_lists_readable(api: Api) -> None:
    agent = api.agent()
    raw = json.dumps({"agent_id": agent, "metadata": {"x": "X"}}).replace('"X"', "1e999")
    headers = {**api.write, "Content-Type": "application/json", "Idempotency-Key": "k-1e999"}
    first = api.client.post("/v1/conversation", content=raw, headers=headers)
    again = api.client.post("/v1/conversation", content=raw, headers=headers)
    assert first.status_code == again.status_code == 400
    assert first.json()["errors"][0]["pointer"] == "/metadata/x"
    assert "1e999 is outside the range" in first.json()["errors"][0]["detail"]
    listed = api.client.get("/v1/conversation", headers=api.read)
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"] == []


def test_numbers_that_fit_a_float_are_stored_and_answered_exactly(api: Api) -> None:
    """Accepted: the largest and smallest floats, long integers in range, zero written oddly."""
    literals = {
        "max": "1.7976931348623157e308",
        "min-subnormal": "5e-324",
        "long-int": "9" * 300,
        "neg-long-int": "-" + "9" * 300,
        "zero-exp": "0e5",
        "neg-zero": "-0.0",
        "nested": "[" * (MAX_DEPTH - 2) + "1" + "]" * (MAX_DEPTH - 2),
    }
    metadata = ", ".join(f'"{k}": {v}' for k, v in literals.items())
    raw = json.dumps({"agent_id": api.agent(), "metadata": "M"})
    raw = raw.replace('"M"', "{" + metadata + "}")
    r = api.client.post(
        "/v1/conversation", content=raw, headers={**api.write, "Content-Type": "application/json"}
    )
    assert r.status_code == 201, r.text[:500]
    got = api.client.get(f"/v1/conversation/{r.json()['id']}", headers=api.read)
    assert got.status_code == 200
    stored = got.json()["metadata"]
    assert stored == json.loads("{" + metadata + "}")
    assert stored["long-int"] == int("9" * 300)


def test_echoed_values_are_cut_to_100_characters(api: Api) -> None:
    """A 900,000-character message and a 100 KB Idempotency-Key get small 400s (was 900 KB)."""
    cid = api.conversation()["id"]
    r = api.client.post(
        f"/v1/conversation/{cid}/chat", json={"message": "x" * 900_000}, headers=api.write
    )
    assert r.status_code == 400
    assert len(r.content) < 1_000, len(r.content)
    error = r.json()["errors"][0]
    assert error["pointer"] == "/message"
    assert error["detail"] == '"' + "x" * 100 + '…" is longer than 32000 characters'
    key = "k" * 100_000
    r = api.client.post(
        "/v1/conversation",
        json={"agent_id": api.agent()},
        headers={**api.write, "Idempotency-Key": key},
    )
    assert r.status_code == 400
    assert len(r.content) < 1_000, len(r.content)
    assert r.json()["errors"][0]["pointer"] == "header:Idempotency-Key"
    assert "k" * 100 + "…" in r.json()["errors"][0]["detail"]


def test_a_long_unknown_key_is_cut_in_the_pointer_and_detail(api: Api) -> None:
    r = api.client.post("/v1/agent", json={"name": "a", "z" * 50_000: 1}, headers=api.write)
    assert r.status_code == 400
    assert len(r.content) < 2_000, len(r.content)
    assert "was unexpected" in r.json()["errors"][0]["detail"]


def test_a_body_of_whitespace_is_not_json_even_where_a_body_is_optional(api: Api) -> None:
    """endConversation takes an optional body: none is fine, whitespace alone is a 400."""
    conversation = api.conversation()
    path = f"/v1/conversation/{conversation['id']}/end"
    headers = {**api.write, "Content-Type": "application/json"}
    refused = api.client.post(path, content=b"\r\n\r\n", headers=headers)
    assert refused.status_code == 400, refused.text
    assert (
        api.client.get(f"/v1/conversation/{conversation['id']}", headers=api.read).json()["status"]
        == "active"
    )
    ended = api.client.post(path, content=b"", headers=headers)
    assert ended.status_code == 200, ended.text
