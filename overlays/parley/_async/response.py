"""``with_raw_response`` and ``with_streaming_response``: the HTTP answer of any method.

``resource.with_raw_response.method(...)`` makes the same call as ``resource.method(...)``
(request, retries, Idempotency-Key, errors) and returns an :class:`AsyncAPIResponse` with the
body read. ``resource.with_streaming_response.method(...)`` returns an
:class:`AsyncResponseContextManager`: the request is sent when the block is entered, nothing of
the body is read until asked (``iter_bytes``, ``iter_lines``, ``parse()``...), and the answer is
closed when the block is left. For a stream method, ``parse()`` gives the stream itself,
reading the same connection.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, cast

import httpx

from .._events import CompleteT, StartT
from .._response import MODE, BaseAPIResponse, Mode

if TYPE_CHECKING:
    from .streaming import AsyncStream

P = ParamSpec("P")
R = TypeVar("R")


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
        self._parsed: list[R] = []

    async def parse(self) -> R:
        """What the plain method returns: a model, a page, a stream, or None for a 204.

        Raises:
            APIResponseValidationError: The body does not match the contract.
        """
        if not self._parsed:
            if self._read_first:
                await self.http_response.aread()
            self._parsed.append(self._parse(self.http_response))
        return self._parsed[0]

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


async def _in_mode(
    mode: Mode,
    method: Callable[P, Awaitable[R]],
    args: tuple[Any, ...],
    kwargs: Mapping[str, Any],
) -> AsyncAPIResponse[R]:
    token = MODE.set(mode)
    try:
        return cast("AsyncAPIResponse[R]", await method(*args, **kwargs))
    finally:
        MODE.reset(token)


def raw(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[AsyncAPIResponse[R]]]:
    """``method`` returning its :class:`AsyncAPIResponse`, the body read."""

    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> AsyncAPIResponse[R]:
        return await _in_mode(Mode.RAW, method, args, kwargs)

    return call


def streamed(method: Callable[P, Awaitable[R]]) -> Callable[P, AsyncResponseContextManager[R]]:
    """``method`` returning a context manager of its :class:`AsyncAPIResponse`, body unread."""

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> AsyncResponseContextManager[R]:
        return AsyncResponseContextManager(lambda: _in_mode(Mode.STREAM, method, args, kwargs))

    return call


def raw_stream(
    method: Callable[P, AsyncStream[StartT, CompleteT]],
) -> Callable[P, Awaitable[AsyncAPIResponse[AsyncStream[StartT, CompleteT]]]]:
    """A stream method returning its opened :class:`AsyncAPIResponse`; ``parse()`` is the stream."""

    @functools.wraps(method)
    async def call(
        *args: P.args, **kwargs: P.kwargs
    ) -> AsyncAPIResponse[AsyncStream[StartT, CompleteT]]:
        return await method(*args, **kwargs).open_response()

    return call


def streamed_stream(
    method: Callable[P, AsyncStream[StartT, CompleteT]],
) -> Callable[P, AsyncResponseContextManager[AsyncStream[StartT, CompleteT]]]:
    """A stream method returning a context manager of its opened :class:`AsyncAPIResponse`."""

    @functools.wraps(method)
    def call(
        *args: P.args, **kwargs: P.kwargs
    ) -> AsyncResponseContextManager[AsyncStream[StartT, CompleteT]]:
        return AsyncResponseContextManager(lambda: method(*args, **kwargs).open_response())

    return call
