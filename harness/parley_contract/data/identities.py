"""Identities: which resource each input of an operation names, read from links and examples.

An operation's path values come from a link into it (a *feed*): the operation the link leaves
from is sent first, and the link's runtime expressions read the values from that exchange.
Examples name resources by value: evaluated on the documented examples, a link's
``$response.body#...`` expression yields an example id (the id a create's example answers);
the same value elsewhere, in a request body example or in the example of a request schema's
property, names a resource of that kind. The operations whose answers carry an identity are
its origins; those whose requests need none of it are its creators.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

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
)

from parley_contract.data.schemas import request_schema

__all__ = ["Feed", "Identities", "Origin", "Reference", "memoized", "response_pointer"]

S = TypeVar("S")
P = ParamSpec("P")
T = TypeVar("T")


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


def response_pointer(expression: Any) -> str | None:
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


def memoized(method: Callable[Concatenate[S, P], T]) -> Callable[Concatenate[S, P], T]:
    """Keeps a method's answers on its instance, by arguments.

    Unlike ``functools.cache``, which would keep the instance (and its contract) alive for the
    life of the process.
    """
    slot = f"_memo_{method.__name__}"

    def remembered(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        memo: dict[Any, T] = self.__dict__.setdefault(slot, {})
        key = (args, tuple(sorted(kwargs.items())))
        if key not in memo:
            memo[key] = method(self, *args, **kwargs)
        return memo[key]

    remembered.__doc__ = method.__doc__
    return remembered


class Identities:
    """Feeds, identities and references of a contract (see the module docstring), computed once.

    Args:
        contract: The contract.
    """

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self._visiting: set[str] = set()

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

    @memoized
    def feeds(self, operation: Operation) -> tuple[Feed, ...]:
        """The links that give every path value of ``operation``: shortest chain first.

        A source with fewer path parameters of its own comes first, then document order.
        Without a link into it, an operation takes the feeds of the operation on the longest
        path its own path extends with the same path parameters (``PATCH /things/{id}/restore``
        those of ``GET /things/{id}``): the values that address one address the other.
        """
        found = self._direct(operation)
        if found or not operation.path_parameters:
            return found
        for parent in self.parents(operation):
            found = self._direct(parent)
            if found:
                return found
        return ()

    def _direct(self, operation: Operation) -> tuple[Feed, ...]:
        wanted = set(operation.path_parameters)
        found = [
            feed
            for feed in self.links_into(operation)
            if feed.source is not operation and self.names(feed) == wanted
        ]
        return tuple(sorted(found, key=lambda feed: len(feed.source.path_parameters)))

    def parents(self, operation: Operation) -> list[Operation]:
        """The operations on the paths ``operation``'s path extends (or shares).

        Only those with the same path parameters; the longest path first.
        """
        wanted = set(operation.path_parameters)
        found = [
            op
            for op in self.contract.operations
            if op is not operation
            and set(op.path_parameters) == wanted
            and (operation.path == op.path or operation.path.startswith(op.path + "/"))
        ]
        return sorted(found, key=lambda op: -len(op.path))

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

    @memoized
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
        if example is MISSING and not self._direct(operation) and self.feeds(operation):
            return self.identity(self.feeds(operation)[0].target, name)
        return None if example is MISSING else str(example)

    @functools.cached_property
    def _found(self) -> dict[str, list[Origin]]:
        """Identity -> where its ids come from (links' ``$response.body`` values), unsorted."""
        found: dict[str, list[Origin]] = {}
        for operation in self.contract.operations:
            answer = self.example(operation).response_body
            for link in operation.links:
                for expression in link.parameters.values():
                    pointer = response_pointer(expression)
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

    @memoized
    def id_pointers(self, operation: Operation) -> frozenset[str]:
        """The pointers into ``operation``'s answer that its links pass on (its ids)."""
        return frozenset(
            pointer
            for link in operation.links
            for expression in link.parameters.values()
            if (pointer := response_pointer(expression)) is not None
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

    @memoized
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
        schema = self.contract.resolve(request_schema(operation))
        properties = schema.get("properties") if isinstance(schema, Mapping) else None
        for name, sub in (properties or {}).items():
            example = (
                self.contract.resolve(sub).get("example") if isinstance(sub, Mapping) else None
            )
            in_body = isinstance(body, Mapping) and name in body
            if isinstance(example, str) and example in ids and not in_body:
                found.append(Reference(join_pointer([str(name)]), example, False))
        return tuple(found)
