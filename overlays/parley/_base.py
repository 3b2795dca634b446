"""What the sync and async clients share: settings, per-call options and request hooks.

The generated functions send through the client's httpx client and take no per-call headers
or timeout. A call therefore puts its options (:class:`CallOptions`) in a context variable for
its duration, and request hooks installed on the httpx client apply them to each request the
call sends: auth and custom headers, the Idempotency-Key, and the timeout. The clients never
mutate their httpx client's own headers or timeout, so copies made by ``with_options`` share
the pool without leaking settings into one another, and credentials never reach requests that
are sent through a caller's httpx client by other code.

What can be worked out once is: a client's default timeout as the request extension httpx
reads (:attr:`Settings.timeouts`), and whether its headers already carry an Idempotency-Key.
"""

from __future__ import annotations

import copy
import logging
import os
from collections.abc import Mapping
from contextvars import ContextVar, Token
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Self, TypedDict

import httpx

from ._logging import logger, redact, setup_logging

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_STREAM_IDLE_TIMEOUT = 60.0

TimeoutTypes = float | httpx.Timeout | None


class RequestOptions(TypedDict, total=False):
    """Per-call options every resource method takes as keyword arguments.

    Attributes:
        headers: Extra headers for this call; they win over the client's (auth included).
        timeout: Seconds (or an ``httpx.Timeout``) for this call, instead of the client's.
        max_retries: How many times this call may be retried, instead of the client's.
    """

    headers: Mapping[str, str]
    timeout: TimeoutTypes
    max_retries: int


class StreamOptions(RequestOptions, total=False):
    """Per-call options of stream methods: those of every call, and ``idle_timeout``.

    Attributes:
        idle_timeout: Seconds the stream may go without an event before APITimeoutError.
    """

    idle_timeout: float | None


class _NotGiven:
    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Any = _NotGiven()


Timeouts = Mapping[str, float | None]


def timeout_extension(timeout: httpx.Timeout) -> Timeouts:
    """``timeout`` as the read-only ``timeout`` request extension that httpx transports read."""
    return MappingProxyType(timeout.as_dict())


def has_idempotency_key(headers: Mapping[str, str]) -> bool:
    """Whether ``headers`` has an ``Idempotency-Key`` (in any letter case)."""
    return any(name.lower() == "idempotency-key" for name in headers)


@dataclass(frozen=True)
class Settings:
    """A client's configuration; ``with_options`` makes a changed copy.

    Attributes:
        timeouts: ``timeout`` as the request extension, built once and shared by every call
            that keeps the default timeout (read-only, so no call can change it for others).
        keyed: Whether ``headers`` already has an Idempotency-Key of its own.
    """

    base_url: str
    headers: Mapping[str, str]
    timeout: httpx.Timeout
    max_retries: int
    stream_idle_timeout: float | None
    timeouts: Timeouts = field(init=False, repr=False, compare=False)
    keyed: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "timeouts", timeout_extension(self.timeout))
        object.__setattr__(self, "keyed", has_idempotency_key(self.headers))


@dataclass
class CallOptions:
    """The resolved options of one call, applied by the request hooks to what it sends.

    Attributes:
        headers: Every header the call adds: the client's, then the call's own.
        timeout: The call's timeout.
        max_retries: How many times the call may be retried.
        timeouts: ``timeout`` as the request extension (computed when not given).
        last_response: The last answer received, recorded by the response hook.
    """

    headers: dict[str, str]
    timeout: httpx.Timeout
    max_retries: int
    timeouts: Timeouts | None = field(default=None, repr=False)
    last_response: httpx.Response | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.timeouts is None:
            self.timeouts = timeout_extension(self.timeout)


_CURRENT: ContextVar[CallOptions | None] = ContextVar("parley_call_options", default=None)


def as_timeout(value: TimeoutTypes) -> httpx.Timeout:
    """Normalise a timeout given as seconds, None (no limit) or an ``httpx.Timeout``."""
    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)


def auth_headers(api_key: str | None, bearer_token: str | None) -> dict[str, str]:
    """The credential headers: ``X-API-Key`` for an API key, else a Bearer ``Authorization``."""
    if api_key:
        return {"X-API-Key": api_key}
    if bearer_token:
        return {"Authorization": f"Bearer {bearer_token}"}
    return {}


# The RFC 9562 variant digit (8, 9, a or b) for each random hex digit in its place.
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def new_idempotency_key() -> str:
    """A random (version 4) UUID as text, twice as fast as ``str(uuid.uuid4())``."""
    d = os.urandom(16).hex()
    return f"{d[:8]}-{d[8:12]}-4{d[13:16]}-{_VARIANT[d[16]]}{d[17:20]}-{d[20:]}"


def apply_call(request: httpx.Request, call: CallOptions | None = None) -> None:
    """Apply a call's headers and timeout to one outgoing request, and log it."""
    call = call or _CURRENT.get()
    if call is None:
        return
    headers = request.headers
    for name, value in call.headers.items():
        headers[name] = value  # one by one: far cheaper than Headers.update
    request.extensions["timeout"] = call.timeouts
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "request: %s %s headers=%s", request.method, request.url, redact(headers.items())
        )


def _record(response: httpx.Response) -> None:
    call = _CURRENT.get()
    if call is not None:
        call.last_response = response
    if logger.isEnabledFor(logging.DEBUG):
        request = response.request
        logger.debug("response: %s %s -> %d", request.method, request.url, response.status_code)


async def _async_request_hook(request: httpx.Request) -> None:
    apply_call(request)


async def _async_response_hook(response: httpx.Response) -> None:
    _record(response)


def install_hooks(http: httpx.Client | httpx.AsyncClient) -> None:
    """Add the per-call hooks to an httpx client, once."""
    hooks = http.event_hooks
    if isinstance(http, httpx.AsyncClient):
        request_hook: Any = _async_request_hook
        response_hook: Any = _async_response_hook
    else:
        request_hook, response_hook = apply_call, _record  # as they are: one frame fewer
    if request_hook not in hooks["request"]:
        hooks["request"].append(request_hook)
        hooks["response"].append(response_hook)
    http.event_hooks = hooks


class ClientBase:
    """Configuration, option resolution and ``with_options`` for Parley and AsyncParley."""

    _settings: Settings
    _owns_http: bool

    def _configure(
        self,
        base_url: str | None,
        *,
        api_key: str | None,
        bearer_token: str | None,
        timeout: TimeoutTypes,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        stream_idle_timeout: float | None,
    ) -> None:
        setup_logging()
        base_url = base_url or os.environ.get("PARLEY_BASE_URL")
        if not base_url:
            raise ValueError("base_url is required (or set PARLEY_BASE_URL)")
        if api_key is None and bearer_token is None:
            api_key = os.environ.get("PARLEY_API_KEY")
        headers = {**auth_headers(api_key, bearer_token), **(default_headers or {})}
        self._settings = Settings(
            base_url=base_url.rstrip("/"),
            headers=headers,
            timeout=as_timeout(timeout),
            max_retries=max_retries,
            stream_idle_timeout=stream_idle_timeout,
        )

    @property
    def base_url(self) -> str:
        """The server's base URL, such as ``http://127.0.0.1:8080``."""
        return self._settings.base_url

    @property
    def max_retries(self) -> int:
        """How many times a failed call is retried by default."""
        return self._settings.max_retries

    @property
    def timeout(self) -> httpx.Timeout:
        """The default timeout of a call."""
        return self._settings.timeout

    def with_options(
        self,
        *,
        api_key: str | None = NOT_GIVEN,
        bearer_token: str | None = NOT_GIVEN,
        timeout: TimeoutTypes = NOT_GIVEN,
        max_retries: int = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = NOT_GIVEN,
        stream_idle_timeout: float | None = NOT_GIVEN,
    ) -> Self:
        """Return a copy with other settings that shares this client's connection pool.

        The parent client is left as it was. Closing either closes the shared pool.

        Args:
            api_key: Send this ``X-API-Key`` instead of the current credential.
            bearer_token: Send this Bearer token instead of the current credential.
            timeout: The copy's default timeout.
            max_retries: The copy's default retry count.
            default_headers: Headers added to (and overriding) the current default headers.
            stream_idle_timeout: Seconds a stream may go without an event.

        Returns:
            The configured copy.
        """
        settings = self._settings
        headers = dict(settings.headers)
        if api_key is not NOT_GIVEN or bearer_token is not NOT_GIVEN:
            headers.pop("X-API-Key", None)
            headers.pop("Authorization", None)
            headers.update(
                auth_headers(
                    None if api_key is NOT_GIVEN else api_key,
                    None if bearer_token is NOT_GIVEN else bearer_token,
                )
            )
        if default_headers is not NOT_GIVEN:
            headers.update(default_headers or {})
        changes: dict[str, Any] = {"headers": headers}
        if timeout is not NOT_GIVEN:
            changes["timeout"] = as_timeout(timeout)
        if max_retries is not NOT_GIVEN:
            changes["max_retries"] = max_retries
        if stream_idle_timeout is not NOT_GIVEN:
            changes["stream_idle_timeout"] = stream_idle_timeout
        clone = copy.copy(self)
        for name in [key for key in vars(clone) if not key.startswith("_")]:
            del vars(clone)[name]  # cached resources belong to the parent
        clone._settings = replace(settings, **changes)
        return clone

    def _call_options(self, options: RequestOptions, *, idempotent: bool) -> CallOptions:
        """Resolve a call's options; a POST gets one Idempotency-Key for all its attempts."""
        settings = self._settings
        own = options.get("headers")
        headers = {**settings.headers, **own} if own else dict(settings.headers)
        if idempotent and not (settings.keyed or (own and has_idempotency_key(own))):
            headers["Idempotency-Key"] = new_idempotency_key()
        if "timeout" in options:
            timeout = as_timeout(options["timeout"])
            return CallOptions(headers, timeout, options.get("max_retries", settings.max_retries))
        return CallOptions(
            headers,
            settings.timeout,
            options.get("max_retries", settings.max_retries),
            settings.timeouts,
        )


def bind(call: CallOptions) -> Token[CallOptions | None]:
    """Make ``call`` the current call's options; returns the token for :func:`unbind`."""
    return _CURRENT.set(call)


def unbind(token: Token[CallOptions | None]) -> None:
    """Restore the options that were current before :func:`bind`."""
    _CURRENT.reset(token)
