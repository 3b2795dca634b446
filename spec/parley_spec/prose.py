"""The document's prose: every ``description``, and each one split into sentences.

The trace (:mod:`parley_spec.trace`) binds every sentence to what formalises it, so both need
one reading of what a description and a sentence are:

* **A description** is the ``description`` string of any object of the document that has one
  (``info``, tags, servers, operations, parameters, request bodies, responses, headers, links,
  security schemes, Example objects, schemas and their properties at any depth), named by the
  JSON Pointer of that object: ``/paths/~1v1~1agent/post``, ``/components/schemas/Agent``,
  ``/components/schemas/Agent/properties/name``. Example values (``example``, ``examples``
  of a schema, an Example object's ``value``), ``default``, ``enum``, ``const`` and ``x-*``
  extensions are data, not prose; ``summary`` fields are titles, not prose.
* **A sentence** is a run of a paragraph (or of a Markdown list item: ``*``, ``-``, ``+`` or
  ``1.``) that ends with ``.``, ``!`` or ``?`` followed by a space and a capital letter, a
  digit, a backtick, ``*``, ``(`` or a quote, or that ends the paragraph. Stops inside a
  code span (backticks) or parentheses, and after ``e.g.``, ``i.e.``, ``etc.``, ``vs.`` or
  ``cf.``, end nothing. Whitespace is collapsed to single spaces, so a quote matches however
  YAML folded the lines.

Example::

    sentences("Lists agents, newest first. An `id.x` of another tenant answers 404.")
    # ('Lists agents, newest first.', 'An `id.x` of another tenant answers 404.')
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ._pointer import escape_token

__all__ = ["Description", "descriptions", "normalise", "sentences"]

# Keys whose value maps names (properties, status codes, media types...) to objects.
_NAMED = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "paths",
        "webhooks",
        "responses",
        "headers",
        "content",
        "links",
        "callbacks",
        "schemas",
        "parameters",
        "requestBodies",
        "securitySchemes",
        "pathItems",
        "encoding",
        "variables",
    }
)
# Keys whose value is data (or a title), never prose.
_DATA = frozenset({"example", "default", "enum", "const", "value", "summary"})
_LIST_ITEM = re.compile(r"^\s*(?:[*+-]|\d+\.)\s+")
_ABBREVIATIONS = ("e.g", "i.e", "etc", "vs", "cf")
_STARTS = frozenset("`*(\"'[")


@dataclass(frozen=True)
class Description:
    """One ``description`` of the document.

    Attributes:
        at: The JSON Pointer of the object that holds it (``/info``, ``/paths/~1v1~1agent/get``).
        text: The description as written.
        sentences: Its sentences, normalised (see :func:`sentences`).
    """

    at: str
    text: str
    sentences: tuple[str, ...]

    @property
    def pointer(self) -> str:
        """The JSON Pointer of the description string itself (``{at}/description``)."""
        return f"{self.at}/description"


def normalise(text: str) -> str:
    """``text`` with every run of whitespace made one space, and no space at either end."""
    return " ".join(text.split())


def _paragraphs(text: str) -> Iterator[str]:
    """The paragraphs and list items of ``text``, each normalised, list markers removed."""
    current: list[str] = []
    for line in text.splitlines():
        if not line.strip() or _LIST_ITEM.match(line):
            if current:
                yield normalise(" ".join(current))
            current = [_LIST_ITEM.sub("", line)] if line.strip() else []
        else:
            current.append(line)
    if current:
        yield normalise(" ".join(current))


def _ends_sentence(paragraph: str, index: int) -> bool:
    """Whether the ``.``, ``!`` or ``?`` at ``index`` ends a sentence (outside code, parens)."""
    after = paragraph[index + 1 : index + 3]
    if len(after) < 2 or after[0] != " ":
        return False
    follower = after[1]
    if not (follower.isupper() or follower.isdigit() or follower in _STARTS):
        return False
    before = paragraph[:index].rsplit(" ", 1)[-1].lower()
    return before.lstrip("(") not in _ABBREVIATIONS


def sentences(text: str) -> tuple[str, ...]:
    """The sentences of a description, in order, each normalised.

    Args:
        text: A description (Markdown, as YAML gave it: line breaks inside paragraphs).

    Returns:
        Every sentence of every paragraph and list item; ``()`` for a blank text.
    """
    found: list[str] = []
    for paragraph in _paragraphs(text):
        start, code, depth = 0, False, 0
        for index, char in enumerate(paragraph):
            if char == "`":
                code = not code
            elif code:
                continue
            elif char == "(":
                depth += 1
            elif char == ")":
                depth = max(0, depth - 1)
            elif char in ".!?" and depth == 0 and _ends_sentence(paragraph, index):
                found.append(paragraph[start : index + 1].strip())
                start = index + 2
        rest = paragraph[start:].strip()
        if rest:
            found.append(rest)
    return tuple(found)


def _walk(node: Any, pointer: str, named: bool) -> Iterator[Description]:
    if isinstance(node, Mapping):
        if not named and isinstance(node.get("description"), str):
            text = str(node["description"])
            yield Description(pointer, text, sentences(text))
        for key, value in node.items():
            name = str(key)
            here = f"{pointer}/{escape_token(name)}"
            if named:
                yield from _walk(value, here, False)
            elif name.startswith("x-") or name in _DATA or name == "description":
                continue
            elif name == "examples":
                # Example objects (a map) have prose; a schema's `examples` (a list) is data.
                if isinstance(value, Mapping):
                    yield from _walk(value, here, True)
            else:
                yield from _walk(value, here, name in _NAMED and isinstance(value, Mapping))
    elif isinstance(node, list) and not named:
        for index, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{index}", False)


def descriptions(document: Mapping[str, Any]) -> tuple[Description, ...]:
    """Every description of ``document``, in document order (``$ref``s are not followed).

    A shared component's description is listed once, where the component is defined.

    Args:
        document: The parsed OpenAPI document.

    Returns:
        One :class:`Description` per object that has a ``description`` string.
    """
    return tuple(_walk(document, "", False))
