"""The expectation maps of the ``x-parley-*`` kinds, judged on objects (no server)."""

from __future__ import annotations

import types
import uuid
from typing import Any

import pytest
from parley_contract.promises.requests import expect, resolve, same, unjudged, with_subjects
from parley_spec import MISSING, Exchange, load_contract
from parley_spec.annotations import LATER, SET, UNKNOWN

SCENE: Any = types.SimpleNamespace(contract=load_contract())
SENT = Exchange(
    path={"conversation_id": "c-1"},
    request_body={"message": "hi", "rating": 4},
    response_body={"message": {"id": "m-2"}},
    subjects={"given": {"id": "g-1"}},
)
HISTORY = [
    {"created_at": "2026-01-01T10:00:00Z", "id": "m-1"},
    {"created_at": "2026-01-01T11:00:00+01:00", "id": "m-2"},  # the same instant
    {"created_at": "2026-01-01T10:00:01Z", "id": "m-3"},
]


@pytest.mark.parametrize(
    ("expectation", "target", "problem"),
    [
        ({"/n": 3}, {"n": 3}, None),
        ({"/n": 3}, {"n": 4}, "/n is 4, expected 3"),
        ({"/n": 3}, {"n": True}, "/n is True, expected 3"),
        ({"/x": None}, {}, "/x is nothing, expected None"),
        ({"/x": SET}, {"x": None}, "/x is None, expected a value"),
        ({"/x": SET}, {"x": 0}, None),
        ({"/h/-1/id": "$response.body#/message/id"}, {"h": HISTORY[:2]}, None),
        ({"/h/-1/id": "$response.body#/message/id"}, {"h": HISTORY}, "/h/-1/id is 'm-3'"),
        ({"/c": "$request.path.conversation_id"}, {"c": "c-1"}, None),
        ({"/g": "$given#/id"}, {"g": "g-2"}, "/g is 'g-2', expected 'g-1'"),
        ({"/t": "2026-01-01T10:00:00Z"}, {"t": "2026-01-01T11:00:00+01:00"}, None),
        ({"/h": {"at-most": 3}}, {"h": HISTORY}, None),
        ({"/h": {"at-most": 2}}, {"h": HISTORY}, "/h is 3, expected at most 2"),
        ({"/h": {"at-most": "$request.body#/rating"}}, {"h": HISTORY}, None),
        ({"/h": {"sorted-by": "created_at", "direction": "asc"}}, {"h": HISTORY}, None),
        (
            {"/h": {"sorted-by": "created_at", "direction": "desc"}},
            {"h": HISTORY},
            "/h is not sorted by created_at desc",
        ),
        ({"": "$read#"}, {"a": [1, {"b": 2}]}, None),
        ({"": "$read#"}, {"a": [1, {"b": 2}], "c": 1}, "(the whole) is"),
        ({"/missing": "$request.body#/feedback"}, {}, None),  # not judged: see unjudged
    ],
)
def test_expect(expectation: dict[str, Any], target: Any, problem: str | None) -> None:
    exchange = with_subjects(SENT, read={"a": [1, {"b": 2}]})
    found = expect(SCENE, expectation, target, exchange)
    if problem is None:
        assert found is None
    else:
        assert found is not None and found.startswith(problem), found


def test_later_compares_with_before_the_write() -> None:
    fields = {"/u": LATER}
    before = {"u": "2026-01-01T10:00:00Z"}
    assert expect(SCENE, fields, {"u": "2026-01-01T10:00:01Z"}, SENT, before=before) is None
    stale = expect(SCENE, fields, {"u": "2026-01-01T11:00:00+01:00"}, SENT, before=before)
    assert stale is not None and "expected later than" in stale
    assert expect(SCENE, fields, {"u": None}, SENT, before=before) is not None


def test_unjudged_names_the_expressions_the_exchange_has_no_value_for() -> None:
    fields = {"/a": "$request.body#/feedback", "/b": "$request.body#/rating", "/c": 1}
    fields |= {"/h": {"at-most": "$read#/limit"}}
    assert unjudged(SCENE, fields, SENT) == ("/a", "/h")
    assert unjudged(SCENE, fields, with_subjects(SENT, read={"limit": 2})) == ("/a",)


def test_resolve_makes_unknown_ids_valid_for_their_schema() -> None:
    uuid_id = resolve(SCENE, UNKNOWN, SENT, {"type": "string", "format": "uuid"})
    assert uuid.UUID(uuid_id)
    short = resolve(SCENE, UNKNOWN, SENT, {"type": "string", "maxLength": 20})
    assert short.startswith("parley-unknown-") and len(short) == 20
    body = resolve(SCENE, {"agent_id": "$given#/id", "n": [UNKNOWN]}, SENT)
    assert body["agent_id"] == "g-1" and body["n"][0].startswith("parley-unknown-")
    assert resolve(SCENE, "$request.body#/nothing", SENT) is MISSING


def test_same_compares_objects_member_by_member() -> None:
    assert same({"a": 1, "b": [1.0]}, {"b": [1], "a": 1})
    assert not same({"a": 1}, {"a": 1, "b": None})
    assert not same(False, 0)
