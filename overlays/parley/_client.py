"""The clients: :class:`Parley` (sync) and :class:`AsyncParley`.

Both wrap the generated ``AuthenticatedClient`` and send every call through a generated
``*_detailed`` function, with retries, error mapping and per-call options added around it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from functools import cached_property
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import httpx
from parley_client import AuthenticatedClient
from parley_client.types import Response

from . import _retries
from ._base import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_STREAM_IDLE_TIMEOUT,
    DEFAULT_TIMEOUT,
    ClientBase,
    RequestOptions,
    StreamOptions,
    TimeoutTypes,
    bind,
    install_hooks,
    unbind,
)
from ._events import CompleteT, StartT, StreamKind
from ._resources import (
    AgentConversations,
    Agents,
    Analytics,
    AsyncAgentConversations,
    AsyncAgents,
    AsyncAnalytics,
    AsyncConversations,
    AsyncMessages,
    AsyncQa,
    Conversations,
    Messages,
    Qa,
)
from ._response import operation, outcome, salvage
from ._streaming import AsyncStream, Stream, StreamRequest

HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)


class _Parley(ClientBase, Generic[HttpT]):
    _http: HttpT

    def __init__(
        self,
        base_url: str | None = None,
        *,
        api_key: str | None = None,
        bearer_token: str | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: HttpT | None = None,
        stream_idle_timeout: float | None = DEFAULT_STREAM_IDLE_TIMEOUT,
        server_url: str | None = None,
        bearer_auth: str | None = None,
    ):
        self._configure(
            base_url or server_url,
            api_key=api_key,
            bearer_token=bearer_token or bearer_auth,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            stream_idle_timeout=stream_idle_timeout,
        )
        self._http = http_client if http_client is not None else self._new_http()
        if not str(self._http.base_url):
            self._http.base_url = httpx.URL(self._settings.base_url)
        install_hooks(self._http)
        self._api = AuthenticatedClient(base_url=self._settings.base_url, token="")

    def _new_http(self) -> HttpT:
        raise NotImplementedError

    def _stream_request(self, kwargs: Mapping[str, Any], options: StreamOptions) -> StreamRequest:
        call = self._call_options(options, idempotent=True)
        idle = options.get("idle_timeout", self._settings.stream_idle_timeout)
        return StreamRequest(kwargs["method"], kwargs["url"], kwargs.get("json"), call, idle)


class Parley(_Parley[httpx.Client]):
    """The synchronous Parley client.

    Args:
        base_url: The server, such as ``http://127.0.0.1:8080`` (or ``PARLEY_BASE_URL``).
        api_key: Sent as ``X-API-Key`` (default ``PARLEY_API_KEY``).
        bearer_token: A JWT, sent as ``Authorization: Bearer ...`` when no api_key is given.
        timeout: Seconds, or an ``httpx.Timeout``, per request (default 60s, connect 5s).
        max_retries: Retries of a failed request (default 2).
        default_headers: Headers sent with every request.
        http_client: An ``httpx.Client`` to send through; its base URL is set when empty.
        stream_idle_timeout: Seconds a stream may go without an event (default 60).
        server_url: Alias of ``base_url``.
        bearer_auth: Alias of ``bearer_token``.

    Example:
        >>> with Parley("http://127.0.0.1:8080", api_key="pk_...") as client:  # doctest: +SKIP
        ...     conversation = client.conversations.create_conversation(agent_id)
    """

    def _new_http(self) -> httpx.Client:
        return httpx.Client(base_url=self._settings.base_url, timeout=self._settings.timeout)

    def _generated(self) -> AuthenticatedClient:
        # Sends through the shared pool; auth and options come from the bound call options.
        return self._api.set_httpx_client(self._http)

    @cached_property
    def conversations(self) -> Conversations:
        """Conversation lifecycle, history and soft delete (tag ``conversations``)."""
        return Conversations(self)

    @cached_property
    def messages(self) -> Messages:
        """Send, stream, rate, delete and restore messages (tag ``messages``)."""
        return Messages(self)

    @cached_property
    def analytics(self) -> Analytics:
        """Per-conversation analytics (tag ``analytics``)."""
        return Analytics(self)

    @cached_property
    def agents(self) -> Agents:
        """The agents conversations talk to (tag ``agents``)."""
        return Agents(self)

    @cached_property
    def qa(self) -> Qa:
        """Question-and-answer history (tag ``qa``)."""
        return Qa(self)

    @cached_property
    def agent_conversations(self) -> AgentConversations:
        """Conversations with a configured agent (tag ``agent-conversations``)."""
        return AgentConversations(self)

    def close(self) -> None:
        """Close the connection pool (shared with every ``with_options`` copy)."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _request(
        self,
        fn: Callable[..., Response[Any]],
        *args: Any,
        options: RequestOptions,
        post: bool = False,
        **kwargs: Any,
    ) -> Any:
        call = self._call_options(options, idempotent=post)
        api = self._generated()

        def send() -> Response[Any]:
            call.last_response = None
            try:
                return fn(*args, client=api, **kwargs)
            except (ValueError, KeyError, TypeError) as exc:
                return salvage(call, exc)

        token = bind(call)
        try:
            return outcome(_retries.run(send, _retries.Retrier(call.max_retries, operation(fn))))
        finally:
            unbind(token)

    def _stream(
        self, kwargs: Mapping[str, Any], kind: StreamKind[StartT, CompleteT], options: StreamOptions
    ) -> Stream[StartT, CompleteT]:
        return Stream(self._http, self._stream_request(kwargs, options), kind)


class AsyncParley(_Parley[httpx.AsyncClient]):
    """The asynchronous Parley client; the same arguments as :class:`Parley`.

    ``http_client`` is an ``httpx.AsyncClient``. Use ``async with AsyncParley(...) as client``
    and ``await`` every resource method.
    """

    def _new_http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self._settings.base_url, timeout=self._settings.timeout)

    def _generated(self) -> AuthenticatedClient:
        return self._api.set_async_httpx_client(self._http)

    @cached_property
    def conversations(self) -> AsyncConversations:
        """Conversation lifecycle, history and soft delete (tag ``conversations``)."""
        return AsyncConversations(self)

    @cached_property
    def messages(self) -> AsyncMessages:
        """Send, stream, rate, delete and restore messages (tag ``messages``)."""
        return AsyncMessages(self)

    @cached_property
    def analytics(self) -> AsyncAnalytics:
        """Per-conversation analytics (tag ``analytics``)."""
        return AsyncAnalytics(self)

    @cached_property
    def agents(self) -> AsyncAgents:
        """The agents conversations talk to (tag ``agents``)."""
        return AsyncAgents(self)

    @cached_property
    def qa(self) -> AsyncQa:
        """Question-and-answer history (tag ``qa``)."""
        return AsyncQa(self)

    @cached_property
    def agent_conversations(self) -> AsyncAgentConversations:
        """Conversations with a configured agent (tag ``agent-conversations``)."""
        return AsyncAgentConversations(self)

    async def close(self) -> None:
        """Close the connection pool (shared with every ``with_options`` copy)."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _request(
        self,
        fn: Callable[..., Awaitable[Response[Any]]],
        *args: Any,
        options: RequestOptions,
        post: bool = False,
        **kwargs: Any,
    ) -> Any:
        call = self._call_options(options, idempotent=post)
        api = self._generated()

        async def send() -> Response[Any]:
            call.last_response = None
            try:
                return await fn(*args, client=api, **kwargs)
            except (ValueError, KeyError, TypeError) as exc:
                return salvage(call, exc)

        token = bind(call)
        try:
            answer = await _retries.arun(send, _retries.Retrier(call.max_retries, operation(fn)))
            return outcome(answer)
        finally:
            unbind(token)

    def _stream(
        self, kwargs: Mapping[str, Any], kind: StreamKind[StartT, CompleteT], options: StreamOptions
    ) -> AsyncStream[StartT, CompleteT]:
        return AsyncStream(self._http, self._stream_request(kwargs, options), kind)
