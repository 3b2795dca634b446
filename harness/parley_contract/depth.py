"""Depth for the fuzzer: valid ids and fresh idempotency keys in a share of generated cases.

A schemathesis `before_call` hook, registered only while one `parley contract-test` run lasts.
For every case whose headers were generated as valid it sends a fresh `Idempotency-Key` (a
reused key is specified behaviour, 422, and the `idempotency` parley check tests reuse), so
generated writes reach their handler. For two in three (`POOL_SHARE`) of the cases whose path
(or body) was generated as valid, outside the stateful phase, it replaces the path values with
ids of resources the harness made, and the body fields that name resources (see
`parley_contract.data.recipes`) with real ids. Writes that may leave what they address
unusable (deletes, writes moving it to a stated value) get resources made for that case
alone, every other operation long-lived ones, so no case starves a later one. The other cases
keep the generated ids, so unknown and malformed ids stay fuzzed.

A header the fuzzer made up that names a part of HTTP/1.1's message framing
(`FRAMING_HEADERS`: `Content-Length`, `Transfer-Encoding`, `Host`, `Connection`...) is
dropped from a case generated as valid, unless the operation declares it: the transport
writes those, and a made-up value turns the request into invalid HTTP/1.1, which a server
must refuse with 400 before reading it (RFC 9112 section 6.3), so the case would judge the
framing, not the operation.

A case whose path would be another operation's literal path (`/things/deleted` when `deleted`
is not an id) is moved off it first (see `make_unshadow`).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from parley_spec import Contract, pointer_get

from parley_contract.client import ApiClient
from parley_contract.data import SETUP_ERRORS, Recipes, World
from parley_contract.data.bodies import with_field

FRAMING_HEADERS = frozenset(
    {
        "content-length",
        "transfer-encoding",
        "host",
        "connection",
        "keep-alive",
        "te",
        "trailer",
        "upgrade",
        "expect",
    }
)
"""Header names that frame an HTTP/1.1 message rather than carry API input (lowercase)."""

__all__ = ["POOL_SHARE", "ResourcePool", "deepening", "make_hook", "make_unshadow"]

# The share of eligible cases whose path values come from made resources (in thirds): two
# cases in three of each operation, the third keeps its generated ids.
POOL_SHARE = 2 / 3
_CHECK = "depth"


class ResourcePool:
    """Ids of resources the harness made, handed to generated cases.

    Args:
        client: A read-and-write client of the tenant under test.
        contract: The contract.
        fixed: Path values the user gave, by parameter name.

    A resource that cannot be made (a broken server) leaves the case as generated.
    """

    def __init__(
        self, client: ApiClient, contract: Contract, fixed: dict[str, str] | None = None
    ) -> None:
        self.contract = contract
        self.recipes = Recipes(contract)
        self._lock = threading.Lock()
        self._world = World(client, self.recipes, check=_CHECK, fixed=fixed)

    def path_values(self, operation_id: str) -> dict[str, str] | None:
        """Valid values for every path parameter of ``operation_id``, or None when setup failed.

        A write that consumes what it addresses (`Recipes.consumes`) gets a new resource.
        """
        operation = self.contract.by_id(operation_id)
        with self._lock:
            try:
                fresh = self.recipes.consumes(operation)
                return self._world.path_values(operation, fresh=fresh)
            except SETUP_ERRORS:
                return None

    def body_ids(self, operation_id: str) -> dict[str, str]:
        """Real ids for the body fields of ``operation_id`` that name resources, by pointer.

        Empty when they could not be made.
        """
        operation = self.contract.by_id(operation_id)
        with self._lock:
            try:
                return {
                    ref.pointer: self._world.value_of(ref.identity)
                    for ref in self.recipes.references(operation)
                }
            except SETUP_ERRORS:
                return {}


class _Share:
    """Picks `POOL_SHARE` of each operation's eligible cases, in the order they come."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}
        self._lock = threading.Lock()

    def pick(self, label: str) -> bool:
        """Whether the next eligible case of `label` takes its ids from the pool."""
        with self._lock:
            index = self._seen.get(label, 0)
            self._seen[label] = index + 1
        return index % 3 < round(POOL_SHARE * 3)


def make_hook(contract: Contract, pool: ResourcePool | None) -> Callable[..., None]:
    """The `before_call` hook that deepens each case (see the module docstring).

    Its ids come from ``pool``; None only refreshes idempotency keys.
    """
    from schemathesis.core.parameters import ParameterLocation
    from schemathesis.generation.meta import TestPhase

    by_label = {op.label: op for op in contract.operations}
    share = _Share()
    unshadow = make_unshadow(contract)

    def before_call(context: Any, case: Any, **kwargs: Any) -> None:
        operation = by_label.get(case.operation.label)
        if operation is None:
            return
        unshadow(case)
        meta = case.meta
        headers_valid = meta is None or not meta.is_negative_at(ParameterLocation.HEADER)
        if headers_valid and case.headers:
            declared = {p.name.lower() for p in operation.parameters if p.location == "header"}
            for name in list(case.headers):
                if name.lower() in FRAMING_HEADERS - declared:
                    del case.headers[name]
        if operation.takes_idempotency_key and headers_valid and case.headers:
            for name in list(case.headers):
                if name.lower() == "idempotency-key":
                    case.headers[name] = str(uuid.uuid4())
        if pool is None:
            return
        if not operation.path_parameters:
            named = [
                ref.pointer
                for ref in pool.recipes.references(operation)
                if isinstance(pointer_get(case.body, ref.pointer), str)
            ]
            if (
                named
                and _eligible(meta, ParameterLocation.BODY, TestPhase)
                and share.pick(operation.label)
            ):
                ids = pool.body_ids(operation.operation_id)
                for pointer in named:
                    if pointer in ids:
                        case.body = with_field(case.body, pointer, ids[pointer])
            return
        if not _eligible(meta, ParameterLocation.PATH, TestPhase):
            return
        if not share.pick(operation.label):
            return
        values = pool.path_values(operation.operation_id)
        if values is not None:
            case.path_parameters = {**(case.path_parameters or {}), **values}

    return before_call


def _eligible(meta: Any, location: Any, phases: Any) -> bool:
    """A case generated as valid at `location`, outside the stateful phase (links fill it)."""
    if meta is None:
        return True
    return meta.phase.name != phases.STATEFUL and not meta.is_negative_at(location)


def make_unshadow(contract: Contract) -> Callable[[Any], None]:
    """A function that moves a case off another operation's literal path, in place.

    A delete of `/things/{id}` generated with the id `deleted`, where `/things/deleted` is
    another operation's literal path (a list of deleted things), is not a delete of a thing:
    that path's route matches first (405 to DELETE, a list to GET). Whatever such a request
    gets is not an answer of the operation the case was generated for, so the value that
    lands on the other path gets a `-0` suffix: still not an id, the same kind of invalid
    value, now sent to the operation it was generated for.
    """
    literal = {op.path for op in contract.operations if not op.path_parameters}

    def unshadow(case: Any) -> None:
        params = case.path_parameters
        if not params or case.formatted_path not in literal:
            return
        segments = case.formatted_path.split("/")
        case.path_parameters = {
            name: f"{value}-0" if isinstance(value, str) and value in segments else value
            for name, value in params.items()
        }

    return unshadow


@contextmanager
def deepening(contract: Contract, pool: ResourcePool | None = None) -> Iterator[None]:
    """Register `make_hook`'s hook with schemathesis for the duration of the block.

    A ``pool`` of None (an in-process run without a server URL to make resources through)
    only refreshes idempotency keys.
    """
    import schemathesis
    from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

    hook = make_hook(contract, pool)
    schemathesis.hook("before_call")(hook)
    try:
        yield
    finally:
        GLOBAL_HOOK_DISPATCHER.unregister(hook)
