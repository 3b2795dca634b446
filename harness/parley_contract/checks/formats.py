"""`response_format`: every `format` of a response schema holds in the bodies parley's checks read.

schemathesis asserts `format` (date-time, uuid, uri...) in the responses of its own cases
(`response_schema_conformance`, `validate-formats` on by default), but the extra checks and
the promise checks read other answers: the other tenant's, the read-only key's, lists after
soft deletes, reads after writes, the events of a stream. This check runs after them and
validates every JSON body and every stream event's `data:` they received against the schema
the document gives that operation, status and media type, with formats asserted; only
`format` errors are reported (the other checks judge the rest).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import httpx
from parley_spec import Contract, Operation

from parley_contract.checks.context import media_type, router
from parley_contract.checks.payloads import PayloadSchemas
from parley_contract.checks.streams import parse_events
from parley_contract.client import ApiClient
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "response_formats"]

CHECK = "response_format"


def response_formats(
    contract: Contract, operations: Iterable[Operation], clients: Iterable[ApiClient]
) -> list[CheckOutcome]:
    """Validate the formats of every response the clients received, per operation.

    Args:
        contract: The contract.
        operations: The operations selected for the run; answers of others are skipped.
        clients: The clients the checks used (their `responses`).

    Returns:
        One outcome per selected operation with at least one body read: failed with the
        first `format` error and its request's curl line, else passed.
    """
    checker = _FormatChecker(contract, tuple(operations))
    found: dict[str, CheckOutcome] = {}
    for client in clients:
        for response in client.responses:
            operation = checker.operation_of(response.request)
            if operation is None:
                continue
            problem, label = checker.problem(operation, response), operation.label
            if problem is None:
                found.setdefault(label, CheckOutcome(label, CHECK, True))
            elif found.get(label, _PASSED).passed:
                found[label] = CheckOutcome(label, CHECK, False, problem, client.curl(response))
    return [found[op.label] for op in checker.operations if op.label in found]


_PASSED = CheckOutcome("", CHECK, True)


class _FormatChecker:
    """Finds the operation and documented schema of an answer and validates its formats."""

    def __init__(self, contract: Contract, operations: tuple[Operation, ...]) -> None:
        self.contract = contract
        self.operations = operations
        self._validators: dict[tuple[str, str, str], Any] = {}
        self._streams: dict[str, PayloadSchemas] = {}
        self._route = router(operations)

    def operation_of(self, request: httpx.Request) -> Operation | None:
        """The selected operation `request` called, or None."""
        return next(
            (op for op in self._route(request.url.path) if op.method == request.method), None
        )

    def problem(self, operation: Operation, response: httpx.Response) -> str | None:
        """The first `format` error of `response`'s body, or None (also for undocumented ones)."""
        media = media_type(response)
        status = str(response.status_code)
        if media == "text/event-stream":
            return self._stream_problem(operation, status, response.text)
        key = (operation.operation_id, status, media)
        if key not in self._validators:
            self._validators[key] = self._compile(operation, status, media)
        validator = self._validators[key]
        if validator is None:
            return None
        try:
            body = response.json()
        except ValueError:
            return None  # not JSON: response_schema_conformance and the checks report it
        for error in validator.iter_errors(body):
            if type(error.kind).__name__ == "Format":
                where = "/" + "/".join(str(part) for part in error.instance_path)
                return f"{status} {media} body at {where}: {error.message}"
        return None

    def _stream_problem(self, operation: Operation, status: str, text: str) -> str | None:
        if status != str(operation.success_status) or not operation.streams:
            return None
        if operation.operation_id not in self._streams:
            self._streams[operation.operation_id] = PayloadSchemas(
                self.contract, operation.method, operation.path, operation.success_status
            )
        payloads = self._streams[operation.operation_id]
        for event in parse_events(text):
            if event.event in payloads.payloads:
                problem = payloads.problem(event.event, event.data, formats=True)
                if problem is not None:
                    return f"stream event {event.id}: {problem}"
        return None

    def _compile(self, operation: Operation, status: str, media: str) -> Any:
        import jsonschema_rs

        responses = operation.responses
        documented = next(
            (responses[k] for k in (status, f"{status[0]}XX", "default") if k in responses), None
        )
        content = documented.content.get(media) if documented is not None else None
        if content is None or content.schema is None:
            return None
        # The schema with the document's components beside it, so its `$ref`s resolve.
        components = self.contract.document.get("components", {})
        wrapped = {"components": components, **self.contract.resolve(content.schema)}
        return jsonschema_rs.Draft202012Validator(
            json.loads(json.dumps(wrapped)), validate_formats=True
        )
