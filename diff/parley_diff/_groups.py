"""Identical changes, grouped: one Problem property or one response header, not 260 rows.

Two findings are the same change when they have the same check, level and verdict and say
the same sentence once the status code is left out ("The response 429 body property
`request_id` was added" and "The response 503 body ..."). A group names the component schemas
or headers the change sits in (``Problem``), found by following the document's ``$ref``s along
the finding's pointer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from parley_spec import MISSING, SpecError, split_pointer

from ._model import Change, Level, Verdict

__all__ = ["Group", "group_changes", "member_name"]

STATUS = re.compile(r"\bresponse (?:[1-5](?:\d\d|XX)|default)\b")


@dataclass(frozen=True)
class Group:
    """Findings that are one change made in several places.

    Attributes:
        changes: The findings, in document order (the first one stands for all).
        anchors: The named components they sit in (``Problem``, ``RequestId``), sorted.
        message: The sentence, status codes left out.
    """

    changes: tuple[Change, ...]
    anchors: tuple[str, ...]
    message: str

    @property
    def first(self) -> Change:
        """The finding that stands for the group."""
        return self.changes[0]

    @property
    def operations(self) -> list[str]:
        """The operations (or, for document-wide ones, the subjects) it touches, in order."""
        return list(dict.fromkeys(member_name(change) for change in self.changes))

    @property
    def places(self) -> str:
        """``260 responses of 27 operations``, ``10 operations``, ``2 places in 1 operation``."""
        count, ops = len(self.changes), len(self.operations)
        plural = "s" if ops > 1 else ""
        if "/responses/" in self.first.pointer and count > ops:
            return f"{count} responses of {ops} operation{plural}"
        if not self.first.operation:
            return f"{count} places"
        if count == ops:
            return f"{ops} operations"
        return f"{count} places in {ops} operation{plural}"


def member_name(change: Change) -> str:
    """What a finding is about: its operation, else the schema and property of its pointer."""
    if change.operation:
        return change.operation
    tokens = _tokens(change.pointer)
    if tokens and tokens[0].startswith("x-parley-"):
        return "the document"
    if tokens[:2] == ["components", "schemas"] and len(tokens) > 2:
        name = tokens[2]
        if len(tokens) > 4 and tokens[3] == "properties":
            name += f".{tokens[4]}"
        return name
    return change.pointer or "the document"


def _tokens(pointer: str) -> list[str]:
    try:
        return split_pointer(pointer)
    except SpecError:
        return []


def anchor(document: Mapping[str, Any], pointer: str) -> str | None:
    """The named component a finding sits in, found along ``pointer`` in ``document``.

    For a property, the schema holding it (``Problem`` for ``.../properties/request_id``, even
    when the property itself ``$ref``s a schema); for anything else its own ``$ref`` target
    (``RequestId`` for a header ``$ref``ing ``#/components/headers/RequestId``), else the
    component it sits in.

    Args:
        document: The document as written (``$ref``s in place).
        pointer: A finding's pointer.

    Returns:
        The component's name; None when no ``$ref`` leads there (or the pointer leads nowhere).
    """
    tokens = _tokens(pointer)
    node, container = _deref(document, document, None)
    for index, token in enumerate(tokens, 1):
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return container
        if index < len(tokens):
            node, container = _deref(document, node, container)
    if len(tokens) > 1 and tokens[-2] == "properties":
        return container
    return _deref(document, node, None)[1] or container


def _deref(document: Mapping[str, Any], node: Any, name: str | None) -> tuple[Any, str | None]:
    """``node`` with its ``$ref`` chain followed, and the last component name on the way."""
    for _ in range(20):  # a longer chain loops
        if not (isinstance(node, Mapping) and isinstance(node.get("$ref"), str)):
            break
        ref = str(node["$ref"])
        name, node = ref.rsplit("/", 1)[-1], _follow(document, ref)
    return node, name


def _follow(document: Mapping[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        return MISSING
    node: Any = document
    for token in _tokens(ref[1:]):
        node = node.get(token, MISSING) if isinstance(node, Mapping) else MISSING
    return node


def group_changes(
    changes: Iterable[Change], documents: Iterable[Mapping[str, Any]] = ()
) -> list[Group]:
    """The findings grouped by sameness (see the module docstring), in first-seen order.

    Args:
        changes: The findings.
        documents: The documents as written, NEW first, where anchors are looked up.

    Returns:
        Every group, a finding made once being a group of one.
    """
    buckets: dict[tuple[str, Level, Verdict, str], list[Change]] = {}
    for change in changes:
        message = STATUS.sub("response", change.message)
        key = (change.check, change.level, change.verdict, message)
        buckets.setdefault(key, []).append(change)
    documents = list(documents)
    groups = []
    for key, members in buckets.items():
        names = set()
        for change in members if len(members) > 1 else ():
            for document in documents:
                found = anchor(document, change.pointer)
                if found:
                    names.add(found)
                    break
        groups.append(Group(tuple(members), tuple(sorted(names)), key[3]))
    return groups
