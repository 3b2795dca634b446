"""The trace: openapi.yaml's prose split into sentences, each bound to what formalises it, and
the lint that refuses an untraced sentence, a stale quote or a behavioural sentence marked
informative."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from parley_spec import Contract, load_contract, load_document
from parley_spec.lint import lint
from parley_spec.lint import main as lint_main
from parley_spec.prose import descriptions
from parley_spec.trace import STATUSES, behaviour_in
from parley_spec.trace import main as trace_main

ROOT = Path(__file__).resolve().parents[2]
GET = "/v1/conversation/{conversation_id}"
GET_AT = "/paths/~1v1~1conversation~1{conversation_id}/get"


@pytest.fixture(scope="module")
def contract() -> Contract:
    return load_contract(ROOT / "openapi.yaml")


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("A soft-deleted conversation answers 404.", "a status code"),
        ("It takes no new messages (409).", "a status code"),
        ("Fields left out are kept.", "is kept or are kept"),
        ("Rating again replaces the earlier rating.", "replace"),
        ("A malformed id is replaced.", "replace"),
        ("The key must be unique.", "must, never or always"),
        ("Servers never issue it.", "must, never or always"),
        ("Answers how many messages were removed.", "answers"),
        ("An RFC 9457 Problem Details document.", None),
        ("1 to 128 letters, from 1, in decimal.", None),
        ("`HTTP/1.1` and req_404x ids.", None),
        ("The conversation.", None),
    ],
)
def test_the_reviewers_rule_finds_behavioural_wording(text: str, rule: str | None) -> None:
    found = behaviour_in(text)
    assert (found.split(":")[0] if found else None) == rule


def test_every_sentence_of_openapi_yaml_is_traced(contract: Contract) -> None:
    trace = contract.trace
    assert trace.problems == ()
    total = sum(len(d.sentences) for d in descriptions(contract.document))
    assert len(trace.sentences) == total
    assert sum(trace.count(status) for status in STATUSES) == total
    assert trace.count("untraced") == 0
    assert trace.count("traced") > trace.count("informative") > trace.count("unchecked") > 0
    for line in trace.sentences:
        if line.status == "informative":
            assert behaviour_in(line.sentence.text) is None, line.sentence


def test_a_sentence_knows_its_annotations_and_an_annotation_its_sentences(
    contract: Contract,
) -> None:
    trace = contract.trace
    line = next(t for t in trace.sentences if t.sentence.text == "Fields left out are kept.")
    assert line.status == "traced"
    assert {n.kind for n in line.annotations} == {"keep"}
    assert line.sentence.pointer.endswith("/patch/description")
    retry = next(t for t in trace.sentences if t.sentence.text.startswith("429 and 503"))
    assert retry.status == "unchecked" and retry.unchecked[0].kind == "unchecked"
    (outcome,) = [
        n
        for n in contract.annotations
        if n.kind == "outcome" and n.operation_id == "getConversation"
    ]
    assert [s.text for s in trace.of(outcome)] == ["A soft-deleted conversation answers 404."]
    assert {n.kind for n in trace.silent} <= {"timestamps", "count", "convention", "effect"}


def _linted(mutate: Any) -> list[str]:
    document = copy.deepcopy(load_document(ROOT / "openapi.yaml"))
    mutate(document)
    return lint(Contract(document))


def _get(document: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = document["paths"][GET]["get"]
    return node


def test_the_lint_names_an_untraced_sentence_with_its_pointer() -> None:
    def plant(document: dict[str, Any]) -> None:
        _get(document)["description"] += " It is cached for an hour."

    assert _linted(plant) == [
        f'{GET_AT}/description: sentence 3 is untraced: "It is cached for an hour." (quote it '
        "in the says of the annotation that formalises it, or list it in x-parley-informative)"
    ]


def test_the_lint_names_a_quote_no_longer_in_its_description() -> None:
    def edit(document: dict[str, Any]) -> None:
        _get(document)["description"] = "Returns one conversation. A deleted one answers 404."

    problems = _linted(edit)
    assert (
        f'{GET_AT}/x-parley-outcomes/0/says/0: "A soft-deleted conversation answers 404." is not '
        f"a sentence of {GET_AT}/description"
    ) in problems
    assert any('sentence 2 is untraced: "A deleted one answers 404."' in p for p in problems)


def test_the_lint_refuses_an_informative_mark_on_a_behavioural_sentence() -> None:
    def mark(document: dict[str, Any]) -> None:
        node = _get(document)
        del node["x-parley-outcomes"]
        node["x-parley-informative"].append("A soft-deleted conversation answers 404.")

    assert _linted(mark) == [
        f'{GET_AT}/x-parley-informative/1: "A soft-deleted conversation answers 404." is marked '
        'informative but reads as behaviour (a status code: "404"); quote it in the says of the '
        "annotation that formalises it"
    ]


def test_the_lint_refuses_a_stale_mark_a_marked_quote_and_a_quote_of_nothing() -> None:
    def break_marks(document: dict[str, Any]) -> None:
        node = _get(document)
        node["x-parley-informative"] = ["Returns a conversation.", "Returns one conversation."]
        node["x-parley-outcomes"][0]["says"].append("Returns one conversation.")
        node["x-parley-outcomes"][0]["says"].append({"at": "/servers", "text": "Nowhere."})

    problems = _linted(break_marks)
    assert problems == [
        f'{GET_AT}/x-parley-outcomes/0/says/2: "Nowhere." quotes /servers, which has no '
        "description",
        f'{GET_AT}/x-parley-informative/0: "Returns a conversation." is not a sentence of '
        f"{GET_AT}/description",
        f'{GET_AT}/x-parley-informative/1: "Returns one conversation." is marked informative but '
        f"{GET_AT}/x-parley-outcomes/0 formalises it",
    ]


def test_the_lint_reads_vocabulary_problems_before_the_trace() -> None:
    def break_value(document: dict[str, Any]) -> None:
        _get(document)["x-parley-outcomes"][0]["status"] = "gone"
        _get(document)["description"] += " Untraced."

    problems = _linted(break_value)
    assert len(problems) == 1 and "x-parley-outcomes/0/status" in problems[0]


def test_the_commands_print_the_trace_and_fail_on_an_untraced_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert trace_main([str(ROOT / "openapi.yaml")]) == 0
    out = capsys.readouterr().out
    assert f"{GET_AT}/description\n  informative Returns one conversation.\n" in out
    assert "  traced      A soft-deleted conversation answers 404.\n" in out
    assert f"<- outcome {GET_AT}/x-parley-outcomes/0" in out
    assert out.rstrip().splitlines()[-1].startswith("269 sentences: ")
    text = (ROOT / "openapi.yaml").read_text()
    planted = text.replace(
        "description: Returns one agent of the caller's tenant.",
        "description: Returns one agent of the caller's tenant. It is cached.",
        1,
    )
    assert planted != text
    bad = tmp_path / "openapi.yaml"
    bad.write_text(planted)
    assert lint_main([str(bad)]) == 1
    printed = capsys.readouterr()
    assert 'sentence 2 is untraced: "It is cached."' in printed.out
    assert "1 problem(s)" in printed.err
    assert trace_main([str(bad)]) == 1
    assert trace_main([str(tmp_path / "absent.yaml")]) == 2
