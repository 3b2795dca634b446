"""Request validation against the contract: path, query, header parameters and JSON bodies.

Parameters arrive as strings; a parameter whose schema is an integer is parsed as a decimal
integer before validation. Every problem found is reported as one ``FieldProblem``
(``pointer`` is ``path:name``, ``query:name``, ``header:name`` or a JSON Pointer into the body).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from .jsonbody import BodyError, parse_body
from .problems import ECHO_LIMIT, ProblemError, bad_request, clip_value
from .spec import CompiledOperation, CompiledParameter

_INT = re.compile(r"^-?[0-9]{1,400}$")


@dataclass(frozen=True)
class ValidRequest:
    """The validated inputs of one request.

    Attributes:
        params: Parameter values by name (path, query and header), parsed and defaulted.
        body: The parsed JSON body, or ``None`` when none was sent.
    """

    params: dict[str, Any]
    body: Any


def _pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in list(path))


def _errors(validator: jsonschema_rs.Validator, value: Any, prefix: str) -> list[dict[str, str]]:
    found = []
    for err in validator.iter_errors(value):
        found.append({"pointer": prefix + _pointer(err.instance_path), "detail": _message(err)})
        if len(found) >= 20:
            break
    return found


def _message(err: jsonschema_rs.ValidationError) -> str:
    """The error's message with a long string value it repeats cut to ``ECHO_LIMIT``."""
    message: str = err.message
    value = err.instance
    if isinstance(value, str) and len(value) > ECHO_LIMIT:
        shown = json.dumps(value, ensure_ascii=False)
        message = message.replace(shown, json.dumps(clip_value(value), ensure_ascii=False), 1)
    return message


def _coerce(param: CompiledParameter, raw: str) -> Any:
    types = param.schema.get("type")
    if types == "integer" and _INT.match(raw):
        return int(raw)
    return raw


def validate_request(
    op: CompiledOperation,
    path_params: Mapping[str, str],
    query: Mapping[str, str],
    headers: Mapping[str, str],
    content_type: str | None,
    raw_body: bytes,
    repeated_query: frozenset[str] = frozenset(),
) -> ValidRequest:
    """Checks one request against its operation.

    Args:
        op: The operation the request was routed to.
        path_params: Path parameters from the router.
        query: Query parameters (one value of each name).
        headers: Request headers (case-insensitive mapping).
        content_type: The ``Content-Type`` header, if any.
        raw_body: The request body bytes (may be empty).
        repeated_query: Query parameter names the request gives more than once; each of the
            operation's is a problem (one value is expected, and no rule picks one silently).

    Returns:
        The parsed parameters (defaults filled in) and body.

    Raises:
        ProblemError: 400 listing every invalid parameter or body field.
    """
    errors: list[dict[str, str]] = []
    params: dict[str, Any] = {}
    sources: dict[str, Mapping[str, str]] = {"path": path_params, "query": query, "header": headers}
    for param in op.parameters:
        raw = sources[param.location].get(param.name)
        where = f"{param.location}:{param.name}"
        if param.location == "query" and param.name in repeated_query:
            errors.append({"pointer": where, "detail": "is given more than once"})
            continue
        if raw is None:
            if param.required:
                errors.append({"pointer": where, "detail": "is required"})
            elif "default" in param.schema:
                params[param.name] = param.schema["default"]
            continue
        value = _coerce(param, raw)
        problems = _errors(param.validator, value, where)
        if problems:
            errors.extend(problems)
        else:
            params[param.name] = value
    body: Any = None
    if op.body_validator is not None:
        body, body_errors = _check_body(op, content_type, raw_body)
        errors.extend(body_errors)
    if errors:
        raise bad_request(f"The request has {len(errors)} invalid part(s).", errors)
    return ValidRequest(params=params, body=body)


def _check_body(
    op: CompiledOperation, content_type: str | None, raw_body: bytes
) -> tuple[Any, list[dict[str, str]]]:
    assert op.body_validator is not None
    if not raw_body:  # whitespace alone is a body, and not JSON: it gets 400 below
        if op.body_required:
            return None, [{"pointer": "", "detail": "a JSON request body is required"}]
        return None, []
    media = (content_type or "").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        return None, [{"pointer": "header:Content-Type", "detail": "must be application/json"}]
    try:
        body = parse_body(raw_body)
    except BodyError as exc:
        return None, exc.problems
    return body, _errors(op.body_validator, body, "")


def check_response(op: CompiledOperation, status: int, media_type: str, body: bytes) -> None:
    """Validates a response against the contract (switched on by the test suite).

    Args:
        op: The operation that answered.
        status: The response status code.
        media_type: The response media type (without parameters).
        body: The response body bytes.

    Raises:
        ProblemError: 500 when the response contradicts the contract; the message names why.
    """
    keys = [(str(status), media_type), (f"{str(status)[0]}XX", media_type), ("default", media_type)]
    validator = next((op.responses[k] for k in keys if k in op.responses), None)
    documented = {s for (s, _) in op.responses} | {"204"}
    if str(status) not in documented and status not in (204, 405):
        raise _broken(op, f"status {status} is not documented")
    if validator is None or media_type == "text/event-stream":
        return
    try:
        value = json.loads(body)
    except ValueError as exc:
        raise _broken(op, f"body is not JSON: {exc}") from exc
    problems = _errors(validator, value, "")
    if problems:
        raise _broken(op, f"{status} body breaks the contract: {problems[:3]}")


def _broken(op: CompiledOperation, detail: str) -> ProblemError:
    return ProblemError(
        500, "response-contract", "Response contract violation", f"{op.operation_id}: {detail}"
    )


__all__ = ["ProblemError", "ValidRequest", "check_response", "validate_request"]
