"""Helpers the resource modules share: argument conversion and response typing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from functools import partial
from typing import Any, TypeVar
from uuid import UUID

from parley_client.models import Filters, Metadata
from parley_client.types import UNSET, Unset

from ._errors import ParleyError

T = TypeVar("T")
E = TypeVar("E", bound=Enum)


def typed(cls: type[T], value: Any) -> T:
    """Check that the generated client parsed the model that the contract promises.

    Raises:
        ParleyError: The 2xx answer did not parse as ``cls``.
    """
    if not isinstance(value, cls):
        raise ParleyError(f"Expected {cls.__name__} in the answer, got {type(value).__name__}")
    return value


def typed_list(cls: type[T], value: Any) -> list[T]:
    """Like :func:`typed`, for an answer that is a JSON array of ``cls``."""
    if not isinstance(value, list) or not all(isinstance(item, cls) for item in value):
        raise ParleyError(f"Expected a list of {cls.__name__} in the answer")
    return value


def model(cls: type[T]) -> Callable[[Any], T]:
    """What a method does with the parsed answer: check it is ``cls`` (see :func:`typed`)."""
    return partial(typed, cls)


def models(cls: type[T]) -> Callable[[Any], list[T]]:
    """Like :func:`model`, for an answer that is a JSON array of ``cls``."""
    return partial(typed_list, cls)


def nothing(value: object) -> None:
    """What a method does with the parsed answer of a 204: drop it."""


def as_uuid(value: str | UUID, name: str = "id") -> UUID:
    """An id as the generated functions take it, checked before any request is sent.

    Args:
        value: A ``uuid.UUID`` or its string form (any case, with or without braces/hyphens).
        name: The parameter's name, for the error message.

    Raises:
        TypeError: ``value`` is neither a ``str`` nor a ``uuid.UUID`` (a model object, say).
        ValueError: ``value`` is a string that is not a UUID.
    """
    if isinstance(value, UUID):
        return value
    if not isinstance(value, str):
        hint = " (pass its .id)" if hasattr(value, "id") else ""
        raise TypeError(f"{name} must be a str or uuid.UUID, got {type(value).__name__}{hint}")
    try:
        return UUID(value)
    except ValueError:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise ValueError(
            f"{name} must be a UUID such as '3f1c2a9e-7b4d-4c1e-9a2f-5d6e7f8a9b0c', got {shown!r}"
        ) from None


def opt_uuid(value: str | UUID | None, name: str = "id") -> UUID | Unset:
    """An optional id; None is left out of the request (see :func:`as_uuid`)."""
    return UNSET if value is None else as_uuid(value, name)


def opt(value: T | None) -> T | Unset:
    """An optional field; None is left out of the request."""
    return UNSET if value is None else value


def opt_enum(cls: type[E], value: E | str | None) -> E | Unset:
    """An optional enum field given as the enum or its string value."""
    return UNSET if value is None else cls(value)


def opt_metadata(value: Mapping[str, Any] | Metadata | None) -> Metadata | Unset:
    """Conversation metadata given as a dict (or the generated Metadata model)."""
    if value is None:
        return UNSET
    return value if isinstance(value, Metadata) else Metadata.from_dict(dict(value))


def opt_filters(value: Mapping[str, Any] | Filters | None) -> Filters | Unset:
    """Agent-conversation filters given as ``{"apps": [...], "kb": [...]}`` or a Filters."""
    if value is None:
        return UNSET
    return value if isinstance(value, Filters) else Filters.from_dict(dict(value))
