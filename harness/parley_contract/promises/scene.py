"""The data the promise checks judge: made once per run, through the server's own writes.

What the scene makes follows from the promises of the run (`Needs`) and from the document
(`parley_contract.data.Recipes`), never from operation names:

1. every list a promise reads gets `GROW` items: the first write that links to the list
   is sent that many times, aimed at the list's path values, its body varied per copy;
2. every list filtered or sorted by a chosen field gets items that differ in what the writes
   changing them set: each write the list's writer links to (not a delete) is applied, after
   its ``x-parley-given`` writes, to a new item per variant of its body (one per value of an
   enum property its example leaves out); a write whose ``x-parley-effects`` stamp a field
   (``$set``) to `STAMPED` new items, so that a list sorted by that field has enough to
   compare;
3. around the lists with a visibility promise: `DELETED` items per delete of their items'
   schema are made, the lists read (``before``), the items deleted, the lists read
   (``after``), `RESTORED` of them restored by the writes given that delete, the lists read
   (``again``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from parley_spec import Contract, Operation, pointer_get

from parley_contract.checks.context import CheckContext
from parley_contract.data import SETUP_ERRORS, Feed, SetupFailed, World
from parley_contract.data.schemas import item_schema, request_schema
from parley_contract.promises.kind import Needs
from parley_contract.results import CheckOutcome

__all__ = ["SETUP_CHECK", "Scene", "Snapshot", "ids_of", "items_of", "json_of"]

SETUP_CHECK = "promise_setup"
# Items each list a promise reads gets; an order is observable with three distinct keys.
GROW = 3
# New items a write that stamps a field is applied to: the field then shows three values.
STAMPED = 3
# Items soft-deleted per delete operation, and restored of them afterwards: a list of
# deleted items keeps four to sort (three when a broken server loses one).
DELETED = 5
RESTORED = 1
# Items read per page, and pages read at most, when a check reads a whole list.
PER_PAGE = 100
MAX_PAGES = 10


@dataclass(frozen=True)
class Snapshot:
    """One read: the response and its JSON body (None when not JSON)."""

    response: httpx.Response
    body: Any


class Scene:
    """The first tenant's data for the promise checks, and the reads around its soft deletes.

    Args:
        ctx: The run's check context (its writer client makes and reads).
    """

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.contract: Contract = ctx.contract
        self.recipes = ctx.recipes
        self.client = ctx.writer
        self.world: World = ctx.new_world(SETUP_CHECK)
        self.soft_deleted: set[str] = set()
        self.restored: set[str] = set()
        self.before: dict[str, Snapshot] = {}
        self.after: dict[str, Snapshot] = {}
        self.again: dict[str, Snapshot] = {}
        self.problems: list[CheckOutcome] = []
        self._memo: dict[tuple[Any, ...], Snapshot] | None = None

    # --- reads ------------------------------------------------------------------------------

    def read(
        self,
        operation: Operation,
        path: dict[str, str],
        query: dict[str, str | int] | None = None,
    ) -> Snapshot:
        """Send a read (with the largest page its ``per_page`` parameter allows)."""
        params: dict[str, str | int] = dict(query or {})
        per_page = operation.parameter("per_page", "query")
        if per_page is not None:
            params.setdefault("per_page", int(per_page.schema.get("maximum", PER_PAGE)))
        key = (operation.operation_id, tuple(sorted(path.items())), tuple(sorted(params.items())))
        if self._memo is not None and key in self._memo:
            return self._memo[key]
        response = self.world.call(operation, path, params=params or None)
        snapshot = Snapshot(response, json_of(response))
        if self._memo is not None:
            self._memo[key] = snapshot
        return snapshot

    @contextmanager
    def memoized(self) -> Iterator[None]:
        """Answer a repeated read (same path and query) from the first one, within the block.

        For checks that write nothing, so that the server's state cannot change meanwhile.
        """
        self._memo = {}
        try:
            yield
        finally:
            self._memo = None

    def path_of(self, operation: Operation) -> dict[str, str]:
        """The path values of ``operation`` from the scene's resources."""
        return self.world.path_values(operation)

    def known_ids(self) -> set[str]:
        """Every id the scene made."""
        return self.world.known_ids() | self.soft_deleted

    # --- making -----------------------------------------------------------------------------

    def _step(self, step: Callable[[], None]) -> None:
        """Run one step of the scene; a failure is recorded and the scene goes on."""
        try:
            step()
        except SetupFailed as failed:
            self.problems.append(failed.outcome)
        except SETUP_ERRORS as exc:
            message = f"making the scene failed: {type(exc).__name__} {exc}"
            self.problems.append(CheckOutcome("(setup)", SETUP_CHECK, False, message))

    def build(self, needs: Iterable[Needs]) -> None:
        """Make what the promises need (see the module docstring), in that order."""
        wanted = list(needs)
        grow = _unique(pair for need in wanted for pair in need.grow)
        diversify = _unique(pair for need in wanted for pair in need.diversify)
        watch = _unique(pair for need in wanted for pair in need.watch)
        for read, items in grow:
            self._step(functools.partial(self.world.grow, read, GROW, items=items))
        for read, items in diversify:
            self._step(functools.partial(self._diversify, read, items))
        if watch:
            self._step(lambda: self._soft_delete([read for read, _ in watch], watch))

    def _diversify(self, read: Operation, items: str) -> None:
        values = self.world.path_values(read)
        for writer in self.recipes.writers(read, items):
            aim = self.recipes.aim(writer, read, values)
            if aim is None:
                continue
            for feed in self.recipes.modifiers(writer):
                times = STAMPED if self.recipes.stamps(feed.target) else 1
                for body in self._variants(feed.target):
                    for _ in range(times):
                        path = self.world.follow(feed, self.world.make(writer, aim=aim))
                        self.world.prepare(feed.target, path)
                        response = self.world.call(feed.target, path, body)
                        self.world.expect(feed.target, response)
            return

    def _variants(self, write: Operation) -> list[Any]:
        """The bodies ``write`` is applied with.

        One per value of each enum property its example leaves out, or the example alone.
        """
        body = self.world.body_for(write)
        schema = self.contract.resolve(request_schema(write)) or {}
        found = []
        for name, sub in (schema.get("properties") or {}).items():
            enum = self.contract.resolve(sub).get("enum") if isinstance(body, dict) else None
            if isinstance(enum, list) and name not in body:
                found += [{**body, name: value} for value in enum if value is not None]
        return found or [body]

    def _soft_delete(self, reads: list[Operation], watch: list[tuple[Operation, str]]) -> None:
        deletes: dict[str, Feed] = {}
        for read, items in watch:
            for feed in self.recipes.deletes_of(item_schema(self.contract, read, items)):
                deletes.setdefault(feed.target.operation_id, feed)
        doomed = {
            name: [self.world.follow(feed, self.world.make(feed.source)) for _ in range(DELETED)]
            for name, feed in deletes.items()
        }
        self.before = self._read_all(reads)
        for name, feed in deletes.items():
            for values in doomed[name]:
                self.world.expect(feed.target, self.world.call(feed.target, values))
                self.soft_deleted.add(values[feed.target.path_parameters[-1]])
        self.after = self._read_all(reads)
        for name, feed in deletes.items():
            for restore in self.recipes.restores(feed.target):
                for values in doomed[name][:RESTORED]:
                    self.world.expect(restore, self.world.call(restore, values))
                    self.restored.add(values[feed.target.path_parameters[-1]])
        self.again = self._read_all(reads) if self.restored else {}

    def _read_all(self, reads: list[Operation]) -> dict[str, Snapshot]:
        return {read.operation_id: self.read(read, self.path_of(read)) for read in reads}


def _unique(pairs: Iterable[tuple[Operation, str]]) -> list[tuple[Operation, str]]:
    seen: dict[tuple[str, str], tuple[Operation, str]] = {}
    for operation, items in pairs:
        seen.setdefault((operation.operation_id, items), (operation, items))
    return list(seen.values())


def items_of(body: Any, pointer: str) -> list[Any] | None:
    """The list at ``pointer`` in ``body``, or None when there is none."""
    found = pointer_get(body, pointer)
    return found if isinstance(found, list) else None


def ids_of(items: Iterable[Any]) -> list[str]:
    """The ``id`` of each object of ``items``."""
    return [str(item.get("id")) for item in items if isinstance(item, Mapping)]


def json_of(response: httpx.Response) -> Any:
    """The JSON body of ``response``, or None (also when it has none)."""
    try:
        return response.json() if response.content else None
    except ValueError:
        return None
