"""What the contract says about test data: which write makes, changes or deletes what.

Built on `Identities` (feeds, identities and references: `parley_contract.data.identities`);
nothing here names an operation, everything is read from the document:

* **Writers and aims.** A write with a link to a read adds to what the read answers; it lands
  on given path values of the read when each of the link's values comes from an input of the
  write (a path parameter, or a body field of the same identity) (`Recipes.aim`).
* **Modifiers and deletes.** The writes a create links to change (or delete) what it made;
  ``x-parley-given`` names the writes to run first, and a restore is a write whose given
  write is the delete it undoes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from parley_spec import (
    MISSING,
    Operation,
    evaluate,
    is_expression,
    join_pointer,
    parse_expression,
    split_pointer,
)
from parley_spec.annotations import LATER, SET, Effect, Given

from parley_contract.data.identities import Feed, Identities, response_pointer
from parley_contract.data.schemas import component_name, item_schema, schema_at, success_schema

__all__ = ["Aim", "Recipes"]

_FIXED = (SET, LATER)


@dataclass(frozen=True)
class Aim:
    """How to send a write so that it adds to what a read answers for given path values.

    Attributes:
        path: The write's path values to set, by name.
        body: The write's body fields to set, by JSON pointer.
    """

    path: Mapping[str, Any]
    body: Mapping[str, Any]

    @property
    def key(self) -> tuple[Any, ...]:
        """A hashable form, to tell two aims apart."""
        return (tuple(sorted(self.path.items())), tuple(sorted(self.body.items())))


class Recipes(Identities):
    """The test data a contract implies: its identities, and what its writes do.

    Args:
        contract: The contract.
    """

    def writers(self, read: Operation, items: str | None = None) -> tuple[Operation, ...]:
        """The writes that add to what ``read`` answers.

        Those with a link to it; without any, the writes without path parameters that answer
        an item of its list at ``items``.
        """
        linked = [f.source for f in self.links_into(read) if f.source.method != "GET"]
        if linked or items is None:
            return tuple(dict.fromkeys(linked))
        schema = item_schema(self.contract, read, items)
        return tuple(
            op
            for op in self.contract.operations
            if op.method != "GET"
            and not op.path_parameters
            and schema is not None
            and component_name(success_schema(op)) == schema
        )

    def aim(self, writer: Operation, read: Operation, values: Mapping[str, Any]) -> Aim | None:
        """How to send ``writer`` (of :meth:`writers`) to add to ``read``'s answer for ``values``.

        Returns:
            The aim (empty when the read takes no path values), or None when the write cannot
            be told where to land (it makes something new instead).
        """
        if not read.path_parameters:
            return Aim({}, {})
        link = next((f.link for f in self.links_into(read) if f.source is writer), None)
        if link is None:
            return None
        path: dict[str, Any] = {}
        body: dict[str, Any] = {}
        example = self.example(writer)
        for name in read.path_parameters:
            expression = link.parameters.get(name, link.parameters.get(f"path.{name}"))
            if not is_expression(expression):
                return None
            parsed = parse_expression(str(expression))
            if parsed.side == "request" and parsed.where == "path":
                path[parsed.name] = values[name]
                continue
            if parsed.side == "request" and parsed.where == "body":
                body[parsed.pointer] = values[name]
                continue
            identity = evaluate(parsed, example)
            where = self._input_of(writer, None if identity is MISSING else str(identity))
            if where is None:
                return None
            (path if where[0] == "path" else body)[where[1]] = values[name]
        return Aim(path, body)

    def _input_of(self, operation: Operation, identity: str | None) -> tuple[str, str] | None:
        """``("path", name)`` or ``("body", pointer)`` of the input carrying ``identity``."""
        if identity is None:
            return None
        for name in operation.path_parameters:
            if self.identity(operation, name) == identity:
                return "path", name
        for ref in self.references(operation):
            if ref.identity == identity:
                return "body", ref.pointer
        return None

    def modifiers(self, writer: Operation) -> tuple[Feed, ...]:
        """The writes (not deletes) ``writer`` links to, with every path value from the link."""
        return tuple(
            feed
            for feed in self.links_from(writer)
            if feed.target.method not in ("GET", "DELETE")
            and feed.target is not writer
            and self.names(feed) == set(feed.target.path_parameters)
        )

    def links_from(self, operation: Operation) -> list[Feed]:
        """Every link of ``operation``'s success responses, as feeds."""
        return [
            Feed(operation, link, target)
            for link in operation.links
            if (target := self.contract.get(link.operation_id)) is not None
        ]

    @staticmethod
    def deletes_one(operation: Operation) -> bool:
        """Whether ``operation`` deletes one resource: a DELETE ending with a path parameter."""
        params = operation.path_parameters
        return (
            operation.method == "DELETE"
            and bool(params)
            and operation.path.endswith("{" + params[-1] + "}")
        )

    def deletes_of(self, schema: str | None) -> tuple[Feed, ...]:
        """The first feed of each delete of one resource of component ``schema``.

        The resource's schema is that of the object holding the id its feed's link reads.
        """
        found = []
        for operation in self.contract.operations:
            feeds = self.feeds(operation) if self.deletes_one(operation) else ()
            if not feeds or schema is None:
                continue
            feed = feeds[0]
            last = operation.path_parameters[-1]
            expression = feed.link.parameters.get(last, feed.link.parameters.get(f"path.{last}"))
            pointer = response_pointer(expression)
            if pointer is None:
                continue
            holder = join_pointer(split_pointer(pointer)[:-1])
            answered = schema_at(self.contract, success_schema(feed.source), holder)
            if component_name(answered) == schema:
                found.append(feed)
        return tuple(found)

    def given(self, operation: Operation) -> tuple[Operation, ...]:
        """The writes ``x-parley-given`` says run first on ``operation``'s path values."""
        return tuple(
            self.contract.by_id(name)
            for note in self.contract.annotations
            if note.operation_id == operation.operation_id and isinstance(note.value, Given)
            for name in note.value.operations
        )

    def restores(self, delete: Operation) -> tuple[Operation, ...]:
        """The writes that undo ``delete``: given it, on the same path parameters."""
        return tuple(
            op
            for op in self.contract.operations
            if delete in self.given(op) and set(op.path_parameters) == set(delete.path_parameters)
        )

    def stamps(self, operation: Operation) -> bool:
        """Whether ``operation``'s ``x-parley-effects`` stamp a field (``$set``)."""
        return any(
            note.operation_id == operation.operation_id
            and isinstance(note.value, Effect)
            and SET in note.value.fields.values()
            for note in self.contract.annotations
        )

    def consumes(self, operation: Operation) -> bool:
        """Whether a success of ``operation`` may leave what it addresses unusable by others.

        A delete, or a write whose ``x-parley-effects`` move a field of what it addresses (a
        read on the write's own path values) to a stated value (a status, a cleared marker):
        a closed resource may refuse further writes.
        """
        if operation.method == "DELETE":
            return True
        return any(
            note.operation_id == operation.operation_id
            and isinstance(note.value, Effect)
            and not note.value.parameters
            and any(v not in _FIXED for v in note.value.fields.values())
            for note in self.contract.annotations
        )
