"""What the sync and async raw responses share: the call mode and the response's metadata.

A method reached through ``with_raw_response`` or ``with_streaming_response`` runs as the
plain method does (same request building, retries, Idempotency-Key and errors), in a mode
(:data:`MODE`) that makes the client's request primitive hand back the answer wrapped in an
``APIResponse`` instead of parsing it: ``RAW`` reads the body first, ``STREAM`` reads nothing
until asked.

The mode is a type too: a resource or service is a :class:`MethodGroup` whose type parameter
says how its methods answer (:class:`Parsed`, :class:`Raw` or :class:`Streamed`), so
``client.conversations.with_raw_response`` is an ``AsyncConversations[Raw]`` whose methods
are typed as returning ``AsyncAPIResponse`` (``parley._async.twins``).
"""

from __future__ import annotations

import copy
import datetime
from contextvars import ContextVar
from enum import Enum
from typing import Generic, Self

import httpx
from typing_extensions import TypeVar

from ._errors import request_id_of

R = TypeVar("R")


class Mode(Enum):
    """How a call hands back its answer."""

    PARSED = "parsed"
    RAW = "raw"
    STREAM = "stream"


MODE: ContextVar[Mode] = ContextVar("parley_response_mode", default=Mode.PARSED)


class Parsed:
    """Type parameter of a :class:`MethodGroup` whose methods return their parsed result."""


class Raw:
    """Type parameter of a ``with_raw_response`` group: methods return the read answer."""


class Streamed:
    """Type parameter of a ``with_streaming_response`` group: methods return a context manager."""


ModeT = TypeVar("ModeT", default=Parsed)


class MethodGroup(Generic[ModeT]):
    """A resource or service: methods marked ``api_method``/``stream_method`` (``twins``).

    Its ``with_raw_response`` and ``with_streaming_response`` are copies of it in another
    mode (:meth:`_twin`), sharing its client; the marked methods read the mode when looked up.
    """

    _mode = Mode.PARSED

    def _twin(self, mode: Mode) -> Self:
        """A copy of this group whose methods answer in ``mode``."""
        twin = copy.copy(self)
        twin._mode = mode
        return twin


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
