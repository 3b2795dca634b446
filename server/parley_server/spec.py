"""The contract compiled for serving: each operation of ``parley_spec``'s model with validators.

Everything the server checks about a request's shape comes from here; no schema is written
twice. The operations are :class:`parley_spec.Operation`s (the one type every package reads);
this module adds their validators, compiled with jsonschema-rs (Draft 2020-12, formats
asserted) against a document holding the spec's ``components`` so ``$ref``s resolve as
written.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
from parley_spec import Contract, Operation, Parameter, load_contract

__all__ = ["CompiledContract", "CompiledOperation", "CompiledParameter", "compile_contract"]


@dataclass(frozen=True)
class CompiledParameter:
    """One parameter with its validator.

    Attributes:
        spec: The parameter in the contract model.
        schema: Its schema, ``$ref`` followed.
        validator: Validates a decoded value against the schema.
    """

    spec: Parameter
    schema: Mapping[str, Any]
    validator: jsonschema_rs.Validator

    @property
    def name(self) -> str:
        """The parameter's name."""
        return self.spec.name

    @property
    def location(self) -> str:
        """``path``, ``query``, ``header`` or ``cookie``."""
        return self.spec.location

    @property
    def required(self) -> bool:
        """Whether it must be sent."""
        return self.spec.required


@dataclass(frozen=True, eq=False)
class CompiledOperation:
    """One operation of the contract, with its compiled request and response validators.

    Attributes:
        spec: The operation in the contract model (method, path, scopes, responses...).
        parameters: Its parameters with their validators.
        body_validator: The validator of the JSON body, or ``None`` without a request body.
        responses: ``(status, media type) -> validator`` for documented response bodies.
        success_media: The media types of every 2xx response.
        uuid_params: Names of the parameters whose schema has ``format: uuid``.
    """

    spec: Operation
    parameters: tuple[CompiledParameter, ...]
    body_validator: jsonschema_rs.Validator | None
    responses: dict[tuple[str, str], jsonschema_rs.Validator] = field(default_factory=dict)
    success_media: frozenset[str] = frozenset()
    uuid_params: frozenset[str] = frozenset()

    @property
    def operation_id(self) -> str:
        """The spec's ``operationId``."""
        return self.spec.operation_id

    @property
    def method(self) -> str:
        """Upper-case HTTP method."""
        return self.spec.method

    @property
    def path(self) -> str:
        """The path template, e.g. ``/v1/conversation/{conversation_id}``."""
        return self.spec.path

    @property
    def scopes(self) -> frozenset[str]:
        """The scopes it needs (the roles of its security requirements)."""
        return self.spec.scopes

    @property
    def body_required(self) -> bool:
        """Whether a JSON body must be sent."""
        return self.spec.request_body is not None and self.spec.request_body.required

    @property
    def idempotent_post(self) -> bool:
        """Whether it takes an ``Idempotency-Key``."""
        return self.spec.takes_idempotency_key

    @property
    def streams(self) -> bool:
        """Whether it can answer ``text/event-stream``."""
        return "text/event-stream" in self.success_media


class CompiledContract:
    """The contract with every operation compiled, by operationId.

    Args:
        spec: The typed contract (:func:`parley_spec.load_contract`).
    """

    def __init__(self, spec: Contract) -> None:
        self.spec = spec
        self.document = spec.document
        self._components = spec.document.get("components", {})
        self.operations: dict[str, CompiledOperation] = {
            op.operation_id: self._operation(op) for op in spec.operations
        }

    def compile(self, schema: Mapping[str, Any]) -> jsonschema_rs.Validator:
        """Returns a validator for ``schema``, whose ``$ref``s point into ``components``."""
        wrapper = {"allOf": [schema], "components": self._components}
        return jsonschema_rs.Draft202012Validator(wrapper, validate_formats=True)

    def _operation(self, op: Operation) -> CompiledOperation:
        params = tuple(
            CompiledParameter(p, self.spec.resolve(p.schema), self.compile(p.schema))
            for p in op.parameters
        )
        body = op.request_body
        body_validator = None
        if body is not None and "application/json" in body.content:
            schema = body.content["application/json"].schema
            body_validator = self.compile(schema or {})
        responses: dict[tuple[str, str], jsonschema_rs.Validator] = {}
        success: set[str] = set()
        for status, response in op.responses.items():
            for media, content in response.content.items():
                if status.startswith("2"):
                    success.add(media)
                if content.schema is not None:
                    responses[(status, media)] = self.compile(content.schema)
        return CompiledOperation(
            spec=op,
            parameters=params,
            body_validator=body_validator,
            responses=responses,
            success_media=frozenset(success),
            uuid_params=frozenset(p.name for p in params if p.schema.get("format") == "uuid"),
        )


@functools.cache
def compile_contract(spec: Contract | None = None) -> CompiledContract:
    """Compiles a contract once per process and contract object.

    Args:
        spec: The typed contract; ``None`` loads the default one (:func:`parley_spec.spec_path`).

    Raises:
        FileNotFoundError: ``spec`` is ``None`` and no copy of the document was found.
        parley_spec.SpecError: The document cannot be read or is not a YAML mapping.
    """
    return CompiledContract(spec if spec is not None else load_contract())
