"""RFC 9457 Problem Details: the error type handlers raise and the response it becomes."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from starlette.responses import Response

from .requestid import current_request_id

PROBLEM_BASE = "https://parley.dev/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"
ECHO_LIMIT = 100
"""The most characters of a client's string value a problem repeats; longer ones end in ``…``."""
TEXT_LIMIT = 400
"""The longest ``detail`` / ``pointer`` a problem carries; longer ones are cut in the middle."""


def clip_value(value: str) -> str:
    """Returns ``value`` cut to :data:`ECHO_LIMIT` characters and ``…`` when longer."""
    return value if len(value) <= ECHO_LIMIT else value[:ECHO_LIMIT] + "…"


def clip(text: str) -> str:
    """Cuts a problem text over :data:`TEXT_LIMIT` characters in the middle, around ``…``.

    The start (what was wrong) and the end (usually the reason) stay; an echoed value in
    between is lost. Validation shortens the values it knows first (see :func:`clip_value`).
    """
    if len(text) <= TEXT_LIMIT:
        return text
    half = TEXT_LIMIT // 2
    return text[:half] + "…" + text[-half:]


class ProblemError(Exception):
    """An error that becomes an ``application/problem+json`` answer.

    Args:
        status: The HTTP status code (400..599).
        slug: The last segment of the problem ``type`` URI, e.g. ``"not-found"``.
        title: A short, fixed summary of the problem type.
        detail: What went wrong with this request.
        errors: Field problems, each ``{"pointer": str, "detail": str}``.
        headers: Extra response headers (``Retry-After``, ``WWW-Authenticate``, ``Allow``).
    """

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str,
        *,
        errors: Sequence[Mapping[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = clip(detail)
        self.errors = [{k: clip(v) for k, v in e.items()} for e in errors or ()]
        self.headers = dict(headers or {})

    def to_dict(self, instance: str | None = None) -> dict[str, Any]:
        """Returns the Problem document (``type, title, status, detail[, instance, errors]``).

        Inside a request it also holds ``request_id``, the id the response's ``X-Request-ID``
        header carries (see :mod:`parley_server.requestid`); in a stream's ``error`` event, the
        id of the request that was being served when the problem arose.
        """
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance is not None:
            body["instance"] = quote(instance, safe="/-._~!$&'()*+,;=:@")
        if self.errors:
            body["errors"] = [dict(e) for e in self.errors]
        request_id = current_request_id.get()
        if request_id is not None:
            body["request_id"] = request_id
        return body

    def to_response(self, instance: str | None = None) -> Response:
        """Returns the Starlette response carrying this problem."""
        return Response(
            json.dumps(self.to_dict(instance)),
            status_code=self.status,
            media_type=PROBLEM_MEDIA_TYPE,
            headers=self.headers,
        )


def not_found(kind: str, ident: str) -> ProblemError:
    """Returns the 404 problem for a missing, soft-deleted or foreign resource."""
    return ProblemError(404, "not-found", "Not found", f"{kind} {ident} was not found.")


def bad_request(detail: str, errors: Sequence[Mapping[str, str]] | None = None) -> ProblemError:
    """Returns the 400 problem for a request that does not match the contract."""
    return ProblemError(400, "validation", "Request validation failed", detail, errors=errors)


def payload_too_large(limit: int) -> ProblemError:
    """Returns the 413 problem for a request body over ``limit`` bytes."""
    return ProblemError(
        413,
        "payload-too-large",
        "Payload too large",
        f"The request body is larger than {limit} bytes.",
    )


def unsupported_content_encoding() -> ProblemError:
    """Returns the 415 problem for a body sent with a ``Content-Encoding`` (gzip, br...).

    Bodies are read as sent: a compressed one would be taken for malformed JSON.
    """
    return ProblemError(
        415,
        "unsupported-content-encoding",
        "Unsupported content encoding",
        "Request bodies are accepted uncompressed only (Content-Encoding: identity or none).",
    )


def agent_unavailable() -> ProblemError:
    """Returns the 503 problem for a responder (model) that failed; retry later."""
    return ProblemError(
        503,
        "agent-unavailable",
        "Agent unavailable",
        "The agent could not produce a reply; retry later.",
        headers={"Retry-After": "5"},
    )


def database_unavailable(reference: str | None = None) -> ProblemError:
    """Returns the 503 problem for a database that is unreachable or busy; retry shortly.

    Args:
        reference: The correlation id of the server's log line, quoted in ``detail``.
    """
    quoted = f" (reference {reference})" if reference else ""
    return ProblemError(
        503,
        "database-unavailable",
        "Database unavailable",
        f"The database is unreachable or busy; retry shortly{quoted}.",
        headers={"Retry-After": "1"},
    )


def conflict(slug: str, title: str, detail: str) -> ProblemError:
    """Returns a 409 problem (closed conversation, idempotency key in flight)."""
    return ProblemError(409, slug, title, detail)


def unprocessable(slug: str, title: str, detail: str) -> ProblemError:
    """Returns a 422 problem (idempotency key reused, wrong message kind)."""
    return ProblemError(422, slug, title, detail)
