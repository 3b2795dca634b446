"""What the sync and async clients share: settings and per-call options.

A call resolves its options (``CallOptions``) once, then builds each request it sends with
``parley._operation.build_request``: the request the generated module builds, with the
client's and the call's headers (auth, the Idempotency-Key) and the call's timeout. The
clients never mutate their httpx client's own headers or timeout, so copies made by
``with_options`` share the pool without leaking settings into one another, and credentials
never reach requests that are sent through a caller's httpx client by other code.

What can be worked out once is: a client's default timeout as the request extension httpx
reads (:attr:`Settings.timeouts`), and whether its headers already carry an Idempotency-Key.
"""

from __future__ import annotations

import copy
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Any, Self, TypedDict

import httpx

from ._errors import request_id_of
from ._logging import logger, redact, setup_logging
from ._not_given import NOT_GIVEN, NotGiven
from ._operation import CallOptions, RequestSpec, Timeouts, describe, timeout_extension

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_STREAM_IDLE_TIMEOUT = 60.0

TimeoutTypes = float | httpx.Timeout | None


class RequestOptions(TypedDict, total=False):
    """Per-call options every resource method takes as keyword arguments.

    ``extra_query`` and ``extra_body`` are the bridge to parameters and body members the
    server knows but this client does not yet (until ``scripts/regenerate`` brings them in):
    they are added to what the method builds. An extra may not name something the method
    already sends: such a clash raises ``ValueError`` before anything is sent, so an explicit
    argument is never silently overridden (pass it as the argument instead).

    Attributes:
        headers: Extra headers for this call; they win over the client's (auth included).
            An ``X-Request-ID`` given here (or in ``default_headers``) is sent as the
            request's id.
        timeout: Seconds (or an ``httpx.Timeout``) for this call, instead of the client's.
        max_retries: How many times this call may be retried, instead of the client's.
        extra_query: Query parameters added to the method's.
        extra_body: Members added to the method's JSON body (or the body, when it has none).
    """

    headers: Mapping[str, str]
    timeout: TimeoutTypes
    max_retries: int
    extra_query: Mapping[str, Any]
    extra_body: Mapping[str, Any]


class StreamOptions(RequestOptions, total=False):
    """Per-call options of stream methods: those of every call, and ``idle_timeout``.

    Attributes:
        idle_timeout: Seconds the stream may go without an event before APITimeoutError.
    """

    idle_timeout: float | None


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


def log_request(request: httpx.Request) -> None:
    """Log a request about to be sent at debug level, credentials redacted."""
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "request: %s %s headers=%s",
            request.method,
            request.url,
            redact(request.headers.items()),
        )


def log_response(response: httpx.Response) -> None:
    """Log an answer at debug level, with the request id the server gave it."""
    if logger.isEnabledFor(logging.DEBUG):
        request = response.request
        logger.debug(
            "response: %s %s -> %d request_id=%s",
            request.method,
            request.url,
            response.status_code,
            request_id_of(response.headers),
        )


class ClientBase:
    """Configuration, option resolution and ``with_options`` for Parley and AsyncParley."""

    _settings: Settings

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
        api_key: str | NotGiven | None = NOT_GIVEN,
        bearer_token: str | NotGiven | None = NOT_GIVEN,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        stream_idle_timeout: float | NotGiven | None = NOT_GIVEN,
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
        if not isinstance(api_key, NotGiven) or not isinstance(bearer_token, NotGiven):
            headers.pop("X-API-Key", None)
            headers.pop("Authorization", None)
            headers.update(
                auth_headers(
                    None if isinstance(api_key, NotGiven) else api_key,
                    None if isinstance(bearer_token, NotGiven) else bearer_token,
                )
            )
        if not isinstance(default_headers, NotGiven):
            headers.update(default_headers or {})
        changes: dict[str, Any] = {"headers": headers}
        if not isinstance(timeout, NotGiven):
            changes["timeout"] = as_timeout(timeout)
        if not isinstance(max_retries, NotGiven):
            changes["max_retries"] = max_retries
        if not isinstance(stream_idle_timeout, NotGiven):
            changes["stream_idle_timeout"] = stream_idle_timeout
        clone = copy.copy(self)
        for name in [key for key in vars(clone) if not key.startswith("_")]:
            del vars(clone)[name]  # cached resources belong to the parent
        clone._settings = replace(settings, **changes)
        return clone

    def _describe(
        self,
        operation: ModuleType,
        args: tuple[Any, ...],
        kwargs: Mapping[str, Any],
        options: RequestOptions,
    ) -> RequestSpec:
        """The request of ``operation`` for these arguments, with the call's extras merged.

        Raises:
            ValueError: An extra names something the method already sends.
        """
        return describe(
            operation,
            args,
            kwargs,
            extra_query=options.get("extra_query"),
            extra_body=options.get("extra_body"),
        )

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
