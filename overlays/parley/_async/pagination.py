"""``AsyncPage``: a page of a v1 list that fetches the pages after it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from .._errors import ParleyError
from .._pagination import BasePage, PageModel

T = TypeVar("T")


class AsyncPage(BasePage[T]):
    """One page of a v1 list, from which the following pages can be fetched.

    ``len(page)`` counts this page's items; ``async for item in page`` walks every item of it
    and of the pages after it, fetching lazily, one request per page.

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
