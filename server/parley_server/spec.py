"""The contract, loaded from ``openapi.yaml``: operations, parameters and schema validators.

Everything the server checks about a request's shape comes from here; no schema is written
twice. Schemas are compiled with jsonschema-rs (Draft 2020-12, formats asserted) against a
document holding the spec's ``components`` so ``$ref``s resolve as written.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
from parley_spec import read_document, resolve

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@dataclass(frozen=True)
class Parameter:
    """One path, query or header parameter of an operation."""

    name: str
    location: str
    required: bool
    schema: dict[str, Any]
    validator: jsonschema_rs.Validator


@dataclass(frozen=True)
class Operation:
    """One operation of the contract, with its compiled request validators.

    Attributes:
        operation_id: The spec's ``operationId``.
        method: Upper-case HTTP method.
        path: The path template, e.g. ``/v1/conversation/{conversation_id}``.
        scopes: The scopes the operation needs (the roles of its security requirements).
        parameters: Path, query and header parameters.
        body_required: Whether a JSON body must be sent.
        body_validator: The validator of the JSON body, or ``None`` without a request body.
        responses: ``(status, media type) -> validator`` for documented response bodies.
        uuid_params: Names of the parameters whose schema has ``format: uuid``.
    """

    operation_id: str
    method: str
    path: str
    scopes: frozenset[str]
    parameters: tuple[Parameter, ...]
    body_required: bool
    body_validator: jsonschema_rs.Validator | None
    responses: dict[tuple[str, str], jsonschema_rs.Validator] = field(default_factory=dict)
    idempotent_post: bool = False
    streams: bool = False
    success_media: frozenset[str] = frozenset()
    uuid_params: frozenset[str] = frozenset()


class Contract:
    """The loaded contract: the raw document and its operations.

    Args:
        document: The parsed OpenAPI document.
    """

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._components = document.get("components", {})
        self.operations: dict[str, Operation] = {}
        for path, item in document["paths"].items():
            shared = item.get("parameters", [])
            for method in HTTP_METHODS:
                if method in item:
                    op = self._operation(path, method, item[method], shared)
                    self.operations[op.operation_id] = op

    def compile(self, schema: dict[str, Any]) -> jsonschema_rs.Validator:
        """Returns a validator for ``schema``, whose ``$ref``s point into ``components``."""
        wrapper = {"allOf": [schema], "components": self._components}
        return jsonschema_rs.Draft202012Validator(wrapper, validate_formats=True)

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """Follows a local ``$ref`` (``#/components/...``) until a non-reference node."""
        resolved: dict[str, Any] = resolve(self.document, node)
        return resolved

    def _operation(
        self, path: str, method: str, raw: dict[str, Any], shared: list[dict[str, Any]]
    ) -> Operation:
        params: dict[tuple[str, str], Parameter] = {}
        for node in [*shared, *raw.get("parameters", [])]:
            p = self.resolve(node)
            schema = p.get("schema", {})
            params[(p["in"], p["name"])] = Parameter(
                name=p["name"],
                location=p["in"],
                required=bool(p.get("required", False)),
                schema=self.resolve(schema),
                validator=self.compile(schema),
            )
        security = raw.get("security", self.document.get("security", []))
        scopes = frozenset(s for req in security for roles in req.values() for s in roles)
        body = raw.get("requestBody")
        body_validator = None
        body_required = False
        if body is not None:
            body = self.resolve(body)
            body_required = bool(body.get("required", False))
            body_validator = self.compile(body["content"]["application/json"]["schema"])
        responses: dict[tuple[str, str], jsonschema_rs.Validator] = {}
        streams = False
        success: set[str] = set()
        for status, resp in raw.get("responses", {}).items():
            resp = self.resolve(resp)
            for media, content in resp.get("content", {}).items():
                if status.startswith("2"):
                    success.add(media)
                if media == "text/event-stream":
                    streams = True
                if "schema" in content:
                    responses[(status, media)] = self.compile(content["schema"])
        names = {name for (_, name) in params}
        return Operation(
            operation_id=raw["operationId"],
            method=method.upper(),
            path=path,
            scopes=scopes,
            parameters=tuple(params.values()),
            body_required=body_required,
            body_validator=body_validator,
            responses=responses,
            idempotent_post="Idempotency-Key" in names,
            streams=streams,
            success_media=frozenset(success),
            uuid_params=frozenset(
                p.name for p in params.values() if p.schema.get("format") == "uuid"
            ),
        )


@functools.cache
def load_contract(path: str | None = None) -> Contract:
    """Loads and compiles the contract once per process.

    Args:
        path: The document's path; ``None`` uses :func:`parley_spec.spec_path`.

    Raises:
        FileNotFoundError: No copy of the document was found.
        parley_spec.SpecError: The document cannot be read or is not a YAML mapping.
    """
    return Contract(read_document(path))
