"""The promise kinds beyond orders, filters and counts: typed from openapi.yaml, refused when
malformed, and each defined in the vocabulary as precisely as its check needs."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from parley_spec import MISSING, Contract, SpecError, load_contract, load_document
from parley_spec.annotations import (
    INFORMATIVE,
    KINDS,
    UNKNOWN,
    Annotation,
    Convention,
    Derived,
    Disconnect,
    End,
    Idempotent,
    Keep,
    Lands,
    Minutes,
    Outcome,
    Quote,
    ReadBack,
    Reading,
    Repeat,
    Step,
    Stream,
    vocabulary,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def contract() -> Contract:
    return load_contract(ROOT / "openapi.yaml")


def _one(contract: Contract, kind: str, operation_id: str, index: int = 0) -> Annotation[Any]:
    found = [n for n in contract.annotations if n.kind == kind and n.operation_id == operation_id]
    return found[index]


def test_an_outcome_says_how_the_state_is_reached_and_the_status_it_gets(
    contract: Contract,
) -> None:
    archived = _one(contract, "outcome", "sendMessage", 1)
    assert archived.value == Outcome(request=archived.value.request, status=409, problem=None)
    assert archived.value.request.given == (Step("updateConversation", {}, {"status": "archived"}),)
    unknown = _one(contract, "outcome", "createConversation").value
    assert unknown.request.body == {"agent_id": UNKNOWN} and unknown.status == 404
    wrong_kind = _one(contract, "outcome", "regenerateAgentAnswer").value
    assert wrong_kind.request.values == {
        "conversationId": "$given#/id",
        "messageId": "$given#/messages/0/id",
    }
    assert wrong_kind.request.given == (Step("createAgentConversation"),)
    assert wrong_kind.request.given[0].body is MISSING  # its request example


def test_reads_after_a_write_are_typed_readings(contract: Contract) -> None:
    back = _one(contract, "read_back", "sendMessage").value
    assert isinstance(back, ReadBack) and back.answer == "/message"
    assert back.reading == Reading(
        "listConversationMessages",
        {"per_page": 100},
        "/items",
        {"id": "$response.body#/message/id"},
    )
    keep = _one(contract, "keep", "deleteConversation").value
    assert isinstance(keep, Keep) and keep.then == (Step("restoreConversation"),)
    assert keep.fields == ("/items", "/total")


def test_a_repeat_defaults_to_reading_back_every_member_of_the_second_body(
    contract: Contract,
) -> None:
    repeat = _one(contract, "repeat", "endConversation").value
    assert isinstance(repeat, Repeat)
    assert repeat.fields == {
        "/rating": "$request.body#/rating",
        "/feedback": "$request.body#/feedback",
    }


def test_streams_lands_idempotent_and_disconnect_are_typed(contract: Contract) -> None:
    stream = _one(contract, "stream", "streamAgentConversation").value
    assert isinstance(stream, Stream)
    assert stream.complete["/messages/-1/content"] == "$deltas#"
    assert stream.stored[0].equals == "$complete#"
    lands = _one(contract, "lands", "qaChat").value
    assert isinstance(lands, Lands) and lands.names == "$request.body#/conversation_id"
    assert lands.parent == Step("qaChat") and lands.id == "$response.body#/conversation_id"
    again = _one(contract, "idempotent", "restoreAllMessages").value
    assert isinstance(again, Idempotent) and again.answer["/affected"] == 0
    assert [step.run for step in again.request.given][-1] == "restoreAllMessages"
    drop = _one(contract, "disconnect", "sendMessage").value
    assert isinstance(drop, Disconnect) and drop.after == "delta"


def test_derived_numbers_and_conventions_are_typed(contract: Contract) -> None:
    derived = {n.subject: n.value for n in contract.annotations if n.kind == "derived"}
    duration = derived["ConversationFlow.duration_minutes"]
    assert duration == Derived(
        minutes=Minutes(
            "started_at", (End("ended_at", {"status": "active"}), End("last_message_at"))
        )
    )
    mean = derived["MessageStatistics.average_message_length"]
    assert mean.mean_length is not None and mean.measured == "content"
    conventions = [n.value for n in contract.annotations if n.kind == "convention"]
    tenancy = next(c for c in conventions if c.name == "tenancy")
    assert tenancy == Convention("tenancy", ("tenant_isolation", "tenant_writes_leave_no_trace"))


def test_quotes_are_split_from_the_promise_with_the_object_they_quote(
    contract: Contract,
) -> None:
    outcome = _one(contract, "outcome", "getConversation")
    assert "says" not in outcome.raw
    (quote,) = outcome.says
    assert quote == Quote(
        "/paths/~1v1~1conversation~1{conversation_id}/get",
        "A soft-deleted conversation answers 404.",
        f"{outcome.pointer}/says/0",
    )
    problem = next(
        n
        for n in contract.annotations
        if n.kind == "convention" and n.value.name == "problem-status"
    )
    assert problem.says[0].at == "/components/schemas/Problem/properties/status"
    root = next(n for n in contract.annotations if n.kind == "convention")
    assert all(q.at.startswith("/") for q in root.says)
    assert any(q.at == "/info" for n in contract.annotations for q in n.says)


def _broken(mutate: Any) -> Contract:
    document = copy.deepcopy(load_document(ROOT / "openapi.yaml"))
    mutate(document)
    return Contract(document)


def _send(document: dict[str, Any]) -> dict[str, Any]:
    post: dict[str, Any] = document["paths"]["/v1/conversation/{conversation_id}/chat"]["post"]
    return post


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: _send(d)["x-parley-outcomes"][0].pop("status"),
            r"chat/post/x-parley-outcomes/0: \"status\" is a required property",
        ),
        (
            lambda d: _send(d)["x-parley-outcomes"][0]["given"][0].__setitem__("run", "endIt"),
            r"chat/post/x-parley-outcomes/0: names the operation endIt",
        ),
        (
            lambda d: _send(d)["x-parley-stream"]["stored"][0].__setitem__("read", "readIt"),
            r"chat/post/x-parley-stream: names the operation readIt",
        ),
        (
            lambda d: _send(d)["x-parley-disconnect"].__setitem__("after", "complete"),
            r"chat/post/x-parley-disconnect/after: .*\"complete\"",
        ),
        (
            lambda d: _send(d)["x-parley-read-back"][0].__setitem__("answr", ""),
            r"x-parley-read-back/0: Unevaluated properties are not allowed \('answr'",
        ),
        (
            lambda d: _send(d)["x-parley-answer"][0]["fields"].__setitem__(
                "/history", {"sorted-by": "created_at"}
            ),
            r"x-parley-answer/0/fields/~1history: ",
        ),
        (
            lambda d: d["x-parley-conventions"][0].__setitem__("judge", ["eyeballing"]),
            r"/x-parley-conventions/0/judge/0: .*\"eyeballing\"",
        ),
        (
            lambda d: d["x-parley-conventions"][0].__setitem__("convention", "vibes"),
            r"/x-parley-conventions/0/convention: .*\"vibes\"",
        ),
        (
            lambda d: _send(d)["x-parley-outcomes"][0]["says"].append({"at": "/info"}),
            r"x-parley-outcomes/0/says/2: ",
        ),
        (
            lambda d: d["paths"]["/v1/agent"].__setitem__(INFORMATIVE, ["No description."]),
            r"/paths/~1v1~1agent/x-parley-informative: x-parley-informative may stand only "
            r"beside a description",
        ),
        (
            lambda d: d["info"].__setitem__(INFORMATIVE, "One contract."),
            r"/info/x-parley-informative: \"One contract.\" is not of type \"array\"",
        ),
    ],
    ids=[
        "outcome-without-status",
        "step-of-no-operation",
        "reading-of-no-operation",
        "disconnect-after-complete",
        "unknown-member",
        "sorted-by-without-direction",
        "unknown-judge",
        "unknown-convention",
        "quote-without-text",
        "informative-without-description",
        "informative-not-a-list",
    ],
)
def test_new_kinds_that_break_the_vocabulary_are_refused(mutate: Any, message: str) -> None:
    with pytest.raises(SpecError) as refused:
        _broken(mutate).annotations  # noqa: B018
    assert re.search(message, str(refused.value)), str(refused.value)


def test_the_vocabulary_defines_every_kind_in_the_registry_order() -> None:
    defs = vocabulary()["$defs"]
    keys = [key for key, entry in defs.items() if "x-parley-kind" in entry]
    assert keys == [*KINDS, INFORMATIVE]
    for key, kind in KINDS.items():
        entry = defs[key]
        assert (entry["x-parley-kind"], entry["x-parley-site"]) == (kind.name, kind.site)
        assert entry["description"] and entry["x-parley-check"] and entry["x-parley-where"]


def test_every_convention_is_named_once_and_judged_by_the_checks_its_definition_names(
    contract: Contract,
) -> None:
    defs = vocabulary()["$defs"]
    defined = defs["x-parley-conventions"]["x-parley-conventions"]
    assert (
        list(defined) == defs["x-parley-conventions"]["items"]["properties"]["convention"]["enum"]
    )
    conventions = [n.value for n in contract.annotations if n.kind == "convention"]
    assert sorted(c.name for c in conventions) == sorted(defined)
    for convention in conventions:
        named = set(re.findall(r"`([a-z0-9_]+)`", defined[convention.name]["check"]))
        assert set(convention.judge) <= named, (convention.name, set(convention.judge) - named)
