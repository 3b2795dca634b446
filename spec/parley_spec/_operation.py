"""One operation of the contract and its parts: parameters, bodies, responses, links.

:class:`Operation` is the one type every package of Parley reads an operation as; it fills its
own path template (:meth:`Operation.fill_path`). :mod:`parley_spec._build` reads them from a
document, :class:`parley_spec.Contract` holds them.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ._pointer import MISSING

__all__ = [
    "HTTP_METHODS",
    "Link",
    "LinkTarget",
    "MediaType",
    "MissingPathValue",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
"""The methods of a path item, in the order the document's operations are listed."""


class MissingPathValue(KeyError):
    """A path template was filled without a value for one of its parameters."""


@dataclass(frozen=True)
class MediaType:
    """One media type of a request body or response.

    Attributes:
        media_type: E.g. ``application/json``, ``text/event-stream``.
        schema: The schema as written (``$ref``s kept), or ``None``.
        example: The ``example``, or ``MISSING``.
        examples: The ``value`` of each named ``examples`` entry.
    """

    media_type: str
    schema: Mapping[str, Any] | None
    example: Any = MISSING
    examples: Mapping[str, Any] = field(default_factory=dict)

    def first_example(self) -> Any:
        """A copy of the ``example``, else of the first ``examples`` value, else ``MISSING``."""
        if self.example is not MISSING:
            return copy.deepcopy(self.example)
        for value in self.examples.values():
            return copy.deepcopy(value)
        return MISSING


@dataclass(frozen=True)
class Parameter:
    """One parameter of an operation (its path item's shared ones merged in).

    Attributes:
        name: The parameter's name.
        location: ``path``, ``query``, ``header`` or ``cookie``.
        required: Whether it must be sent (path parameters always).
        schema: Its schema as written (``$ref``s kept).
        description: Its description ("" without one).
        example: Its ``example``, or ``MISSING``.
        node: The parameter object, ``$ref`` followed (its ``x-*`` keys included).
        pointer: Where that object is in the document.
    """

    name: str
    location: str
    required: bool
    schema: Mapping[str, Any]
    description: str
    example: Any
    node: Mapping[str, Any]
    pointer: str


@dataclass(frozen=True)
class RequestBody:
    """An operation's request body.

    Attributes:
        required: Whether a body must be sent.
        content: Media type name -> :class:`MediaType`.
        description: Its description.
    """

    required: bool
    content: Mapping[str, MediaType]
    description: str = ""


@dataclass(frozen=True)
class Link:
    """One link of a response: which values of this exchange feed which operation.

    Attributes:
        name: The link's name in the response.
        operation_id: The operation it leads to.
        parameters: Parameter name (``name`` or ``path.name``, ``query.name``...) -> runtime
            expression or literal.
        description: Its description.
        status: The status of the response that declares it.
    """

    name: str
    operation_id: str
    parameters: Mapping[str, Any]
    description: str
    status: str


@dataclass(frozen=True)
class LinkTarget:
    """Where a link leads for one exchange: the operation and the values it gets.

    Attributes:
        operation: The linked operation.
        values: ``(location, name) -> value`` for every parameter the link could fill
            (locations as in :class:`Parameter`).
        missing: The link's parameters whose expressions found nothing in the exchange.
    """

    operation: Operation
    values: Mapping[tuple[str, str], Any]
    missing: tuple[str, ...] = ()

    def in_location(self, location: str) -> dict[str, Any]:
        """The values for one location (``path``, ``query``...), by parameter name."""
        return {name: value for (where, name), value in self.values.items() if where == location}


@dataclass(frozen=True)
class Response:
    """One response of an operation.

    Attributes:
        status: ``200``, ``4XX``, ``default``...
        description: Its description.
        content: Media type name -> :class:`MediaType`.
        headers: Header name -> the header object, ``$ref`` followed.
        links: Its links, in document order.
        pointer: Where the response is in the operation (``/paths/.../responses/200``).
    """

    status: str
    description: str
    content: Mapping[str, MediaType]
    headers: Mapping[str, Mapping[str, Any]]
    links: tuple[Link, ...]
    pointer: str


@dataclass(frozen=True, eq=False)
class Operation:
    """One operation of the contract.

    Operations compare and hash by identity: one contract holds one object per operation.

    Attributes:
        operation_id: The ``operationId`` (``METHOD path`` when it has none).
        method: Upper-case HTTP method.
        path: The path template, e.g. ``/v1/conversation/{conversation_id}``.
        pointer: The operation object's JSON Pointer, e.g. ``/paths/~1v1~1agent/post``.
        tags: Its tags.
        summary: Its summary.
        description: Its description.
        deprecated: Whether it is marked ``deprecated``.
        security: Its security requirements (the document's when it states none): scheme
            name -> roles, per alternative.
        parameters: Path, query, header and cookie parameters, path item's first.
        request_body: The request body, or ``None``.
        responses: Status -> :class:`Response`, in document order.
        node: The operation object as written.
    """

    operation_id: str
    method: str
    path: str
    pointer: str
    tags: tuple[str, ...]
    summary: str
    description: str
    deprecated: bool
    security: tuple[Mapping[str, tuple[str, ...]], ...]
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: Mapping[str, Response]
    node: Mapping[str, Any]

    @property
    def label(self) -> str:
        """``METHOD /path``, the label schemathesis gives the operation."""
        return f"{self.method} {self.path}"

    @functools.cached_property
    def scopes(self) -> frozenset[str]:
        """Every role its security requirements list (``read``, ``write``)."""
        return frozenset(role for req in self.security for roles in req.values() for role in roles)

    @property
    def needs_write(self) -> bool:
        """Whether the operation needs the ``write`` scope."""
        return "write" in self.scopes

    @functools.cached_property
    def path_parameters(self) -> tuple[str, ...]:
        """Names of the path template's parameters, in template order."""
        names: list[str] = []
        rest = self.path
        while "{" in rest:
            _, _, tail = rest.partition("{")
            name, _, rest = tail.partition("}")
            names.append(name)
        return tuple(names)

    def parameter(self, name: str, location: str | None = None) -> Parameter | None:
        """The parameter called ``name`` (in ``location`` when given; headers ignore case)."""
        for param in self.parameters:
            same = (
                param.name.lower() == name.lower()
                if param.location == "header"
                else param.name == name
            )
            if same and (location is None or param.location == location):
                return param
        return None

    def parameters_in(self, location: str) -> tuple[Parameter, ...]:
        """The parameters of one location (``path``, ``query``, ``header``, ``cookie``)."""
        return tuple(p for p in self.parameters if p.location == location)

    @property
    def takes_idempotency_key(self) -> bool:
        """Whether it declares the ``Idempotency-Key`` header."""
        return self.parameter("Idempotency-Key", "header") is not None

    @property
    def resumes_streams(self) -> bool:
        """Whether it declares the ``Last-Event-ID`` header."""
        return self.parameter("Last-Event-ID", "header") is not None

    @functools.cached_property
    def success(self) -> Response | None:
        """The response of the lowest 2xx status it documents (``2XX`` counts as 200)."""
        found = [r for r in self.responses.values() if r.status[:1] == "2"]
        return min(found, key=lambda r: r.status.replace("X", "0"), default=None)

    @property
    def success_status(self) -> int:
        """The lowest 2xx status it documents (200 when it documents none)."""
        return int(self.success.status.replace("X", "0")) if self.success else 200

    @property
    def success_media_types(self) -> tuple[str, ...]:
        """The media types of :attr:`success`."""
        return tuple(self.success.content) if self.success else ()

    @property
    def streams(self) -> bool:
        """Whether its success response can be ``text/event-stream``."""
        return "text/event-stream" in self.success_media_types

    @property
    def answers_json(self) -> bool:
        """Whether its success response can be ``application/json``."""
        return "application/json" in self.success_media_types

    @property
    def links(self) -> tuple[Link, ...]:
        """The links of every 2xx response, in document order."""
        return tuple(
            link for r in self.responses.values() if r.status[:1] == "2" for link in r.links
        )

    def example_body(self, media_type: str = "application/json") -> Any:
        """A deep copy of the request body's documented example, or ``None`` without one."""
        if self.request_body is None or media_type not in self.request_body.content:
            return None
        example = self.request_body.content[media_type].first_example()
        return None if example is MISSING else example

    def fill_path(self, values: Mapping[str, Any]) -> str:
        """The path with every ``{name}`` replaced by its value, percent-encoded.

        Each value is one path segment: ``/`` and every other reserved character is encoded,
        so a value never adds a segment.

        Args:
            values: Path parameter name -> value (``str()`` is applied); extra names ignored.

        Returns:
            E.g. ``/v1/conversation/3f1c...`` for ``{"conversation_id": "3f1c..."}``.

        Raises:
            MissingPathValue: A parameter of the template has no value (all are named).
        """
        absent = [name for name in self.path_parameters if name not in values]
        if absent:
            raise MissingPathValue(f"{self.operation_id}: no value for {', '.join(absent)}")
        filled = self.path
        for name in self.path_parameters:
            filled = filled.replace("{" + name + "}", quote(str(values[name]), safe=""), 1)
        return filled
