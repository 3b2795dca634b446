"""What the resource groups of a client (``AsyncParley``) share: the client, page fetching."""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..._base import RequestOptions
from ..._pagination import PageModel
from ..._response import MethodGroup, ModeT
from ..._shared import model, typed
from ..pagination import AsyncPage

if TYPE_CHECKING:
    from ..client import AsyncParley


class AsyncAPIResource(MethodGroup[ModeT]):
    """A group of operations (one tag of the contract) of a client (:class:`AsyncParley`).

    Its methods are marked ``api_method`` or ``stream_method``, so each has a twin in the
    group's ``with_raw_response`` and ``with_streaming_response`` (``parley._async.twins``).

    Args:
        client: The client whose request primitive the methods call.
    """

    def __init__(self, client: AsyncParley):
        self._client = client
        self._call = client._request  # bound once: no forwarding frame per call
        self._stream = client._stream

    async def _page(
        self,
        operation: ModuleType,
        cls: type[Any],
        *args: Any,
        page: int,
        options: RequestOptions,
        **kwargs: Any,
    ) -> AsyncPage[Any]:
        """The page ``page`` of a list operation, able to fetch the pages after it."""

        async def fetch(number: int) -> PageModel[Any]:
            return await self._call(
                operation, *args, page=number, cast_to=model(cls), options=options, **kwargs
            )

        def first(answer: Any) -> AsyncPage[Any]:
            return AsyncPage(typed(cls, answer), fetch)

        return await self._call(
            operation, *args, page=page, cast_to=first, options=options, **kwargs
        )
