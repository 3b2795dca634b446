"""``with_raw_response`` and ``with_streaming_response``: the HTTP answer of any method.

``resource.with_raw_response.method(...)`` makes the same call as ``resource.method(...)``
(request, retries, Idempotency-Key, errors) and returns an :class:`AsyncAPIResponse` with the
body read. ``resource.with_streaming_response.method(...)`` returns an
:class:`AsyncResponseContextManager`: the request is sent when the block is entered, nothing of
the body is read until asked (``iter_bytes``, ``iter_lines``, ``parse()``...), and the answer is
closed when the block is left. For a stream method, ``parse()`` gives the stream itself,
reading the same connection. The twins themselves are made in ``twins``.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import Any, Generic, TypeVar, cast

import httpx

from .._response import BaseAPIResponse

R = TypeVar("R")
U = TypeVar("U")


class AsyncAPIResponse(BaseAPIResponse[R]):
    """The answer of a call made through ``with_raw_response`` or ``with_streaming_response``.

    Attributes:
        http_response: The ``httpx.Response``, after any retries.

    ``status_code``, ``headers``, ``request_id``, ``elapsed`` and ``url`` describe it;
    ``parse()`` gives exactly what the plain method returns.

    Args:
        http_response: The final answer.
        parse: Makes the method's result of the answer (its body read first unless
            ``read_first`` is False).
        elapsed: Time from sending the final attempt to receiving its headers.
        read_first: Whether ``parse()`` reads the body before parsing (not for a stream).
    """

    def __init__(
        self,
        http_response: httpx.Response,
        parse: Callable[[httpx.Response], R],
        elapsed: datetime.timedelta,
        *,
        read_first: bool = True,
    ):
        super().__init__(http_response, elapsed)
        self._parse = parse
        self._read_first = read_first
        self._steps: list[Callable[[Any], Awaitable[Any]]] = []
        self._parsed: list[R] = []

    async def parse(self) -> R:
        """What the plain method returns: a model, a page, a stream, or None for a 204.

        Raises:
            APIResponseValidationError: The body does not match the contract.
        """
        if not self._parsed:
            if self._read_first:
                await self.http_response.aread()
            parsed: Any = self._parse(self.http_response)
            for step in self._steps:
                parsed = await step(parsed)
            self._parsed.append(parsed)
        return self._parsed[0]

    def _then(self, step: Callable[[R], Awaitable[U]]) -> AsyncAPIResponse[U]:
        """This answer, whose ``parse()`` also applies ``step`` (a service's last step)."""
        self._steps.append(step)
        return cast("AsyncAPIResponse[U]", self)

    async def read(self) -> bytes:
        """The whole body, read now if it was not yet."""
        return await self.http_response.aread()

    async def text(self) -> str:
        """The whole body, decoded."""
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        """The whole body, as JSON.

        Raises:
            ValueError: The body is not JSON.
        """
        return json.loads(await self.read())

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body's bytes, as they arrive (decompressed)."""
        async for chunk in self.http_response.aiter_bytes(chunk_size):
            yield chunk

    async def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        """The body's text, as it arrives."""
        async for chunk in self.http_response.aiter_text(chunk_size):
            yield chunk

    async def iter_lines(self) -> AsyncIterator[str]:
        """The body's lines, as they arrive (an event stream's ``event:``/``data:`` lines)."""
        async for line in self.http_response.aiter_lines():
            yield line

    async def close(self) -> None:
        """Close the answer and release its connection."""
        await self.http_response.aclose()


class AsyncResponseContextManager(Generic[R]):
    """What ``with_streaming_response`` methods return: use it in ``async with``.

    Entering sends the request (with the method's retries and errors) and gives the
    :class:`AsyncAPIResponse`, its body unread; leaving closes it.

    Args:
        send: Makes the call and returns its answer.
    """

    def __init__(self, send: Callable[[], Awaitable[AsyncAPIResponse[R]]]):
        self._send = send
        self._response: AsyncAPIResponse[R] | None = None

    async def __aenter__(self) -> AsyncAPIResponse[R]:
        self._response = await self._send()
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            await self._response.close()
