"""Retry policy: exponential backoff with jitter, honouring ``Retry-After``.

Retried: connection errors and timeouts, and the statuses 408, 429 and 5xx. A request is sent
at most ``1 + max_retries`` times. The wait before retry ``n`` (from 0) is ``Retry-After``
when the answer has one (delay-seconds or an HTTP-date, capped at ``MAX_RETRY_AFTER``), else
``min(MAX_DELAY, INITIAL_DELAY * 2**n)`` less up to 25% random jitter.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol, TypeVar

import anyio
import httpx

from ._errors import APIConnectionError, APITimeoutError, request_id_of
from ._logging import logger

INITIAL_DELAY = 0.5
MAX_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
RETRYABLE_STATUSES = frozenset({408, 429})


class Answer(Protocol):
    """What the retry loop needs to know of an answer (httpx or generated Response)."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...


A = TypeVar("A", bound=Answer)
"""An answer type the retry loops (``_async/retrying.py``) return as they got it."""


def is_retryable_status(status_code: int) -> bool:
    """Whether an answer with this status is worth sending again (408, 429, 5xx)."""
    return status_code in RETRYABLE_STATUSES or status_code >= 500


def retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds to wait according to ``Retry-After``, capped at MAX_RETRY_AFTER.

    Args:
        headers: The answer's headers.
        now: The current time, for HTTP-date values (defaults to now, UTC).

    Returns:
        The delay in seconds, or None when the header is absent or unreadable.
    """
    value = headers.get("retry-after") or headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def backoff(attempt: int) -> float:
    """The exponential backoff delay before retry ``attempt`` (from 0), with jitter."""
    delay = min(MAX_DELAY, INITIAL_DELAY * 2.0**attempt)
    return delay * (1 - 0.25 * random.random())


def connection_error(exc: httpx.TransportError) -> APIConnectionError:
    """The Parley error for an httpx transport error: APITimeoutError for timeouts."""
    try:
        request: httpx.Request | None = exc.request
    except RuntimeError:
        request = None
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"Request timed out: {exc}", request=request)
    return APIConnectionError(f"Connection error: {exc}", request=request)


class Retrier:
    """Counts the attempts of one call and decides whether, and how long, to wait.

    Args:
        max_retries: How many times the call may be sent again.
        label: What the call is (``"POST /v1/conversation"``), for the log.
    """

    def __init__(self, max_retries: int, label: str):
        self.max_retries = max_retries
        self.label = label
        self.attempt = 0

    def _next(self, delay: float, reason: str) -> float:
        self.attempt += 1
        logger.info(
            "retrying %s in %.2fs (retry %d of %d): %s",
            self.label,
            delay,
            self.attempt,
            self.max_retries,
            reason,
        )
        return delay

    def after_answer(self, answer: Answer) -> float | None:
        """The wait before sending again, or None when the answer is final."""
        if not is_retryable_status(answer.status_code) or self.attempt >= self.max_retries:
            return None
        delay = retry_after(answer.headers)
        if delay is None:
            delay = backoff(self.attempt)
        request_id = request_id_of(answer.headers)
        reason = f"status {answer.status_code}"
        return self._next(delay, reason if request_id is None else f"{reason} ({request_id=})")

    def after_error(self, exc: httpx.TransportError) -> float:
        """The wait before sending again; raises the Parley error when no retry is left.

        Raises:
            APITimeoutError: The last attempt timed out.
            APIConnectionError: The last attempt failed to connect or broke.
        """
        if self.attempt >= self.max_retries:
            raise connection_error(exc) from exc
        return self._next(backoff(self.attempt), f"{type(exc).__name__}: {exc}")


def sleep(seconds: float) -> None:
    """Wait before a retry (tests replace this)."""
    time.sleep(seconds)


async def async_sleep(seconds: float) -> None:
    """Wait before a retry without blocking the event loop (tests replace this)."""
    await anyio.sleep(seconds)
