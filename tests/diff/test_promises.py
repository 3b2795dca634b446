"""Promises are compared by kind and subject, with no code per kind (parley_diff._promises).

The annotations are given typed, as parley_spec parses them, so that a kind registered in
`parley_spec.annotations.KINDS` after this code was written, and a `says` quote that the
vocabulary may add, are both exercised without a document that carries them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from parley_diff import Document, Verdict
from parley_diff._checks import known_checks
from parley_diff._promises import compare_promises
from parley_spec.annotations import KINDS, Annotation, Kind

from .test_diff_cases import BASE


@dataclass(frozen=True)
class Tone:
    """A made-up kind: the tone a list's items are written in."""

    tone: str
    says: str | None = None


def document(*notes: Annotation[Any]) -> Document:
    doc = Document(yaml.safe_load(yaml.safe_dump(BASE)), "test")
    doc.__dict__["annotations"] = notes  # what parley_spec would have parsed
    return doc


def tone(value: str, says: str | None = None, operation: str = "listWidgets") -> Annotation[Any]:
    raw = {"tone": value, **({"says": says} if says else {})}
    pointer = "/paths/~1widgets/get/x-parley-tone"
    return Annotation("tone", pointer, Tone(value, says), raw, operation_id=operation)


@pytest.fixture(autouse=True)
def tone_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    """x-parley-tone registered as parley_spec registers its kinds."""
    kinds = {**KINDS, "x-parley-tone": Kind("tone", "x-parley-tone", "operation", Tone)}
    monkeypatch.setattr("parley_spec.annotations.KINDS", kinds)
    monkeypatch.setattr("parley_diff._promises.KINDS", kinds)


def compare(old: Document, new: Document) -> list[tuple[str, Verdict, str]]:
    changes: list[Any] = []
    compare_promises(old, new, changes)
    return [(c.check, c.verdict, c.operation) for c in changes]


def test_a_new_kind_is_compared_with_no_code_of_its_own() -> None:
    assert compare(document(), document(tone("formal"))) == [
        ("tone-added", Verdict.SERVER, "listWidgets")
    ]
    assert compare(document(tone("formal")), document()) == [
        ("tone-removed", Verdict.CLIENT, "listWidgets")
    ]
    assert compare(document(tone("formal")), document(tone("casual"))) == [
        ("tone-changed", Verdict.CLIENT, "listWidgets")
    ]
    assert compare(document(tone("formal")), document(tone("formal"))) == []


def test_a_change_of_the_quoted_prose_alone_is_compatible() -> None:
    old = document(tone("formal", says="Items are written formally."))
    new = document(tone("formal", says="Every item is written formally."))
    assert compare(old, new) == [("tone-quote-changed", Verdict.COMPATIBLE, "listWidgets")]
    assert compare(old, document(tone("casual", says="Every item is written casually."))) == [
        ("tone-changed", Verdict.CLIENT, "listWidgets")
    ]


def test_a_promise_on_a_subject_that_went_is_left_to_the_subject_checks() -> None:
    # getGadget is in neither document: its operation checks report it, not the promises
    assert compare(document(tone("formal", operation="getGadget")), document()) == []
    assert compare(document(), document(tone("formal", operation="getGadget"))) == []


@dataclass(frozen=True)
class Quote:
    """A quote as parley_spec may keep it: its text and where it is written."""

    text: str
    pointer: str


def test_quotes_are_compared_by_text_not_by_where_they_are_written() -> None:
    def quoted(text: str, pointer: str) -> Annotation[Any]:
        note = tone("formal")
        object.__setattr__(note, "says", (Quote(text, pointer),))
        return note

    old = document(quoted("Items are formal.", "/paths/~1widgets/get/x-parley-tone/says/0"))
    moved = document(quoted("Items are formal.", "/components/x-parley-tone/says/0"))
    assert compare(old, moved) == []
    reworded = document(quoted("Every item is formal.", "/components/x-parley-tone/says/0"))
    assert compare(old, reworded) == [("tone-quote-changed", Verdict.COMPATIBLE, "listWidgets")]


def test_a_kind_whose_check_would_be_the_diffs_own_gets_promise_in_its_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kinds = {**KINDS, "x-parley-stream": Kind("stream", "x-parley-stream", "operation", Tone)}
    monkeypatch.setattr("parley_spec.annotations.KINDS", kinds)
    monkeypatch.setattr("parley_diff._promises.KINDS", kinds)
    monkeypatch.setattr("parley_diff._checks.KINDS", kinds)
    note = Annotation(
        "stream", "/paths/~1widgets/get/x-parley-stream", Tone("x"), {}, "listWidgets"
    )
    assert compare(document(), document(note)) == [
        ("stream-promise-added", Verdict.SERVER, "listWidgets")  # stream-added: a media type
    ]
    assert "stream-promise-added" in known_checks() and "stream-added" in known_checks()
