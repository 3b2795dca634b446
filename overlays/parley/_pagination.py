"""Page objects for the v1 list operations (envelope ``{items, page, per_page, total, pages}``).

``len(page)`` is the number of items on that page. Iterating a page walks every item of it and
of the pages after it, fetching lazily, one request per page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Generic, Protocol, TypeVar

from ._errors import ParleyError

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


class _BasePage(Generic[T]):
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


class SyncPage(_BasePage[T]):
    """One page of a v1 list, from which the following pages can be fetched.

    Args:
        model: The generated page model this page wraps.
        fetch: Fetches the page with the given number, with the same filters and options.
    """

    def __init__(self, model: PageModel[T], fetch: Callable[[int], PageModel[T]]):
        super().__init__(model)
        self._fetch = fetch

    def get_next_page(self) -> SyncPage[T]:
        """Fetch the page after this one (check :meth:`has_next_page` first).

        Raises:
            ParleyError: There is no next page.
            APIStatusError: The server refused the request.
        """
        if not self.has_next_page():
            raise ParleyError("There is no next page")
        return SyncPage(self._fetch(self.page + 1), self._fetch)

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        """Yield this page and every page after it."""
        page = self
        yield page
        while page.has_next_page():
            page = page.get_next_page()
            yield page

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPage(_BasePage[T]):
    """Async mirror of :class:`SyncPage`: ``await page.get_next_page()``, ``async for``.

    Args:
        model: The generated page model this page wraps.
        fetch: Fetches the page with the given number, with the same filters and options.
    """

    def __init__(self, model: PageModel[T], fetch: Callable[[int], Awaitable[PageModel[T]]]):
        super().__init__(model)
        self._fetch = fetch

    async def get_next_page(self) -> AsyncPage[T]:
        """Fetch the page after this one (check :meth:`has_next_page` first).

        Raises:
            ParleyError: There is no next page.
            APIStatusError: The server refused the request.
        """
        if not self.has_next_page():
            raise ParleyError("There is no next page")
        return AsyncPage(await self._fetch(self.page + 1), self._fetch)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """Yield this page and every page after it."""
        page = self
        yield page
        while page.has_next_page():
            page = await page.get_next_page()
            yield page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item
