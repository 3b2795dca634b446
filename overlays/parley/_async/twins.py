"""Raw and streaming twins, made from the methods themselves.

Every public method of a resource or service is marked :func:`api_method` (it makes a call)
or :func:`stream_method` (it returns an event stream). The mark is a descriptor: looked up on
the group itself it is the method; looked up on the group's ``with_raw_response`` copy it is
the same call returning its ``AsyncAPIResponse`` (body read); on ``with_streaming_response``
it returns an ``AsyncResponseContextManager`` (body unread until asked). Nothing lists the
methods a second time: the twins of a method come with it, with its signature and docstring
(``functools.wraps``, and ``ParamSpec`` for type checkers), and the group's type parameter
(``MethodGroup[Raw]``...) tells mypy which return type a looked-up method has.

A twin runs the plain method in a mode (``parley._response.MODE``) in which the client's
request primitive hands back the answer instead of parsing it; a stream method's twin opens
its stream and hands back that answer, whose ``parse()`` is the stream. A service method that
does more with the answer than return it (``MessageService.send_message`` returns the reply's
message) says so with :func:`then`, so its twins' ``parse()`` do the same.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from types import MethodType
from typing import (
    TYPE_CHECKING,
    Any,
    Concatenate,
    Generic,
    ParamSpec,
    Self,
    TypeVar,
    cast,
    overload,
)

from .._response import MODE, MethodGroup, Mode, Raw, Streamed
from .response import AsyncAPIResponse, AsyncResponseContextManager

if TYPE_CHECKING:
    from .streaming import AsyncStream

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
U = TypeVar("U")
StreamT = TypeVar("StreamT", bound="AsyncStream[Any, Any]")


async def _in_mode(
    mode: Mode, method: Callable[..., Awaitable[Any]], args: tuple[Any, ...], kwargs: Any
) -> Any:
    token = MODE.set(mode)
    try:
        return await method(*args, **kwargs)
    finally:
        MODE.reset(token)


class _Marked:
    """What both marks share: the method, and the twin its group's mode asks for."""

    def __init__(self, function: Callable[..., Any]):
        self._function = function
        functools.update_wrapper(cast(Any, self), function)

    def _get(self, group: MethodGroup[Any] | None) -> Any:
        if group is None:
            return self
        method = MethodType(self._function, group)
        mode = group._mode
        if mode is Mode.PARSED:
            return method
        twin = self._raw(method) if mode is Mode.RAW else self._streamed(method)
        return functools.wraps(method)(twin)

    def _raw(self, method: Callable[..., Any]) -> Callable[..., Any]:
        raise NotImplementedError

    def _streamed(self, method: Callable[..., Any]) -> Callable[..., Any]:
        raise NotImplementedError


class AsyncAPIMethod(_Marked, Generic[P, R]):
    """A method that makes a call, with its raw and streaming twins (see the module).

    Args:
        function: The method (``async def``), ``self`` first.
    """

    def __init__(self, function: Callable[Concatenate[Any, P], Awaitable[R]]):
        super().__init__(function)

    @overload
    def __get__(self, group: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(
        self, group: MethodGroup[Raw], owner: type[Any]
    ) -> Callable[P, Awaitable[AsyncAPIResponse[R]]]: ...
    @overload
    def __get__(
        self, group: MethodGroup[Streamed], owner: type[Any]
    ) -> Callable[P, AsyncResponseContextManager[R]]: ...
    @overload
    def __get__(self, group: MethodGroup[Any], owner: type[Any]) -> Callable[P, Awaitable[R]]: ...
    def __get__(self, group: MethodGroup[Any] | None, owner: type[Any]) -> Any:
        return self._get(group)

    def _raw(self, method: Callable[..., Any]) -> Callable[..., Any]:
        async def raw(*args: Any, **kwargs: Any) -> Any:
            return await _in_mode(Mode.RAW, method, args, kwargs)

        return raw

    def _streamed(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def streamed(*args: Any, **kwargs: Any) -> Any:
            return AsyncResponseContextManager(lambda: _in_mode(Mode.STREAM, method, args, kwargs))

        return streamed


class AsyncStreamMethod(_Marked, Generic[P, StreamT]):
    """A method that returns an event stream, with its raw and streaming twins.

    Its raw twin opens the stream (with the stream's retries) and returns the answer, whose
    ``parse()`` is the stream reading that connection; its streaming twin does the same when
    its block is entered.

    Args:
        function: The method (a plain ``def`` returning the stream), ``self`` first.
    """

    def __init__(self, function: Callable[Concatenate[Any, P], StreamT]):
        super().__init__(function)

    @overload
    def __get__(self, group: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(
        self, group: MethodGroup[Raw], owner: type[Any]
    ) -> Callable[P, Awaitable[AsyncAPIResponse[StreamT]]]: ...
    @overload
    def __get__(
        self, group: MethodGroup[Streamed], owner: type[Any]
    ) -> Callable[P, AsyncResponseContextManager[StreamT]]: ...
    @overload
    def __get__(self, group: MethodGroup[Any], owner: type[Any]) -> Callable[P, StreamT]: ...
    def __get__(self, group: MethodGroup[Any] | None, owner: type[Any]) -> Any:
        return self._get(group)

    def _raw(self, method: Callable[..., Any]) -> Callable[..., Any]:
        async def raw(*args: Any, **kwargs: Any) -> Any:
            return await method(*args, **kwargs).open_response()

        return raw

    def _streamed(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def streamed(*args: Any, **kwargs: Any) -> Any:
            return AsyncResponseContextManager(lambda: method(*args, **kwargs).open_response())

        return streamed


def api_method(function: Callable[Concatenate[Any, P], Awaitable[R]]) -> AsyncAPIMethod[P, R]:
    """Mark a method that makes a call: its twins come with it (see the module)."""
    return AsyncAPIMethod(function)


def stream_method(
    function: Callable[Concatenate[Any, P], StreamT],
) -> AsyncStreamMethod[P, StreamT]:
    """Mark a method that returns an event stream: its twins come with it."""
    return AsyncStreamMethod(function)


async def then(result: T, transform: Callable[[T], Awaitable[U]]) -> U:
    """What a service method makes of the result of the resource method it calls.

    Args:
        result: What the resource method returned.
        transform: Makes the service method's result of it.

    Returns:
        ``transform(result)``; under a raw or streaming twin, where ``result`` is the call's
        ``AsyncAPIResponse``, that response, its ``parse()`` applying ``transform``.
    """
    if isinstance(result, AsyncAPIResponse):
        return cast(U, result._then(transform))
    return await transform(result)
