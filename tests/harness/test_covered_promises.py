"""The promises the extra checks judge appear in the report, and formats are asserted.

`covered_results` derives a row per operation and kind (scope, tenancy, idempotency, stream,
pagination, format) from the document and takes its verdict from the run's outcomes;
`response_formats` validates the formats of the bodies parley's own clients read.
"""

from __future__ import annotations

import json
import uuid

import httpx
from parley_contract.checks import ApiClient
from parley_contract.checks.formats import response_formats
from parley_contract.checks.pagination import paginated
from parley_contract.promises import (
    COVERED_KINDS,
    Credentials,
    PromisesReport,
    covered_results,
    render_promises,
    unchecked_results,
)
from parley_contract.results import CheckOutcome
from parley_spec import load_contract

BASE = "http://127.0.0.1:9"
AGENT = {
    "id": str(uuid.uuid4()),
    "name": "Support",
    "description": "Answers questions",
    "created_at": "2026-12-05T18:00:00Z",
}


def rows(outcomes: list[CheckOutcome], *, read_only: bool, other: bool) -> dict[str, str]:
    contract = load_contract()
    results = covered_results(
        contract, contract.operations, outcomes, Credentials(read_only, other)
    )
    return {
        f"{r.promise.operation_id} {r.promise.kind}": f"{r.status}: {r.detail}" for r in results
    }


def test_rows_are_derived_from_the_document_for_every_kind() -> None:
    spec = load_contract()
    found = rows([], read_only=True, other=True)
    kinds = {key.split()[1] for key in found}
    assert kinds == set(COVERED_KINDS)
    assert {k.split()[0] for k in found if k.endswith(" idempotency")} == {
        op.operation_id for op in spec.operations if op.takes_idempotency_key
    }
    assert {k.split()[0] for k in found if k.endswith(" stream")} == {
        op.operation_id for op in spec.operations if op.streams
    }
    pages = {op.operation_id for op in spec.operations if paginated(op)}
    assert len(pages) == 6
    assert {k.split()[0] for k in found if k.endswith(" pagination")} == pages
    assert len(found) == len(set(found)), "one row per operation and kind"


def test_verdicts_come_from_the_outcomes_and_missing_keys_are_the_reason() -> None:
    spec = load_contract()
    create, get = spec.by_id("createAgent"), spec.by_id("getAgent")
    outcomes = [
        CheckOutcome(create.label, "write_scope_required", False, "a read-only key got 201", "c"),
        CheckOutcome(get.label, "response_format", True),
        CheckOutcome(create.label, "idempotent_replay", True),
        CheckOutcome(create.label, "idempotency_key_reuse", True),
    ]
    found = rows(outcomes, read_only=True, other=False)
    assert found["createAgent scope"] == "failed: write_scope_required: a read-only key got 201"
    assert found["createAgent idempotency"] == "passed: "
    assert found["getAgent format"] == "passed: "
    assert found["getAgent tenancy"] == "not exercised: no --other-tenant-api-key was given"
    assert found["getAgent scope"].startswith("not exercised: no outcome of read_scope_allowed")
    no_reader = rows([], read_only=False, other=True)
    assert no_reader["createAgent scope"] == "not exercised: no --read-only-api-key was given"


def recorded(*responses: tuple[str, str, int, str, bytes]) -> ApiClient:
    """A client whose log holds these (method, path, status, content type, body) answers."""
    client = ApiClient(BASE, None)
    for method, path, status, media, body in responses:
        request = httpx.Request(method, BASE + path)
        headers = {"content-type": media}
        client.responses.append(
            httpx.Response(status, headers=headers, content=body, request=request)
        )
    return client


def test_response_formats_reports_only_format_errors_with_the_request() -> None:
    spec = load_contract()
    good = json.dumps(AGENT).encode()
    bad = json.dumps({**AGENT, "created_at": "05/12/2026 18:00"}).encode()
    wrong_type = json.dumps({**AGENT, "name": 3}).encode()  # the schema checks judge it
    client = recorded(
        ("GET", f"/v1/agent/{AGENT['id']}", 200, "application/json", good),
        ("GET", f"/v1/agent/{AGENT['id']}", 200, "application/json", bad),
        ("GET", f"/v1/agent/{AGENT['id']}", 200, "application/json", wrong_type),
        ("POST", "/v1/agent", 201, "application/json", wrong_type),
    )
    try:
        outcomes = {o.label: o for o in response_formats(spec, spec.operations, [client])}
    finally:
        client.close()
    failed = outcomes[spec.by_id("getAgent").label]
    assert not failed.passed
    assert 'created_at: "05/12/2026 18:00" is not a "date-time"' in failed.message
    assert failed.curl.startswith("curl -X GET") and AGENT["id"] in failed.curl
    assert outcomes[spec.by_id("createAgent").label].passed
    assert set(outcomes) == {spec.by_id("getAgent").label, spec.by_id("createAgent").label}


def test_response_formats_reads_stream_event_payloads() -> None:
    spec = load_contract()
    stream = spec.by_id("sendMessage")
    path = stream.fill_path({"conversation_id": uuid.uuid4()})
    start = {
        "conversation_id": "not-a-uuid",
        "user_message_id": str(uuid.uuid4()),
        "message_id": str(uuid.uuid4()),
    }
    events = f"id: 1\nevent: start\ndata: {json.dumps(start)}\n\n".encode()
    client = recorded(("POST", path, stream.success_status, "text/event-stream", events))
    try:
        (outcome,) = response_formats(spec, [stream], [client])
    finally:
        client.close()
    assert not outcome.passed
    assert "stream event 1" in outcome.message and '"uuid"' in outcome.message


def test_unchecked_prose_is_listed_apart_with_its_reason() -> None:
    spec = load_contract()
    entries = spec.document["x-parley-unchecked"]
    everywhere = [e for e in entries if not e.get("operations")]
    only_list = unchecked_results(spec, [spec.by_id("listAgents")])
    assert [r.promise.name for r in only_list] == [e["promise"] for e in everywhere]
    assert all(r.status == "not exercised" and r.detail for r in only_list)
    send = unchecked_results(spec, [spec.by_id("sendMessage")])
    for_send = [e for e in entries if "sendMessage" in e.get("operations", ["sendMessage"])]
    assert len(send) == len(for_send)
    text = render_promises(PromisesReport(unjudgeable=send))
    assert f"{len(for_send)} more, of the prose, no check can judge" in text
    assert "  sendMessage: the agent is given at most max_context_length" in text
    assert "0 promises: 0 passed, 0 failed, 0 not exercised" in text
