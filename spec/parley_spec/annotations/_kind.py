"""What every annotation kind has: its key, where it stands, its parser; one parsed annotation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

__all__ = ["SITES", "Annotation", "Kind", "Quote", "Site"]

T = TypeVar("T")

Site = Literal["root", "operation", "parameter", "schema", "property"]
SITES: tuple[Site, ...] = ("root", "operation", "parameter", "schema", "property")
"""Where an annotation may stand: the document's root, an operation object, a parameter
object, a component schema, or a property of a component schema."""


def _names_none(value: Any) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class Quote:
    """One sentence of the prose an annotation formalises (an item of its ``says``).

    Attributes:
        at: The JSON Pointer of the object whose ``description`` holds the sentence.
        text: The sentence, whitespace collapsed (as :func:`parley_spec.prose.sentences`
            gives it).
        pointer: Where the quote is written (``.../x-parley-order/says/0``).
    """

    at: str
    text: str
    pointer: str


@dataclass(frozen=True)
class Kind(Generic[T]):
    """One kind of promise annotation: one module of :mod:`parley_spec.annotations` each.

    Attributes:
        name: The kind's name (``order``), what reports and check ids use.
        key: The annotation's key in the document (``x-parley-order``).
        site: Where it may stand.
        parse: Makes the typed value from the annotation as written (already valid against
            the vocabulary); a key whose value is a list of promises (``x-parley-effects``)
            is parsed item by item, one :class:`Annotation` each, when ``per_item``.
        per_item: Whether each item of the written list is a promise of its own.
        names: The operationIds a typed value names (each must be in the document).
    """

    name: str
    key: str
    site: Site
    parse: Callable[[Any], T]
    per_item: bool = False
    names: Callable[[Any], tuple[str, ...]] = _names_none


@dataclass(frozen=True)
class Annotation(Generic[T]):
    """One parsed annotation of the document.

    Attributes:
        kind: The kind's name (``order``, ``filter``...).
        pointer: Where the annotation (or, per item, its item) is written.
        value: The typed value (:class:`~parley_spec.annotations.Order`...).
        raw: The value as written, without its ``says`` quotes.
        operation_id: The operation it stands on (operations and parameters), else "".
        parameter: The parameter it stands on, else "".
        schema: The component schema it stands on (schemas and properties), else "".
        property_name: The property it stands on, else "".
        says: The sentences it formalises (its ``says``; a count's, from all its terms).
    """

    kind: str
    pointer: str
    value: T
    raw: Any
    operation_id: str = ""
    parameter: str = ""
    schema: str = ""
    property_name: str = ""
    says: tuple[Quote, ...] = ()

    @property
    def subject(self) -> str:
        """What it is about, for messages.

        E.g. ``listConversations``, ``status of listConversations``,
        ``Conversation.message_count``, ``the document``.
        """
        if self.parameter:
            return f"{self.parameter} of {self.operation_id}"
        if self.operation_id:
            return self.operation_id
        if self.property_name:
            return f"{self.schema}.{self.property_name}"
        return self.schema or "the document"
