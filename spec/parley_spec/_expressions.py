"""OpenAPI runtime expressions (``$response.body#/id``, ``$request.path.conversation_id``...).

Links pass values with them, and the ``x-parley-*`` annotations say with them which value of
an exchange a promise reads. :func:`parse_expression` checks the grammar of the OpenAPI 3.1
specification ("Runtime Expressions"); :func:`evaluate` reads one from an :class:`Exchange`.
Besides the standard sources, an expression may name a *subject* the caller supplies:
``$object#/id`` reads ``/id`` of ``Exchange.subjects["object"]`` (the object holding a count).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._pointer import MISSING, pointer_get, split_pointer
from ._read import SpecError

__all__ = ["Exchange", "RuntimeExpression", "evaluate", "is_expression", "parse_expression"]

_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_FORM = re.compile(
    r"^\$(?:(?P<simple>url|method|statusCode)"
    r"|(?P<side>request|response)\.(?:(?P<where>header|query|path)\.(?P<name>[^#]+)"
    r"|body(?:#(?P<pointer>.*))?)"
    r"|(?P<subject>[a-z][A-Za-z]*)#(?P<subject_pointer>.*))$"
)


@dataclass(frozen=True)
class RuntimeExpression:
    """One parsed runtime expression.

    Attributes:
        text: The expression as written.
        side: ``request``, ``response``, ``url``, ``method``, ``statusCode`` or, for
            ``$NAME#/...``, ``subject``.
        where: ``header``, ``query``, ``path`` or ``body`` (request and response only).
        name: The header, query or path parameter name; the subject's name for a subject.
        pointer: The JSON Pointer into a body or subject (``""`` for the whole of it).
    """

    text: str
    side: str
    where: str = ""
    name: str = ""
    pointer: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Exchange:
    """What one request and its response carried, for :func:`evaluate`.

    Attributes:
        method: The request method (upper case).
        url: The request URL.
        path: Path parameter values by name.
        query: Query parameter values by name.
        request_headers: Request headers (names compared without case).
        request_body: The parsed JSON request body, or ``MISSING``.
        status: The response status, or ``None`` before the response.
        response_headers: Response headers (names compared without case).
        response_body: The parsed JSON response body, or ``MISSING``.
        subjects: Further named values for ``$NAME#/pointer`` expressions.
    """

    method: str = ""
    url: str = ""
    path: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    request_headers: Mapping[str, str] = field(default_factory=dict)
    request_body: Any = MISSING
    status: int | None = None
    response_headers: Mapping[str, str] = field(default_factory=dict)
    response_body: Any = MISSING
    subjects: Mapping[str, Any] = field(default_factory=dict)


def is_expression(value: Any) -> bool:
    """Whether ``value`` is a string in runtime-expression form (``$`` then a known source)."""
    return isinstance(value, str) and _FORM.match(value) is not None


def parse_expression(text: str) -> RuntimeExpression:
    """Parses a runtime expression.

    Args:
        text: E.g. ``$response.body#/id``, ``$request.path.agent_id``, ``$statusCode``,
            ``$object#/id``.

    Returns:
        The parsed expression.

    Raises:
        SpecError: ``text`` is not a runtime expression (or its pointer is not a JSON Pointer).
    """
    match = _FORM.match(text)
    if match is None:
        raise SpecError(f"{text!r} is not a runtime expression")
    if match["simple"]:
        return RuntimeExpression(text, match["simple"])
    if match["subject"]:
        split_pointer(match["subject_pointer"])
        return RuntimeExpression(
            text, "subject", "", match["subject"], match["subject_pointer"] or ""
        )
    side, where = match["side"], match["where"]
    if where:
        if where == "header" and not re.fullmatch(_TOKEN, match["name"]):
            raise SpecError(f"{text!r}: {match['name']!r} is not a header name")
        return RuntimeExpression(text, side, where, match["name"])
    pointer = match["pointer"] or ""
    split_pointer(pointer)
    return RuntimeExpression(text, side, "body", "", pointer)


def _header(headers: Mapping[str, str], name: str) -> Any:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return MISSING


def evaluate(expression: str | RuntimeExpression, exchange: Exchange) -> Any:
    """The value ``expression`` names in ``exchange``.

    Args:
        expression: A runtime expression (text or parsed).
        exchange: The request and response to read.

    Returns:
        The value; ``MISSING`` when the exchange has no such value (a member absent from a
        body, a header not sent, a subject not supplied).

    Raises:
        SpecError: ``expression`` is text that is not a runtime expression.
    """
    parsed = (
        expression if isinstance(expression, RuntimeExpression) else parse_expression(expression)
    )
    if parsed.side == "url":
        return exchange.url or MISSING
    if parsed.side == "method":
        return exchange.method or MISSING
    if parsed.side == "statusCode":
        return MISSING if exchange.status is None else exchange.status
    if parsed.side == "subject":
        if parsed.name not in exchange.subjects:
            return MISSING
        return pointer_get(exchange.subjects[parsed.name], parsed.pointer)
    request = parsed.side == "request"
    if parsed.where == "body":
        body = exchange.request_body if request else exchange.response_body
        return MISSING if body is MISSING else pointer_get(body, parsed.pointer)
    if parsed.where == "header":
        return _header(
            exchange.request_headers if request else exchange.response_headers, parsed.name
        )
    values = exchange.path if parsed.where == "path" else exchange.query
    return values.get(parsed.name, MISSING) if request else MISSING
