"""The answer and the log line for a database that is unreachable or busy.

The log line names the operation, the error's class and a correlation id, and nothing from
the error's text: SQLAlchemy's text carries the SQL statement and, unless hidden, the bound
values (titles, metadata, messages). The 503 Problem quotes the same correlation id, so an
operator can match a client's report to the log line.
"""

from __future__ import annotations

import logging
import secrets

from starlette.responses import Response

from .problems import database_unavailable

log = logging.getLogger("parley.server")


def database_unavailable_answer(operation_id: str, error: BaseException, path: str) -> Response:
    """Logs a database failure without its text and returns the 503 Problem answer.

    Args:
        operation_id: The operation that was being served.
        error: The driver or SQLAlchemy error (``OperationalError``, ``InterfaceError``).
        path: The request path (the Problem's ``instance``).

    Returns:
        The 503 ``database-unavailable`` Problem with ``Retry-After: 1``.
    """
    reference = secrets.token_hex(6)
    cause = type(getattr(error, "orig", None) or error).__name__
    log.warning(
        "database unavailable in %s: %s (%s), reference %s",
        operation_id,
        type(error).__name__,
        cause,
        reference,
    )
    return database_unavailable(reference).to_response(path)


__all__ = ["database_unavailable_answer"]
