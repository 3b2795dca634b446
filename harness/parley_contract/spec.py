"""The contract as the harness reads it: operations of `openapi.yaml`, loaded at runtime.

Nothing here hard-codes a path of the API: the extra checks ask this index which operations
need the `write` scope, which take an `Idempotency-Key`, which stream, and what example
request body the spec documents for each.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parley_spec import read_document, resolve, spec_path

__all__ = ["Operation", "Spec", "default_spec_path", "index_spec", "load_spec"]

_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    """One operation of the spec.

    Attributes:
        operation_id: The spec's `operationId`, e.g. `createConversation`.
        method: Upper-case HTTP method.
        path: The path template, e.g. `/v1/conversation/{conversation_id}`.
        tags: The operation's tags.
        scopes: The roles its security requirements list (`read`, `write`).
        path_params: Names of the path parameters, in template order.
        header_params: Names of the header parameters it declares, lower-cased.
        query_params: Names of the query parameters it declares.
        body_example: The documented JSON request body example, or None.
        body_required: Whether the request body is required.
        success_status: The lowest 2xx status the spec documents.
        success_media_types: Media types of that success response.
        links: The success response's links: name -> link object.
    """

    operation_id: str
    method: str
    path: str
    tags: tuple[str, ...]
    scopes: frozenset[str]
    path_params: tuple[str, ...]
    header_params: frozenset[str]
    query_params: frozenset[str]
    body_example: Any
    body_required: bool
    success_status: int
    success_media_types: tuple[str, ...]
    links: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """`METHOD /path`, the label schemathesis gives the operation."""
        return f"{self.method} {self.path}"

    @property
    def needs_write(self) -> bool:
        """Whether the operation needs the `write` scope."""
        return "write" in self.scopes

    @property
    def takes_idempotency_key(self) -> bool:
        """Whether the operation declares the `Idempotency-Key` header."""
        return "idempotency-key" in self.header_params

    @property
    def resumes_streams(self) -> bool:
        """Whether the operation declares the `Last-Event-ID` header."""
        return "last-event-id" in self.header_params

    @property
    def streams(self) -> bool:
        """Whether its success response can be `text/event-stream`."""
        return "text/event-stream" in self.success_media_types

    @property
    def answers_json(self) -> bool:
        """Whether its success response can be `application/json`."""
        return "application/json" in self.success_media_types

    def example_body(self) -> Any:
        """A deep copy of the documented request body example (None without one)."""
        return copy.deepcopy(self.body_example)


@dataclass(frozen=True)
class Spec:
    """Every operation of the spec, in document order."""

    path: Path
    operations: tuple[Operation, ...]

    def by_id(self, operation_id: str) -> Operation:
        """The operation with this `operationId`.

        Raises:
            KeyError: No operation has that id.
        """
        for operation in self.operations:
            if operation.operation_id == operation_id:
                return operation
        raise KeyError(operation_id)

    def by_label(self, label: str) -> Operation | None:
        """The operation whose `METHOD /path` label this is, if any."""
        for operation in self.operations:
            if operation.label == label:
                return operation
        return None

    def select(
        self,
        *,
        include_tags: Iterable[str] = (),
        exclude_tags: Iterable[str] = (),
        include_operation_ids: Iterable[str] = (),
    ) -> tuple[Operation, ...]:
        """The operations left after the same filters `--include-tag` & co. give schemathesis.

        Args:
            include_tags: Keep operations with at least one of these tags (all when empty).
            exclude_tags: Drop operations with any of these tags.
            include_operation_ids: Keep only these operations (all when empty).

        Returns:
            The selected operations, in document order.
        """
        include, exclude, ids = set(include_tags), set(exclude_tags), set(include_operation_ids)
        return tuple(
            operation
            for operation in self.operations
            if (not include or include.intersection(operation.tags))
            and not exclude.intersection(operation.tags)
            and (not ids or operation.operation_id in ids)
        )


def default_spec_path() -> Path:
    """Where `openapi.yaml` is: `$PARLEY_OPENAPI`, the packaged copy, or the checkout.

    Raises:
        FileNotFoundError: No copy was found (see `parley_spec.spec_path`).
    """
    return spec_path()


def load_spec(path: Path | None = None) -> Spec:
    """Read the spec and index its operations.

    Args:
        path: The OpenAPI document; `default_spec_path()` when None.

    Returns:
        The indexed spec.

    Raises:
        parley_spec.SpecError: The file cannot be read or is not a YAML mapping.
    """
    path = path or default_spec_path()
    return index_spec(path, read_document(path))


def index_spec(path: Path, document: Mapping[str, Any]) -> Spec:
    """Index the operations of an already parsed OpenAPI document read from `path`."""
    operations: list[Operation] = []
    for template, item in document.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in _METHODS:
            raw = item.get(method)
            if raw is None:
                continue
            operations.append(_operation(document, template, method, raw, shared))
    return Spec(path=path, operations=tuple(operations))


def _operation(
    document: Mapping[str, Any],
    template: str,
    method: str,
    raw: Mapping[str, Any],
    shared: list[Any],
) -> Operation:
    params = [resolve(document, p) for p in [*shared, *raw.get("parameters", [])]]
    security = raw.get("security", document.get("security", []))
    scopes = frozenset(
        scope for requirement in security for roles in requirement.values() for scope in roles
    )
    body = resolve(document, raw.get("requestBody", {}))
    json_body = body.get("content", {}).get("application/json", {})
    responses = raw.get("responses", {})
    success = min((code for code in responses if str(code).startswith("2")), key=int, default="200")
    response = resolve(document, responses.get(success, {}))
    return Operation(
        operation_id=raw["operationId"],
        method=method.upper(),
        path=template,
        tags=tuple(raw.get("tags", ())),
        scopes=scopes,
        path_params=tuple(p["name"] for p in params if p.get("in") == "path"),
        header_params=frozenset(p["name"].lower() for p in params if p.get("in") == "header"),
        query_params=frozenset(p["name"] for p in params if p.get("in") == "query"),
        body_example=json_body.get("example"),
        body_required=bool(body.get("required", False)),
        success_status=int(success),
        success_media_types=tuple(response.get("content", {})),
        links=dict(response.get("links", {})),
    )
