"""Turning a generated ``Response`` into the parsed model or the matching error."""

from __future__ import annotations

from functools import cache
from http import HTTPStatus
from typing import Any

from parley_client.models import Problem
from parley_client.types import Response

from ._base import CallOptions
from ._errors import APIResponseValidationError, status_error


def salvage(call: CallOptions, exc: Exception) -> Response[Any]:
    """Turn an error answer the generated parser choked on into a plain Response.

    The generated functions parse every documented error body as a Problem; a body that is not
    one (an HTML 503 from a proxy) makes them raise. The raw answer, recorded by the response
    hook, still lets the retry loop and the error mapping do their work.

    Raises:
        APIResponseValidationError: The answer was a 2xx whose body did not parse.
        Exception: ``exc`` again when no answer was received (it failed before sending).
    """
    raw = call.last_response
    if raw is None:
        raise exc
    if raw.is_success:
        raise APIResponseValidationError(
            f"{raw.status_code} answer to {raw.request.method} {raw.request.url.path} does not"
            f" match the contract: {type(exc).__name__}: {exc}",
            status_code=raw.status_code,
            headers=raw.headers,
            body=raw.content,
        ) from exc
    return Response(
        status_code=HTTPStatus(raw.status_code),
        content=raw.content,
        headers=raw.headers,
        parsed=None,
    )


def outcome(answer: Response[Any]) -> Any:
    """The parsed body of a 2xx answer (None for 204).

    Raises:
        APIStatusError: The subclass matching the status of a 4xx or 5xx answer.
    """
    status = int(answer.status_code)
    if 200 <= status < 300:
        return answer.parsed
    problem = answer.parsed if isinstance(answer.parsed, Problem) else None
    raise status_error(status, answer.headers, answer.content, problem)


@cache
def operation(fn: Any) -> str:
    """The generated module name of a generated function, such as ``create_conversation``."""
    return str(getattr(fn, "__module__", "call")).rsplit(".", 1)[-1]
