"""What the sync and async raw responses share: the call mode and the response's metadata.

A method reached through ``with_raw_response`` or ``with_streaming_response`` runs as the
plain method does (same request building, retries, Idempotency-Key and errors), in a mode
(:data:`MODE`) that makes the client's request primitive hand back the answer wrapped in an
``APIResponse`` instead of parsing it: ``RAW`` reads the body first, ``STREAM`` reads nothing
until asked.
"""

from __future__ import annotations

import datetime
from contextvars import ContextVar
from enum import Enum
from typing import Generic, TypeVar

import httpx

from ._errors import request_id_of

R = TypeVar("R")


class Mode(Enum):
    """How a call hands back its answer."""

    PARSED = "parsed"
    RAW = "raw"
    STREAM = "stream"


MODE: ContextVar[Mode] = ContextVar("parley_response_mode", default=Mode.PARSED)


class BaseAPIResponse(Generic[R]):
    """The HTTP answer of a successful call, and the metadata a caller may want of it.

    Args:
        http_response: The final answer (after any retries).
        elapsed: Time from sending the final attempt to receiving its headers.
    """

    def __init__(self, http_response: httpx.Response, elapsed: datetime.timedelta):
        self.http_response = http_response
        self._elapsed = elapsed

    @property
    def status_code(self) -> int:
        """The HTTP status, such as 200."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers (``Retry-After``, rate limits, ``X-Request-ID``...)."""
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The server's id for this request (its ``X-Request-ID`` header), or None."""
        return request_id_of(self.http_response.headers)

    @property
    def elapsed(self) -> datetime.timedelta:
        """How long the answer took: to its last byte once the body is read, else to headers."""
        if self.http_response.is_closed:
            try:
                return self.http_response.elapsed
            except RuntimeError:
                pass
        return self._elapsed

    @property
    def url(self) -> httpx.URL:
        """The URL that was requested."""
        return self.http_response.request.url

    def __repr__(self) -> str:
        request = self.http_response.request
        return (
            f"<{type(self).__name__} [{self.status_code}] {request.method} {request.url}"
            f" request_id={self.request_id!r}>"
        )
