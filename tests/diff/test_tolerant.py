"""The tolerant copy of a release (``parley_diff.tolerant``) against the diff's verdicts.

Each tolerance names the ``parley diff`` checks it mirrors; every one of them must be a check
the diff itself calls compatible, on a labelled case of cases.yaml (the verdict is read from
:func:`diff_documents`, not from the case's label). Then the copy of the real release is
checked to accept exactly those additions: a new response enum value, an unknown stream event
(also through the harness's stream checks) and a new error status, while request schemas, a
closed response schema and every other constraint stay as strict as the release.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
import pytest
import yaml
from parley_contract.checks.payloads import PayloadSchemas
from parley_contract.checks.streams import Event, completion_problem
from parley_diff import Verdict, diff_documents, release_file
from parley_diff.tolerant import TOLERANCES, retired, tolerant_copy
from parley_spec import Contract, read_document, resolve_refs

from tests.diff.test_diff_cases import BASE, CASES, TODAY, apply

ROOT = Path(__file__).resolve().parents[2]
WITNESSES = {
    "response-enum-value-added": "response enum value added",
    "response-header-enum-value-added": "response header enum value added",
    "stream-event-enum-value-added": "stream event payload enum value added",
    "stream-event-added": "stream event added",
    "response-status-added": "error status added",
    "operation-removed-after-sunset": "operation removed after its sunset date",
    "parameter-removed-after-sunset": "query parameter removed after its sunset date",
    "property-removed-after-sunset": "response property removed after its sunset date",
}
"""Tolerated check id -> the cases.yaml case that shows the diff's verdict on it."""
CONVERSATION = "/v1/conversation/{conversation_id}"
STREAM = "/v1/conversation/{conversation_id}/chat"
ID = "0b6f1c8e-6d3e-4d7e-9a55-1f3f0e1a2b3c"
WHEN = "2026-01-02T03:04:05Z"
CONVERSATION_BODY = {
    "id": ID,
    "agent_id": ID,
    "entity_type": "USER",
    "entity_id": "u1",
    "title": "t",
    "metadata": {},
    "status": "active",
    "max_context_length": 10,
    "message_count": 0,
    "rating": None,
    "feedback": None,
    "started_at": WHEN,
    "ended_at": None,
    "created_at": WHEN,
    "updated_at": WHEN,
    "deleted_at": None,
}
"""A `Conversation` as the release describes it."""
START = {"conversation_id": ID, "user_message_id": ID, "message_id": ID}
COMPLETE = {
    "id": ID,
    "conversation_id": ID,
    "role": "assistant",
    "content": "Hi",
    "rating": None,
    "feedback": None,
    "created_at": WHEN,
    "deleted_at": None,
}
"""The payloads of a stream's `start` and `complete` events."""


def _case(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    case = next(case for case in CASES if case["name"] == name)
    old = apply(BASE, case.get("both", []))
    return old, apply(old, case.get("edit", []))


def _verdicts(old: dict[str, Any], new: dict[str, Any]) -> dict[str, set[Verdict]]:
    changes = diff_documents(old, new, today=TODAY, version_policy=False)
    found: dict[str, set[Verdict]] = {}
    for change in changes:
        found.setdefault(change.check, set()).add(change.verdict)
    return found


def test_every_tolerated_check_has_a_witness_case() -> None:
    tolerated = {check for tolerance in TOLERANCES for check in tolerance.checks}
    assert tolerated == set(WITNESSES)


@pytest.mark.parametrize("check", sorted(WITNESSES))
def test_each_tolerance_mirrors_a_check_the_diff_calls_compatible(check: str) -> None:
    verdicts = _verdicts(*_case(WITNESSES[check]))
    assert verdicts.get(check) == {Verdict.COMPATIBLE}, verdicts


def test_a_closed_response_schema_stays_closed() -> None:
    old, new = _case("optional response property added to a closed schema")
    assert _verdicts(old, new)["response-property-added-closed"] == {Verdict.CLIENT}
    widget = {"id": ID, "name": "W", "status": "active", "size": 1, "weight": 2.5}
    path = "/widgets/{widget_id}"
    without = {k: v for k, v in widget.items() if k != "weight"}
    assert _valid(_schema(old, path, "get", "200", "application/json"), without)
    assert not _valid(_schema(old, path, "get", "200", "application/json"), widget)
    assert _valid(_schema(new, path, "get", "200", "application/json"), widget)
    tolerant = _schema(tolerant_copy(old), path, "get", "200", "application/json")
    assert not _valid(tolerant, widget)
    assert _valid(tolerant, without)


@pytest.fixture(scope="module")
def release() -> dict[str, Any]:
    return read_document(release_file(ROOT, "latest"))


@pytest.fixture(scope="module")
def tolerant(release: dict[str, Any]) -> dict[str, Any]:
    return tolerant_copy(release)


def _schema(document: dict[str, Any], path: str, method: str, code: str, media: str) -> Any:
    response = document["paths"][path][method]["responses"][code]
    return resolve_refs(response, document)["content"][media]["schema"]


def _valid(schema: Any, instance: Any) -> bool:
    return bool(jsonschema_rs.Draft202012Validator(schema).is_valid(instance))


def test_a_new_response_enum_value_is_accepted_and_the_type_still_checked(
    release: dict[str, Any], tolerant: dict[str, Any]
) -> None:
    strict = _schema(release, CONVERSATION, "get", "200", "application/json")
    opened = _schema(tolerant, CONVERSATION, "get", "200", "application/json")
    known = CONVERSATION_BODY
    assert _valid(strict, known) and _valid(opened, known)
    assert not _valid(strict, {**known, "status": "paused"})
    assert _valid(opened, {**known, "status": "paused"})
    assert not _valid(opened, {**known, "status": 3})
    assert not _valid(opened, {k: v for k, v in known.items() if k != "title"})


def test_request_schemas_keep_their_enums(
    release: dict[str, Any], tolerant: dict[str, Any]
) -> None:
    assert tolerant["components"] == release["components"]
    update = tolerant["paths"][CONVERSATION]["patch"]["requestBody"]
    assert update == release["paths"][CONVERSATION]["patch"]["requestBody"]
    body = resolve_refs(update, tolerant)["content"]["application/json"]["schema"]
    assert not _valid(body, {"status": "paused"})


def test_new_error_statuses_are_documented_but_not_new_success_ones(
    tolerant: dict[str, Any],
) -> None:
    responses = tolerant["paths"][CONVERSATION]["get"]["responses"]
    assert "4XX" in responses and "5XX" in responses
    assert not any(code.startswith(("1", "2", "3")) and code != "200" for code in responses)
    assert "content" not in responses["4XX"]


def _stream(events: list[tuple[str, str]]) -> tuple[httpx.Response, list[Event]]:
    parsed = [Event(str(n), name, data) for n, (name, data) in enumerate(events, start=1)]
    response = httpx.Response(200, headers={"content-type": "text/event-stream"})
    return response, parsed


def test_an_unknown_stream_event_passes_the_tolerant_copy_only(
    release: dict[str, Any], tolerant: dict[str, Any], tmp_path: Path
) -> None:
    thinking = {"event": "thinking", "id": "2", "data": json.dumps({"summary": "hm"})}
    assert not _valid(_schema(release, STREAM, "post", "200", "text/event-stream"), thinking)
    opened = _schema(tolerant, STREAM, "post", "200", "text/event-stream")
    assert _valid(opened, thinking)
    assert not _valid(opened, {"event": "delta", "id": "2"})  # a known event keeps its shape

    strict_file, tolerant_file = tmp_path / "strict.yaml", tmp_path / "tolerant.yaml"
    strict_file.write_text(yaml.safe_dump(release))
    tolerant_file.write_text(yaml.safe_dump(tolerant))
    code = next(c for c in release["paths"][STREAM]["post"]["responses"] if c.startswith("2"))
    strict = PayloadSchemas(strict_file, "POST", STREAM, int(code))
    lenient = PayloadSchemas(tolerant_file, "POST", STREAM, int(code))
    assert not strict.other_events and lenient.other_events
    assert set(lenient.payloads) == set(strict.payloads)

    start, complete = START, COMPLETE
    response, events = _stream(
        [("start", json.dumps(start)), ("thinking", "not json"), ("complete", json.dumps(complete))]
    )
    assert completion_problem(response, events, lenient) is None
    problem = completion_problem(response, events, strict)
    assert problem is not None and "thinking" in problem
    complete_wrong = {**complete, "role": 7}
    response, events = _stream(
        [("start", json.dumps(start)), ("thinking", "x"), ("complete", json.dumps(complete_wrong))]
    )
    lenient_problem = completion_problem(response, events, lenient)
    assert lenient_problem is not None and "complete" in lenient_problem


def _sunset_release() -> dict[str, Any]:
    """base.yaml with deleteWidget, `search`, `colour` (request) and `notes` (response)
    deprecated with x-sunset dates, one still ahead (`size`)."""
    release = yaml.safe_load(yaml.safe_dump(BASE))
    gone = {"deprecated": True, "x-sunset": "2026-01-01"}
    release["paths"]["/widgets/{widget_id}"]["delete"].update(gone)
    release["components"]["parameters"]["Search"].update(gone)
    schemas = release["components"]["schemas"]
    schemas["CreateWidgetRequest"]["properties"]["colour"].update(gone)
    schemas["CreateWidgetRequest"]["properties"]["size"].update(
        {"deprecated": True, "x-sunset": "2027-01-01"}
    )
    schemas["Widget"]["properties"]["notes"].update(gone)
    schemas["Widget"]["required"].append("notes")
    return release


def test_what_passed_its_sunset_is_left_out_or_optional_in_the_copy() -> None:
    copy = tolerant_copy(_sunset_release(), TODAY)
    assert "delete" not in copy["paths"]["/widgets/{widget_id}"]
    assert "get" in copy["paths"]["/widgets/{widget_id}"]
    names = [p.get("name") for p in copy["paths"]["/widgets"]["get"]["parameters"]]
    assert "search" not in names and "status" in names
    request = copy["paths"]["/widgets"]["post"]["requestBody"]["content"]["application/json"]
    assert "colour" not in request["schema"]["properties"]
    assert "size" in request["schema"]["properties"]  # its sunset is still ahead
    response = copy["paths"]["/widgets/{widget_id}"]["get"]["responses"]["200"]
    widget = response["content"]["application/json"]["schema"]
    assert "notes" in widget["properties"] and "notes" not in widget["required"]
    assert "id" in widget["required"]
    before = tolerant_copy(_sunset_release(), "2025-12-31")  # the day before: all there
    assert "delete" in before["paths"]["/widgets/{widget_id}"]


def test_retired_names_the_operations_a_server_may_now_answer_otherwise() -> None:
    found = retired(_sunset_release(), TODAY)
    assert found["deleteWidget"] == "deprecated, x-sunset 2026-01-01 has passed"
    assert found["listWidgets"] == "parameter search past x-sunset"
    assert found["createWidget"] == "property colour past x-sunset"
    assert found["getWidget"] == "property notes past x-sunset"
    assert set(found) == {"deleteWidget", "listWidgets", "createWidget", "getWidget"}
    assert retired(_sunset_release(), "2025-12-31") == {}


def test_check_compat_tolerates_a_failure_after_a_sunset_and_counts_the_others() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import compat  # scripts/compat.py, not a package

    failures = {"deleteWidget": "404", "getWidget": "KeyError: notes", "getHealth": "500"}
    kept, tolerated = compat.tolerate_sunsets(failures, retired(_sunset_release(), TODAY))
    assert kept == {"getHealth": "500"}
    assert tolerated["deleteWidget"] == "deprecated, x-sunset 2026-01-01 has passed: 404"
    assert tolerated["getWidget"] == "property notes past x-sunset: KeyError: notes"


def test_the_copy_of_todays_contract_keeps_its_annotations_valid() -> None:
    """Inlined response schemas drop the components' annotations (a count may stand only on a
    property of a component, timestamps only on a component schema); the components keep them."""
    document = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    contract = Contract(tolerant_copy(document))
    kinds = {note.kind for note in contract.annotations}
    assert {"count", "timestamps", "derived", "order", "outcome"} <= kinds
    answered = contract.by_id("getConversation").success
    assert answered is not None
    assert "x-parley-timestamps" not in str(answered.content)
