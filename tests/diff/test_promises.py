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
