"""The typed contract model (``parley_spec``): pointers, runtime expressions, operations,
links, and the ``x-parley-*`` annotations validated against the vocabulary."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from parley_spec import (
    MISSING,
    Contract,
    Exchange,
    MissingPathValue,
    SpecError,
    evaluate,
    is_expression,
    join_pointer,
    load_contract,
    load_document,
    parse_expression,
    pointer_get,
    split_pointer,
)
from parley_spec.annotations import Count, Effect, Filter, Given, Order, vocabulary_table
from parley_spec.lint import main as lint_main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def contract() -> Contract:
    return load_contract(ROOT / "openapi.yaml")


def test_pointers_round_trip_and_decode_tilde_one_before_tilde_zero() -> None:
    tokens = ["paths", "/v1/agent", "a~b", "~1"]
    pointer = join_pointer(tokens)
    assert pointer == "/paths/~1v1~1agent/a~0b/~01"
    assert split_pointer(pointer) == tokens
    assert split_pointer("") == []
    with pytest.raises(SpecError, match="not a JSON Pointer"):
        split_pointer("items")


def test_pointer_get_reads_members_and_indexes_and_says_missing() -> None:
    body = {"items": [{"id": "a"}, {"id": None}], "a/b": 1}
    assert pointer_get(body, "") is body
    assert pointer_get(body, "/items/1/id") is None  # null is a value
    assert pointer_get(body, "/items/2/id") is MISSING
    assert pointer_get(body, "/items/01") is MISSING  # no leading zeros (RFC 6901)
    assert pointer_get(body, "/a~1b") == 1
    assert pointer_get([1], "/-") is MISSING


def test_pointer_get_counts_from_the_end_only_when_asked() -> None:
    body = {"messages": [{"id": "a"}, {"id": "b"}], "-1": "member"}
    assert pointer_get(body, "/messages/-1/id") is MISSING  # RFC 6901 has no negative index
    assert pointer_get(body, "/messages/-1/id", from_end=True) == "b"
    assert pointer_get(body, "/messages/-2/id", from_end=True) == "a"
    assert pointer_get(body, "/messages/-3", from_end=True) is MISSING
    assert pointer_get(body, "/messages/-0", from_end=True) is MISSING
    assert pointer_get(body, "/messages/-01", from_end=True) is MISSING
    assert pointer_get(body, "/-1", from_end=True) == "member"  # a member, not an index


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("$response.body#/id", "c1"),
        ("$response.body", {"id": "c1"}),
        ("$request.body#/title", "T"),
        ("$request.path.conversation_id", "c0"),
        ("$request.query.page", 2),
        ("$request.header.x-api-key", "k"),
        ("$response.header.X-Request-ID", "req_1"),
        ("$statusCode", 201),
        ("$method", "POST"),
        ("$object#/id", "o1"),
        ("$response.body#/missing", MISSING),
        ("$other#/id", MISSING),
    ],
)
def test_runtime_expressions_read_the_exchange(text: str, value: Any) -> None:
    exchange = Exchange(
        method="POST",
        path={"conversation_id": "c0"},
        query={"page": 2},
        request_headers={"X-API-Key": "k"},
        request_body={"title": "T"},
        status=201,
        response_headers={"x-request-id": "req_1"},
        response_body={"id": "c1"},
        subjects={"object": {"id": "o1"}},
    )
    assert is_expression(text)
    got = evaluate(text, exchange)
    if value is MISSING:
        assert got is MISSING
    else:
        assert got == value


@pytest.mark.parametrize("text", ["response.body#/id", "$response.bod", "$request.path.", "$x"])
def test_malformed_expressions_are_refused(text: str) -> None:
    assert not is_expression(text)
    with pytest.raises(SpecError, match="not a runtime expression"):
        parse_expression(text)


def test_operations_are_typed_once_with_their_path_item_parameters(contract: Contract) -> None:
    ids = [op.operation_id for op in contract.operations]
    assert len(ids) == len(set(ids)) == 33
    get = contract.by_id("getConversation")
    assert (get.method, get.path, get.label) == (
        "GET",
        "/v1/conversation/{conversation_id}",
        "GET /v1/conversation/{conversation_id}",
    )
    assert get.pointer == "/paths/~1v1~1conversation~1{conversation_id}/get"
    assert get.path_parameters == ("conversation_id",)
    assert get.scopes == {"read"} and not get.needs_write
    assert get.success_status == 200 and get.answers_json and not get.streams
    send = contract.by_id("sendMessage")
    assert send.streams and send.takes_idempotency_key and send.resumes_streams
    assert send.parameter("idempotency-key", "header") is not None  # headers ignore case
    assert send.example_body() == send.example_body() and send.example_body() is not None
    assert contract.get("noSuchOperation") is None
    with pytest.raises(KeyError):
        contract.by_id("noSuchOperation")


def test_fill_path_encodes_each_value_as_one_segment(contract: Contract) -> None:
    get = contract.by_id("getConversation")
    assert get.fill_path({"conversation_id": "a/b c", "extra": 1}) == "/v1/conversation/a%2Fb%20c"
    with pytest.raises(MissingPathValue, match="conversation_id"):
        get.fill_path({})


def test_select_filters_like_schemathesis(contract: Contract) -> None:
    qa = contract.select(include_tags=["qa"])
    assert qa and all("qa" in op.tags for op in qa)
    assert not set(qa) & set(contract.select(exclude_tags=["qa"]))
    only = contract.select(include_operation_ids=["getAgent", "listAgents"])
    assert [op.operation_id for op in only] == ["listAgents", "getAgent"]


def test_links_lead_to_operations_with_values_from_the_exchange(contract: Contract) -> None:
    create = contract.by_id("createAgent")
    link = next(link for link in create.links if link.operation_id == "getAgent")
    target = contract.follow(link, Exchange(response_body={"id": "a1"}))
    assert target.operation is contract.by_id("getAgent")
    assert target.in_location("path") == {"agent_id": "a1"}
    assert target.operation.fill_path(target.in_location("path")) == "/v1/agent/a1"
    empty = contract.follow(link, Exchange(response_body={}))
    assert empty.missing == ("agent_id",) and not empty.values


def test_every_link_names_an_operation_and_parameters_it_has(contract: Contract) -> None:
    for op in contract.operations:
        for link in op.links:
            target = contract.by_id(link.operation_id)
            for name in link.parameters:
                assert target.parameter(name.rpartition(".")[2]) is not None, (op, link)


def test_annotations_are_typed_with_their_sites(contract: Contract) -> None:
    notes = contract.annotations
    kinds = {note.kind for note in notes}
    assert kinds == {
        "order",
        "filter",
        "visibility",
        "effect",
        "given",
        "count",
        "timestamps",
        "derived",
        "outcome",
        "answer",
        "read_back",
        "keep",
        "repeat",
        "lands",
        "idempotent",
        "stream",
        "disconnect",
        "convention",
        "unchecked",
    }
    order = next(n for n in notes if n.kind == "order" and n.operation_id == "listConversations")
    assert order.value == Order("/items", "created_at", "desc", "sort_by", "sort_order", "last")
    status = next(n for n in notes if n.kind == "filter" and n.parameter == "status")
    assert status.value == Filter("/items", "status") and status.operation_id == "listConversations"
    assert status.subject == "status of listConversations"
    effects = [n for n in notes if n.kind == "effect" and n.operation_id == "endConversation"]
    assert len(effects) == 1 and isinstance(effects[0].value, Effect)
    assert effects[0].pointer.endswith("/x-parley-effects/0")
    given = next(n for n in notes if n.kind == "given" and n.operation_id == "restoreConversation")
    assert given.value == Given(("deleteConversation",))
    count = next(n for n in notes if n.subject == "QualityMetrics.feedback_count")
    assert isinstance(count.value, Count) and len(count.value.terms) == 2
    assert count.value.terms[1].items is None  # getConversation's one object counts 1
    assert [quote.text for quote in count.says] == [
        "Feedback texts on the conversation and its messages."
    ]
    assert all("says" not in term for term in count.raw)  # quotes are not the promise


def _broken(mutate: Any) -> Contract:
    document = copy.deepcopy(load_document(ROOT / "openapi.yaml"))
    mutate(document)
    return Contract(document)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["paths"]["/v1/agent"]["get"].__setitem__("x-parley-ordr", {}),
            r"/paths/~1v1~1agent/get/x-parley-ordr: x-parley-ordr is not in the vocabulary",
        ),
        (
            lambda d: d["info"].__setitem__("x-parley-order", {}),
            r"/info/x-parley-order: x-parley-order may stand only on an operation",
        ),
        (
            lambda d: d["paths"]["/v1/agent"]["get"]["x-parley-order"].__setitem__(
                "direction", "up"
            ),
            r"/paths/~1v1~1agent/get/x-parley-order/direction: .*\"up\"",
        ),
        (
            lambda d: d["paths"]["/v1/agent"]["get"]["x-parley-order"].pop("items"),
            r"/paths/~1v1~1agent/get/x-parley-order: \"items\" is a required property",
        ),
        (
            lambda d: d["components"]["schemas"]["Conversation"]["properties"]["message_count"][
                "x-parley-count"
            ].__setitem__("of", "listNothing"),
            r"message_count/x-parley-count: names the operation listNothing",
        ),
    ],
    ids=["unknown-key", "wrong-site", "bad-value", "missing-items", "unknown-operation"],
)
def test_annotations_that_break_the_vocabulary_are_refused(mutate: Any, message: str) -> None:
    broken = _broken(mutate)
    with pytest.raises(SpecError) as refused:
        broken.annotations  # noqa: B018
    assert re.search(message, str(refused.value)), str(refused.value)


def test_the_lint_fails_a_broken_document_and_passes_ours(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert lint_main([str(ROOT / "openapi.yaml")]) == 0
    text = (ROOT / "openapi.yaml").read_text().replace("direction: desc", "direction: down", 1)
    bad = tmp_path / "openapi.yaml"
    bad.write_text(text)
    assert lint_main([str(bad)]) == 1
    assert "x-parley-order/direction" in capsys.readouterr().out
    assert lint_main([str(tmp_path / "absent.yaml")]) == 2


def test_contributing_shows_the_vocabulary_as_the_schema_says() -> None:
    assert vocabulary_table() in (ROOT / "CONTRIBUTING.md").read_text()
