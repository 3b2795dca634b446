"""The document's prose as the trace reads it: which strings are descriptions, and where one
sentence ends and the next begins."""

from __future__ import annotations

import pytest
from parley_spec.prose import descriptions, sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", ("One.", "Two.")),
        (
            "Returns one\n  conversation.   A deleted one answers 404.",
            (
                "Returns one conversation.",
                "A deleted one answers 404.",
            ),
        ),
        (
            "Ids use `a. B` and (see e.g. RFC 9457. Not here) go on.",
            ("Ids use `a. B` and (see e.g. RFC 9457. Not here) go on.",),
        ),
        ("Version 1.0 works, e.g. Here. And then.", ("Version 1.0 works, e.g. Here.", "And then.")),
        (
            "Shared:\n\n* First item. Second\n  sentence.\n- Other item",
            (
                "Shared:",
                "First item.",
                "Second sentence.",
                "Other item",
            ),
        ),
        ("Ends at a code span. `start`: the ids.", ("Ends at a code span.", "`start`: the ids.")),
        ("429 and 503 carry it. 404 next.", ("429 and 503 carry it.", "404 next.")),
        ("no capital after. so one sentence", ("no capital after. so one sentence",)),
        ("  \n ", ()),
    ],
    ids=[
        "two",
        "folded-lines",
        "code-and-parentheses",
        "abbreviation",
        "list-items",
        "code-span-start",
        "digit-start",
        "lower-case-follower",
        "blank",
    ],
)
def test_sentences_split_where_a_reader_would(text: str, expected: tuple[str, ...]) -> None:
    assert sentences(text) == expected


def test_descriptions_are_prose_only_and_named_by_their_object() -> None:
    document = {
        "info": {"description": "The API."},
        "paths": {
            "/a": {
                "get": {
                    "description": "Gets.",
                    "x-note": {"description": "an extension, not prose"},
                    "responses": {
                        "200": {
                            "description": "OK.",
                            "content": {
                                "application/json": {
                                    "example": {"description": "data"},
                                    "examples": {"one": {"description": "Ex.", "value": {}}},
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Agent": {
                    "description": "An agent.",
                    "examples": [{"description": "data"}],
                    "properties": {
                        "description": {"type": "string", "description": "Its text."},
                        "enum": {"enum": [{"description": "data"}]},
                    },
                }
            }
        },
    }
    found = {d.at: d.sentences for d in descriptions(document)}
    assert found == {
        "/info": ("The API.",),
        "/paths/~1a/get": ("Gets.",),
        "/paths/~1a/get/responses/200": ("OK.",),
        "/paths/~1a/get/responses/200/content/application~1json/examples/one": ("Ex.",),
        "/components/schemas/Agent": ("An agent.",),
        "/components/schemas/Agent/properties/description": ("Its text.",),
    }
