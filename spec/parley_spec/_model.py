"""The typed contract: one :class:`Operation` type, read once from the document, for everyone.

The server compiles its validators from it, the harness sends requests and follows links with
it, ``parley diff`` compares two of them. An operation fills its own path template
(:meth:`Operation.fill_path`) and follows its own links (:meth:`Contract.follow`); its
``x-parley-*`` annotations are parsed into typed objects on first use
(:attr:`Contract.annotations`, :mod:`parley_spec.annotations`).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ._expressions import Exchange, evaluate, parse_expression
from ._pointer import MISSING, join_pointer
from ._read import SpecError, read_document
from ._refs import resolve

if TYPE_CHECKING:
    from .annotations import Annotation
    from .trace import Trace

__all__ = [
    "HTTP_METHODS",
    "Contract",
    "Link",
    "LinkTarget",
    "MediaType",
    "MissingPathValue",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "load_contract",
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


class Contract:
    """The typed contract: every operation of one document, and its annotations.

    Args:
        document: The parsed OpenAPI document (not changed; keep it unchanged).
        path: Where it was read from, when from a file.
    """

    def __init__(self, document: Mapping[str, Any], path: Path | None = None) -> None:
        self.document = document
        self.path = path
        self.operations: tuple[Operation, ...] = tuple(_operations(document))
        self._by_id = {op.operation_id: op for op in self.operations}

    def __repr__(self) -> str:
        return f"Contract({self.path or 'document'}, {len(self.operations)} operations)"

    def by_id(self, operation_id: str) -> Operation:
        """The operation with this ``operationId``.

        Raises:
            KeyError: No operation has that id.
        """
        return self._by_id[operation_id]

    def get(self, operation_id: str) -> Operation | None:
        """The operation with this ``operationId``, or ``None``."""
        return self._by_id.get(operation_id)

    def by_label(self, label: str) -> Operation | None:
        """The operation whose ``METHOD /path`` label this is, if any."""
        return next((op for op in self.operations if op.label == label), None)

    def select(
        self,
        *,
        include_tags: Iterable[str] = (),
        exclude_tags: Iterable[str] = (),
        include_operation_ids: Iterable[str] = (),
    ) -> tuple[Operation, ...]:
        """The operations left by the filters ``--include-tag`` & co. give schemathesis.

        Args:
            include_tags: Keep operations with at least one of these tags (all when empty).
            exclude_tags: Drop operations with any of these tags.
            include_operation_ids: Keep only these operations (all when empty).

        Returns:
            The selected operations, in document order.
        """
        include, exclude, ids = set(include_tags), set(exclude_tags), set(include_operation_ids)
        return tuple(
            op
            for op in self.operations
            if (not include or include.intersection(op.tags))
            and not exclude.intersection(op.tags)
            and (not ids or op.operation_id in ids)
        )

    def resolve(self, node: Any) -> Any:
        """``node`` with its local ``$ref`` chain followed (see :func:`parley_spec.resolve`)."""
        return resolve(self.document, node)

    def schema(self, name: str) -> Mapping[str, Any]:
        """The component schema ``name``.

        Raises:
            KeyError: The document has no such component schema.
        """
        schemas: Mapping[str, Any] = self.document.get("components", {}).get("schemas") or {}
        return dict(schemas[name])

    def follow(self, link: Link, exchange: Exchange) -> LinkTarget:
        """Where ``link`` leads from ``exchange``, with the values its expressions read there.

        Args:
            link: A link of the operation that made ``exchange``.
            exchange: That operation's request and response.

        Returns:
            The linked operation and its values by ``(location, name)``; a parameter named
            without a location goes to the linked operation's parameter of that name.

        Raises:
            KeyError: The link names an operation the contract does not have.
            SpecError: A parameter value is a malformed runtime expression.
        """
        target = self.by_id(link.operation_id)
        values: dict[tuple[str, str], Any] = {}
        missing: list[str] = []
        for raw_name, expression in link.parameters.items():
            location, _, name = raw_name.partition(".")
            if not name:
                name = raw_name
                param = target.parameter(name)
                location = param.location if param else "path"
            if isinstance(expression, str) and expression.startswith("$"):
                value = evaluate(parse_expression(expression), exchange)
            else:
                value = expression
            if value is MISSING:
                missing.append(raw_name)
            else:
                values[(location, name)] = value
        return LinkTarget(target, values, tuple(missing))

    @functools.cached_property
    def annotations(self) -> tuple[Annotation[Any], ...]:
        """Every ``x-parley-*`` annotation, parsed and validated (once, on first use).

        Raises:
            SpecError: An annotation breaks the vocabulary's JSON Schema (every problem
                listed with its pointer).
        """
        from .annotations import parse_annotations

        return parse_annotations(self)

    @functools.cached_property
    def trace(self) -> Trace:
        """Every sentence of the prose and what formalises it (see :mod:`parley_spec.trace`).

        Raises:
            SpecError: An annotation breaks the vocabulary.
        """
        from .trace import build_trace

        return build_trace(self)


def _parameters(
    document: Mapping[str, Any], raw: Any, base: str
) -> dict[tuple[str, str], Parameter]:
    found: dict[tuple[str, str], Parameter] = {}
    for index, node in enumerate(raw or []):
        pointer = f"{base}/{index}"
        if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            pointer = str(node["$ref"])[1:]
        param = resolve(document, node)
        if not isinstance(param, Mapping) or "name" not in param:
            continue
        location = str(param.get("in", ""))
        found[(location, str(param["name"]))] = Parameter(
            name=str(param["name"]),
            location=location,
            required=bool(param.get("required", location == "path")),
            schema=param.get("schema") or {},
            description=str(param.get("description", "")),
            example=param.get("example", MISSING),
            node=param,
            pointer=pointer,
        )
    return found


def _content(document: Mapping[str, Any], raw: Any) -> dict[str, MediaType]:
    content: dict[str, MediaType] = {}
    for name, media in (raw or {}).items():
        media = resolve(document, media) if isinstance(media, Mapping) else {}
        examples = {
            str(key): resolve(document, value).get("value", MISSING)
            for key, value in (media.get("examples") or {}).items()
            if isinstance(resolve(document, value), Mapping)
        }
        content[str(name)] = MediaType(
            media_type=str(name),
            schema=media.get("schema"),
            example=media.get("example", MISSING),
            examples={k: v for k, v in examples.items() if v is not MISSING},
        )
    return content


def _response(document: Mapping[str, Any], status: str, raw: Any, pointer: str) -> Response:
    node = resolve(document, raw)
    node = node if isinstance(node, Mapping) else {}
    links = tuple(
        Link(
            name=str(name),
            operation_id=str(link.get("operationId", "")),
            parameters=dict(link.get("parameters") or {}),
            description=str(link.get("description", "")),
            status=status,
        )
        for name, link in ((n, resolve(document, v)) for n, v in (node.get("links") or {}).items())
        if isinstance(link, Mapping)
    )
    return Response(
        status=status,
        description=str(node.get("description", "")),
        content=_content(document, node.get("content")),
        headers={str(k): resolve(document, v) for k, v in (node.get("headers") or {}).items()},
        links=links,
        pointer=pointer,
    )


def _operation(
    document: Mapping[str, Any],
    path: str,
    method: str,
    raw: Mapping[str, Any],
    item: Mapping[str, Any],
) -> Operation:
    pointer = join_pointer(["paths", path, method])
    params = {
        **_parameters(
            document, item.get("parameters"), join_pointer(["paths", path, "parameters"])
        ),
        **_parameters(document, raw.get("parameters"), f"{pointer}/parameters"),
    }
    body = resolve(document, raw["requestBody"]) if "requestBody" in raw else None
    request_body = None
    if isinstance(body, Mapping):
        request_body = RequestBody(
            required=bool(body.get("required", False)),
            content=_content(document, body.get("content")),
            description=str(body.get("description", "")),
        )
    security = raw.get("security", document.get("security", []))
    return Operation(
        operation_id=str(raw.get("operationId") or f"{method.upper()} {path}"),
        method=method.upper(),
        path=path,
        pointer=pointer,
        tags=tuple(str(t) for t in raw.get("tags") or ()),
        summary=str(raw.get("summary", "")),
        description=str(raw.get("description", "")),
        deprecated=raw.get("deprecated") is True,
        security=tuple(
            {str(k): tuple(str(r) for r in v or ()) for k, v in req.items()}
            for req in security or ()
            if isinstance(req, Mapping)
        ),
        parameters=tuple(params.values()),
        request_body=request_body,
        responses={
            str(status): _response(document, str(status), node, f"{pointer}/responses/{status}")
            for status, node in (raw.get("responses") or {}).items()
        },
        node=raw,
    )


def _operations(document: Mapping[str, Any]) -> list[Operation]:
    paths = document.get("paths")
    if paths is not None and not isinstance(paths, Mapping):
        raise SpecError("paths is not a mapping")
    found = []
    for path, item in (paths or {}).items():
        if not isinstance(item, Mapping):
            continue
        for method in HTTP_METHODS:
            raw = item.get(method)
            if isinstance(raw, Mapping):
                found.append(_operation(document, str(path), method, raw, item))
    return found


@functools.cache
def _cached(path: str) -> Contract:
    return Contract(read_document(path), Path(path))


def load_contract(path: Path | str | None = None) -> Contract:
    """Reads and types a contract document once per process and path.

    Args:
        path: The document; :func:`parley_spec.spec_path` when ``None``.

    Returns:
        The same :class:`Contract` object on every call with the same path (treat it, and its
        ``document``, as read-only).

    Raises:
        SpecError: The file cannot be read, is not YAML, or is not a mapping.
        FileNotFoundError: ``path`` is ``None`` and no copy of the document was found.
    """
    from ._locate import spec_path

    return _cached(str(Path(path) if path is not None else spec_path()))
