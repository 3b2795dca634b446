"""What the contract says about test data: which operation feeds which, read from its links.

Nothing here names an operation; everything is read from the document:

* **Feeds.** An operation's path values come from a link into it: the operation the link
  leaves from is sent first, and the link's runtime expressions read the values from that
  exchange (:meth:`Recipes.feeds`).
* **Identities.** Examples name resources by value. Evaluated on the documented examples, a
  link's ``$response.body#...`` expression yields an example id (the id a create's example
  answers); the same value elsewhere, in a request body example or in the example of a
  request schema's property, names a resource of that kind (:meth:`Recipes.references`).
  The operations whose answers carry an identity are its origins (:meth:`Recipes.origins`).
* **Writers and aims.** A write with a link to a read adds to what the read answers; it lands
  on given path values of the read when each of the link's values comes from an input of the
  write (a path parameter, or a body field of the same identity) (:meth:`Recipes.aim`).
* **Modifiers and deletes.** The writes a create links to change (or delete) what it made;
  ``x-parley-given`` names the writes to run first, and a restore is a write whose given
  write is the delete it undoes.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from parley_spec import (
    MISSING,
    Contract,
    Exchange,
    Link,
    Operation,
    SpecError,
    evaluate,
    is_expression,
    join_pointer,
    parse_expression,
    split_pointer,
)
from parley_spec.annotations import LATER, SET, Effect, Given

from parley_contract.data.schemas import component_name, schema_at, success_schema

__all__ = ["Aim", "Feed", "Origin", "Recipes", "Reference"]

_FIXED = (SET, LATER)


@dataclass(frozen=True)
class Feed:
    """A link into ``target``: sending ``source`` first gives its path values.

    Attributes:
        source: The operation the link leaves from.
        link: The link.
        target: The operation it leads to.
    """

    source: Operation
    link: Link
    target: Operation


@dataclass(frozen=True)
class Reference:
    """A request-body field that names a resource another operation makes.

    Attributes:
        pointer: Where the field is in the request body.
        identity: The example id it holds (what :meth:`Recipes.origins` looks up).
        in_example: Whether the body's example sets it; otherwise only the example of its
            schema property names it (an optional field, sent only to aim the write).
    """

    pointer: str
    identity: str
    in_example: bool


@dataclass(frozen=True)
class Origin:
    """One operation whose answer carries ids of one identity.

    Attributes:
        operation: The operation.
        pointer: Where the id is in its success response body.
        creates: Whether it makes a new one (no input of its example carries the identity).
    """

    operation: Operation
    pointer: str
    creates: bool


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


def _response_pointer(expression: Any) -> str | None:
    """The pointer of a ``$response.body#...`` expression, else None."""
    if not is_expression(expression):
        return None
    parsed = parse_expression(str(expression))
    if parsed.side == "response" and parsed.where == "body":
        return parsed.pointer
    return None


def _leaves(value: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """``(pointer, value)`` of every scalar in a JSON value."""
    if isinstance(value, Mapping):
        for key, sub in value.items():
            yield from _leaves(sub, pointer + join_pointer([str(key)]))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield from _leaves(sub, f"{pointer}/{index}")
    else:
        yield pointer, value


class Recipes:
    """The test data a contract implies (see the module docstring), computed once per contract.

    Args:
        contract: The contract.
    """

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self._visiting: set[str] = set()

    # --- feeds and identities ---------------------------------------------------------------

    @functools.cached_property
    def _links_into(self) -> dict[str, list[Feed]]:
        found: dict[str, list[Feed]] = {}
        for source in self.contract.operations:
            for link in source.links:
                target = self.contract.get(link.operation_id)
                if target is not None:
                    found.setdefault(target.operation_id, []).append(Feed(source, link, target))
        return found

    def links_into(self, operation: Operation) -> list[Feed]:
        """Every link into ``operation``, in document order."""
        return self._links_into.get(operation.operation_id, [])

    @staticmethod
    def names(feed: Feed) -> set[str]:
        """The path parameters of ``feed.target`` that its link names."""
        named = {key.removeprefix("path.") for key in feed.link.parameters}
        return named & set(feed.target.path_parameters)

    @functools.cache  # noqa: B019 - one Recipes per contract, kept for the run
    def feeds(self, operation: Operation) -> tuple[Feed, ...]:
        """The links that give every path value of ``operation``: shortest chain first.

        A source with fewer path parameters of its own comes first, then document order.
        """
        wanted = set(operation.path_parameters)
        found = [
            feed
            for feed in self.links_into(operation)
            if feed.source is not operation and self.names(feed) == wanted
        ]
        return tuple(sorted(found, key=lambda feed: len(feed.source.path_parameters)))

    def example(self, operation: Operation) -> Exchange:
        """The operation's documented exchange: its examples, path values as identities."""
        path = {name: self.identity(operation, name) for name in operation.path_parameters}
        success = operation.success
        media = success.content.get("application/json") if success is not None else None
        body = operation.example_body()
        return Exchange(
            method=operation.method,
            path={k: v for k, v in path.items() if v is not None},
            request_body=MISSING if body is None else body,
            status=operation.success_status,
            response_body=media.first_example() if media is not None else MISSING,
        )

    @functools.cache  # noqa: B019
    def identity(self, operation: Operation, name: str) -> str | None:
        """The example id a path parameter takes (None when nothing says).

        Read through the links into the operation, else the parameter's own ``example``.
        """
        key = f"{operation.operation_id} {name}"
        if key not in self._visiting:
            self._visiting.add(key)
            try:
                for feed in self.links_into(operation):
                    if name not in self.names(feed):
                        continue
                    try:
                        value = self.contract.follow(feed.link, self.example(feed.source))
                    except SpecError:
                        continue
                    found = value.values.get(("path", name))
                    if isinstance(found, str | int) and not isinstance(found, bool):
                        return str(found)
            finally:
                self._visiting.discard(key)
        param = operation.parameter(name, "path")
        example = param.example if param is not None else MISSING
        return None if example is MISSING else str(example)

    @functools.cached_property
    def _found(self) -> dict[str, list[Origin]]:
        """Identity -> where its ids come from (links' ``$response.body`` values), unsorted."""
        found: dict[str, list[Origin]] = {}
        for operation in self.contract.operations:
            answer = self.example(operation).response_body
            for link in operation.links:
                for expression in link.parameters.values():
                    pointer = _response_pointer(expression)
                    value = evaluate(str(expression), Exchange(response_body=answer))
                    if pointer is None or not isinstance(value, str | int):
                        continue
                    known = found.setdefault(str(value), [])
                    if all(o.operation is not operation or o.pointer != pointer for o in known):
                        known.append(Origin(operation, pointer, creates=True))
        return found

    @functools.cached_property
    def _origins(self) -> dict[str, list[Origin]]:
        return {
            identity: sorted(
                (
                    Origin(o.operation, o.pointer, identity not in self._inputs(o.operation))
                    for o in origins
                ),
                key=lambda o: (not o.creates, len(o.operation.path_parameters)),
            )
            for identity, origins in self._found.items()
        }

    @functools.cache  # noqa: B019
    def id_pointers(self, operation: Operation) -> frozenset[str]:
        """The pointers into ``operation``'s answer that its links pass on (its ids)."""
        return frozenset(
            pointer
            for link in operation.links
            for expression in link.parameters.values()
            if (pointer := _response_pointer(expression)) is not None
        )

    def origins(self, identity: str) -> tuple[Origin, ...]:
        """The operations whose answers carry ids of ``identity``.

        Creators first, then those with fewer path parameters.
        """
        return tuple(self._origins.get(identity, ()))

    def _inputs(self, operation: Operation) -> set[str]:
        """The identities a request of ``operation`` needs: path values and example fields."""
        path = {self.identity(operation, name) for name in operation.path_parameters}
        body = {ref.identity for ref in self.references(operation) if ref.in_example}
        return {value for value in path | body if value is not None}

    @functools.cache  # noqa: B019
    def references(self, operation: Operation) -> tuple[Reference, ...]:
        """The request-body fields that name resources.

        Example ids in the body example, then the properties whose schema example is an id
        (optional fields).
        """
        ids = set(self._found)
        body = operation.example_body()
        found = [
            Reference(pointer, str(value), True)
            for pointer, value in _leaves(body)
            if isinstance(value, str) and value in ids
        ]
        media = (
            operation.request_body.content.get("application/json")
            if operation.request_body
            else None
        )
        schema = self.contract.resolve(media.schema) if media is not None else None
        properties = schema.get("properties") if isinstance(schema, Mapping) else None
        for name, sub in (properties or {}).items():
            example = (
                self.contract.resolve(sub).get("example") if isinstance(sub, Mapping) else None
            )
            in_body = isinstance(body, Mapping) and name in body
            if isinstance(example, str) and example in ids and not in_body:
                found.append(Reference(join_pointer([str(name)]), example, False))
        return tuple(found)

    # --- writes -----------------------------------------------------------------------------

    def item_schema(self, read: Operation, items: str) -> str | None:
        """The component schema of the items of the list at ``items`` in ``read``'s answer."""
        return component_name(schema_at(self.contract, success_schema(read), items + "/0"))

    def writers(self, read: Operation, items: str | None = None) -> tuple[Operation, ...]:
        """The writes that add to what ``read`` answers.

        Those with a link to it; without any, the writes without path parameters that answer
        an item of its list at ``items``.
        """
        linked = [f.source for f in self.links_into(read) if f.source.method != "GET"]
        if linked or items is None:
            return tuple(dict.fromkeys(linked))
        schema = self.item_schema(read, items)
        return tuple(
            op
            for op in self.contract.operations
            if op.method != "GET"
            and not op.path_parameters
            and schema is not None
            and component_name(success_schema(op)) == schema
        )

    def aim(self, writer: Operation, read: Operation, values: Mapping[str, Any]) -> Aim | None:
        """How to send ``writer`` so that it adds to ``read``'s answer for ``values``.

        Args:
            writer: A write of :meth:`writers`.
            read: The read.
            values: The read's path values.

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
            pointer = _response_pointer(expression)
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

        A delete, or a write whose ``x-parley-effects`` move a field to a stated value (a
        status, a cleared marker): a closed resource may refuse further writes.
        """
        if operation.method == "DELETE":
            return True
        return any(
            note.operation_id == operation.operation_id
            and isinstance(note.value, Effect)
            and any(v not in _FIXED for v in note.value.fields.values())
            for note in self.contract.annotations
        )
