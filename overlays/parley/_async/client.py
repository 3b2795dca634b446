"""``AsyncParley``: the client over ``httpx.AsyncClient``, and its request primitive.

Every resource method describes its request with a generated operation module (see
:mod:`parley._operation`) and hands it to :meth:`AsyncParley._request`, which sends it with the
call's options and retries, maps an error status to its exception, and either parses the
answer or, for ``with_raw_response`` and ``with_streaming_response``, wraps it in an
``AsyncAPIResponse``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from functools import cached_property
from types import ModuleType, TracebackType
from typing import Any, Self, TypeVar, cast

import httpx

from .._base import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_STREAM_IDLE_TIMEOUT,
    DEFAULT_TIMEOUT,
    ClientBase,
    RequestOptions,
    StreamOptions,
    TimeoutTypes,
    log_request,
    log_response,
)
from .._errors import status_error
from .._events import CompleteT, StartT, StreamKind
from .._operation import build_request, label, parse
from .._response import MODE, Mode
from .._retries import Retrier
from .._streaming import StreamRequest
from .resources import (
    AsyncAgentConversations,
    AsyncAgents,
    AsyncAnalytics,
    AsyncConversations,
    AsyncMessages,
    AsyncQa,
)
from .response import AsyncAPIResponse
from .retrying import run
from .streaming import AsyncStream

T = TypeVar("T")


class AsyncParley(ClientBase):
    """A Parley client over ``httpx.AsyncClient``; use it as a context manager.

    Args:
        base_url: The server, such as ``http://127.0.0.1:8080`` (or ``PARLEY_BASE_URL``).
        api_key: Sent as ``X-API-Key`` (default ``PARLEY_API_KEY``).
        bearer_token: A JWT, sent as ``Authorization: Bearer ...`` when no api_key is given.
        timeout: Seconds, or an ``httpx.Timeout``, per request (default 60s, connect 5s).
        max_retries: Retries of a failed request (default 2).
        default_headers: Headers sent with every request (an ``X-Request-ID`` here is sent as
            every request's id).
        http_client: An ``httpx.AsyncClient`` to send through; its base URL is set when empty.
        stream_idle_timeout: Seconds a stream may go without an event (default 60).
        server_url: Alias of ``base_url``.
        bearer_auth: Alias of ``bearer_token``.

    Raises:
        ValueError: No base URL was given and ``PARLEY_BASE_URL`` is not set.

    Example:
        >>> async with AsyncParley(base_url, api_key="pk_...") as client:  # doctest: +SKIP
        ...     conversation = await client.conversations.create_conversation(agent_id)
    """

    _http: httpx.AsyncClient

    def __init__(
        self,
        base_url: str | None = None,
        *,
        api_key: str | None = None,
        bearer_token: str | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
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
        settings = self._settings
        if http_client is None:
            http_client = httpx.AsyncClient(base_url=settings.base_url, timeout=settings.timeout)
        elif not str(http_client.base_url):
            http_client.base_url = httpx.URL(settings.base_url)
        self._http = http_client

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
        operation: ModuleType,
        *args: Any,
        cast_to: Callable[[Any], T],
        options: RequestOptions,
        post: bool = False,
        **kwargs: Any,
    ) -> T:
        """Send one operation's request with retries; parse its answer with ``cast_to``.

        Args:
            operation: The generated operation module.
            *args: Its path parameters.
            cast_to: What the method makes of the parsed model (a type check, a page).
            options: The call's per-call options.
            post: Whether the call gets an Idempotency-Key (one for all its attempts).
            **kwargs: The operation's other arguments (``body``, query parameters).

        Returns:
            ``cast_to`` of the parsed answer; in the ``RAW`` or ``STREAM`` mode of
            ``with_raw_response``/``with_streaming_response``, the ``AsyncAPIResponse``.

        Raises:
            APIStatusError: A 4xx or 5xx answer, after any retries.
            APIConnectionError: No answer after the retries.
            APIResponseValidationError: A 2xx whose body does not match the contract.
            ValueError: ``extra_query``/``extra_body`` name what the method already sends.
        """
        spec = self._describe(operation, args, kwargs, options)
        call = self._call_options(options, idempotent=post)
        request = build_request(self._http, spec, call)
        mode = MODE.get()
        elapsed = timedelta()

        async def send() -> httpx.Response:
            nonlocal elapsed
            log_request(request)
            started = time.monotonic()
            response = await self._http.send(request, stream=True)
            if mode is not Mode.PARSED:
                elapsed = timedelta(seconds=time.monotonic() - started)
            log_response(response)
            if mode is not Mode.STREAM or not response.is_success:
                try:
                    await response.aread()
                except BaseException:
                    await response.aclose()  # a body broken mid-way: free the connection
                    raise
            return response

        response = await run(send, Retrier(call.max_retries, label(operation)))
        if not response.is_success:
            raise status_error(
                response.status_code, response.headers, response.content, response=response
            )
        if mode is Mode.PARSED:
            return cast_to(parse(operation, response))
        return cast(
            T, AsyncAPIResponse(response, lambda answer: cast_to(parse(operation, answer)), elapsed)
        )

    def _stream(
        self,
        operation: ModuleType,
        *args: Any,
        kind: StreamKind[StartT, CompleteT],
        options: StreamOptions,
        **kwargs: Any,
    ) -> AsyncStream[StartT, CompleteT]:
        """A stream of ``operation``'s events; nothing is sent before it is read.

        Raises:
            ValueError: ``extra_query``/``extra_body`` name what the method already sends.
        """
        spec = self._describe(operation, args, kwargs, options)
        call = self._call_options(options, idempotent=True)
        idle = options.get("idle_timeout", self._settings.stream_idle_timeout)
        return AsyncStream(self._http, StreamRequest(spec, call, idle), kind)
