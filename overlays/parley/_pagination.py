"""What the page objects of the v1 list operations share (``SyncPage`` and ``AsyncPage``).

The envelope is ``{items, page, per_page, total, pages}``. ``len(page)`` is the number of items
on that page. Iterating a page walks every item of it and of the pages after it, fetching
lazily, one request per page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class PageModel(Protocol[T_co]):
    """What the generated page models (ConversationPage, MessagePage, AgentPage) share."""

    @property
    def items(self) -> Sequence[T_co]: ...

    @property
    def page(self) -> int: ...

    @property
    def per_page(self) -> int: ...

    @property
    def total(self) -> int: ...

    @property
    def pages(self) -> int: ...


class BasePage(Generic[T]):
    """What the sync and async pages share: the page's items and counts."""

    def __init__(self, model: PageModel[T]):
        self._model = model

    @property
    def items(self) -> list[T]:
        """The items on this page."""
        return list(self._model.items)

    @property
    def page(self) -> int:
        """This page's number, from 1."""
        return self._model.page

    @property
    def per_page(self) -> int:
        """The page size that was asked for."""
        return self._model.per_page

    @property
    def total(self) -> int:
        """How many items there are across all pages."""
        return self._model.total

    @property
    def pages(self) -> int:
        """How many pages there are (0 when there are no items)."""
        return self._model.pages

    def has_next_page(self) -> bool:
        """Whether a page follows this one."""
        return bool(self._model.items) and self.page < self.pages

    def __len__(self) -> int:
        return len(self._model.items)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(page={self.page}, per_page={self.per_page}, "
            f"total={self.total}, pages={self.pages}, items={len(self)})"
        )
