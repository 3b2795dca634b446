"""The typed contract: one document's operations, annotations and trace, read once.

The server compiles its validators from it, the harness sends requests and follows links with
it, ``parley diff`` compares two of them. Its operations (:class:`~parley_spec.Operation`) fill
their own path templates and it follows their links (:meth:`Contract.follow`); the
``x-parley-*`` annotations are parsed into typed objects on first use
(:attr:`Contract.annotations`, :mod:`parley_spec.annotations`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._build import read_operations
from ._expressions import Exchange, evaluate, parse_expression
from ._operation import Link, LinkTarget, Operation
from ._pointer import MISSING
from ._read import read_document
from ._refs import resolve

if TYPE_CHECKING:
    from .annotations import Annotation
    from .trace import Trace

__all__ = ["Contract", "load_contract"]


class Contract:
    """The typed contract: every operation of one document, and its annotations.

    Args:
        document: The parsed OpenAPI document (not changed; keep it unchanged).
        path: Where it was read from, when from a file.
    """

    def __init__(self, document: Mapping[str, Any], path: Path | None = None) -> None:
        self.document = document
        self.path = path
        self.operations: tuple[Operation, ...] = tuple(read_operations(document))
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
