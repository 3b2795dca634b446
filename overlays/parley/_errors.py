"""The exceptions every Parley client raises, keyed by HTTP status.

::

    ParleyError
    ├── APIConnectionError          the server could not be reached, or the connection broke
    │   └── APITimeoutError         a request, or a stream left idle, timed out
    ├── APIResponseValidationError  a 2xx answer whose body is not what the contract describes
    └── APIStatusError              the server answered 4xx or 5xx (an RFC 9457 Problem)
        ├── BadRequestError              400
        ├── AuthenticationError          401
        ├── PermissionDeniedError        403
        ├── NotFoundError                404
        ├── ConflictError                409
        ├── PayloadTooLargeError         413
        ├── UnprocessableEntityError     422
        ├── RateLimitError               429
        └── InternalServerError          5xx
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
from parley_client.models import Problem


class ParleyError(Exception):
    """The base of every error a Parley client raises."""


class APIConnectionError(ParleyError):
    """The request never got an answer: DNS, refused or dropped connection, broken stream.

    Attributes:
        request: The request that failed, when there was one.
    """

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request | None = None):
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """A request timed out, or a stream sent no event for longer than its idle timeout."""

    def __init__(
        self, message: str = "Request timed out.", *, request: httpx.Request | None = None
    ):
        super().__init__(message, request=request)


class APIResponseValidationError(ParleyError):
    """The server answered 2xx with a body the generated model could not parse.

    The body is not the JSON the contract describes for this operation: not JSON at all, or
    missing a required field, or a field of the wrong type.

    Attributes:
        status_code: The HTTP status, such as 200.
        headers: The response headers.
        body: The raw response body.
        request_id: The server's id for the request (its ``X-Request-ID`` header), or None.
        request: The ``httpx.Request`` that was answered (None when not known).
        response: The ``httpx.Response``, its body read (None when not known).
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        headers: Mapping[str, str],
        body: bytes = b"",
        response: httpx.Response | None = None,
    ):
        super().__init__(message)
        self.status_code = status_code
        self.headers = httpx.Headers(headers)
        self.body = body
        self.request_id = request_id_of(self.headers)
        self.response = response
        self.request: httpx.Request | None = None if response is None else response.request


class APIStatusError(ParleyError):
    """The server answered with a 4xx or 5xx status.

    ``str()`` and ``repr()`` of the error name its ``request_id``, the id to quote to whoever
    runs the server.

    Attributes:
        status_code: The HTTP status, such as 404.
        headers: The response headers (``Retry-After`` and so on).
        problem: The parsed RFC 9457 Problem Details body, or None when the body was not one.
        body: The raw response body.
        request_id: The server's id for the request: the ``X-Request-ID`` header, else the
            Problem body's ``request_id`` member, else None.
        request: The ``httpx.Request`` that was answered (None when not known).
        response: The ``httpx.Response`` (its body read); for an ``error`` event of a stream,
            the stream's answer (status 200, its body the event stream), None when not known.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        headers: Mapping[str, str],
        problem: Problem | None,
        body: bytes = b"",
        request_id: str | None = None,
        response: httpx.Response | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.headers = httpx.Headers(headers)
        self.problem = problem
        self.body = body
        self.request_id = request_id
        self.response = response
        self.request: httpx.Request | None = None if response is None else response.request

    def __str__(self) -> str:
        if self.request_id is None:
            return self.message
        return f"{self.message} (request_id: {self.request_id})"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, status_code={self.status_code},"
            f" request_id={self.request_id!r})"
        )


class BadRequestError(APIStatusError):
    """400: the request does not match the contract (see ``problem.errors``)."""


class AuthenticationError(APIStatusError):
    """401: the credentials are missing or invalid."""


class PermissionDeniedError(APIStatusError):
    """403: the credentials lack the scope the operation needs."""


class NotFoundError(APIStatusError):
    """404: no such resource, soft-deleted, or another tenant's."""


class ConflictError(APIStatusError):
    """409: the resource's state forbids this, or the same Idempotency-Key is in flight."""


class PayloadTooLargeError(APIStatusError):
    """413: the request body is larger than the server accepts (1 MiB on the reference server)."""


class UnprocessableEntityError(APIStatusError):
    """422: well formed but unprocessable, such as an Idempotency-Key reused on another body."""


class RateLimitError(APIStatusError):
    """429: too many requests; ``headers["Retry-After"]`` says when to come back."""


class InternalServerError(APIStatusError):
    """5xx: the server failed or is unavailable."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def parse_problem(body: bytes) -> Problem | None:
    """Parse a Problem Details body with the generated model, or None when it is not one."""
    data = _json_object(body)
    try:
        return None if data is None else Problem.from_dict(data)
    except (ValueError, KeyError, TypeError):
        return None


def request_id_of(headers: Mapping[str, str], body: bytes = b"") -> str | None:
    """The request id of an answer: its ``X-Request-ID`` header, else the body's member.

    Args:
        headers: The answer's headers.
        body: The answer's body, read when the header is absent: a JSON object (a Problem)
            with a string ``request_id`` member gives that member.

    Returns:
        The id, or None when the answer carries none.
    """
    found = headers.get("x-request-id") or headers.get("X-Request-ID")
    if found:
        return found
    data = _json_object(body) if body else None
    member = None if data is None else data.get("request_id")
    return member if isinstance(member, str) and member else None


def _field_problem(pointer: str, detail: str) -> str:
    """``/max_context_length: 100000 is greater than ...``; the body itself is ``body``."""
    return f"{pointer or 'body'}: {detail}"


def status_error(
    status_code: int,
    headers: Mapping[str, str],
    body: bytes = b"",
    problem: Problem | None = None,
    *,
    response: httpx.Response | None = None,
) -> APIStatusError:
    """Build the APIStatusError subclass that matches ``status_code``.

    Args:
        status_code: The HTTP status of the answer (4xx or 5xx).
        headers: The answer's headers.
        body: The raw body; parsed as a Problem when ``problem`` is not given.
        problem: The Problem already parsed by the generated client, if any.
        response: The ``httpx.Response`` answered, kept on the error with its request.

    Returns:
        The error to raise. Its message names the status, the title and either the first field
        problem (pointer and reason, and how many more there are) or the detail.
    """
    if problem is None:
        problem = parse_problem(body)
    cls = _BY_STATUS.get(status_code)
    if cls is None:
        cls = InternalServerError if status_code >= 500 else APIStatusError
    message = f"{status_code}"
    if problem is not None:
        message += f" {problem.title}"
        fields = problem.errors if isinstance(problem.errors, list) else []
        if fields:
            message += f": {_field_problem(fields[0].pointer, fields[0].detail)}"
            if len(fields) > 1:
                message += f" (and {len(fields) - 1} more in .problem.errors)"
        elif isinstance(problem.detail, str):
            message += f": {problem.detail}"
    return cls(
        message,
        status_code=status_code,
        headers=headers,
        problem=problem,
        body=body,
        request_id=request_id_of(headers, body),
        response=response,
    )
