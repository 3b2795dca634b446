"""Helpers the resource modules share: argument conversion and response typing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from parley_client.models import Filters, Metadata
from parley_client.types import UNSET, Unset

from .._errors import ParleyError
from .._pagination import AsyncPage, PageModel, SyncPage

if TYPE_CHECKING:
    from .._client import AsyncParley, Parley

T = TypeVar("T")
E = TypeVar("E", bound=Enum)


class SyncAPIResource:
    """A group of operations of the synchronous client."""

    def __init__(self, client: Parley):
        self._client = client
        self._call = client._request  # bound once: no forwarding frame per call

    def _page(
        self, fn: Callable[..., Any], cls: type[Any], *args: Any, page: int, **kwargs: Any
    ) -> SyncPage[Any]:
        def fetch(number: int) -> PageModel[Any]:
            return typed(cls, self._client._request(fn, *args, page=number, **kwargs))

        return SyncPage(fetch(page), fetch)


class AsyncAPIResource:
    """A group of operations of the asynchronous client."""

    def __init__(self, client: AsyncParley):
        self._client = client
        self._call = client._request  # bound once: no forwarding coroutine per call

    async def _page(
        self, fn: Callable[..., Any], cls: type[Any], *args: Any, page: int, **kwargs: Any
    ) -> AsyncPage[Any]:
        async def fetch(number: int) -> PageModel[Any]:
            return typed(cls, await self._client._request(fn, *args, page=number, **kwargs))

        return AsyncPage(await fetch(page), fetch)


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
