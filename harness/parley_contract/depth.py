"""Depth for the fuzzer: valid ids and fresh idempotency keys in a share of generated cases.

A schemathesis `before_call` hook, registered only while one `parley contract-test` run lasts.
For every case whose headers were generated as valid it sends a fresh `Idempotency-Key` (a
reused key is specified behaviour, 422, and the `idempotency` parley check tests reuse), so
generated writes reach their handler. For two in three (`POOL_SHARE`) of the cases whose path
(or body) was generated as valid, outside the stateful phase, it replaces the path values with
ids of resources the harness created, and a body's `agent_id` (a Q&A body's
`conversation_id`) with a real one. Deletes and status changes get resources created for that
case alone, every other operation long-lived ones, so no case starves a later one. The other
cases keep the generated ids, so unknown and malformed ids stay fuzzed.

A case whose path would be another operation's literal path (`/v1/conversation/deleted`) is
moved off it first (see `make_unshadow`).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from parley_contract.checks.client import ApiClient
from parley_contract.checks.world import SetupFailed, World
from parley_contract.spec import Spec

__all__ = ["POOL_SHARE", "ResourcePool", "deepening", "make_hook", "make_unshadow"]

# The share of eligible cases whose path values come from created resources (in thirds): two
# cases in three of each operation, the third keeps its generated ids.
POOL_SHARE = 2 / 3
_CHECK = "depth"
# A resource that could not be created: a refused create, a network error, or an answer
# without the ids the pool reads (a broken server). The case is then sent as generated.
_SETUP_ERRORS = (SetupFailed, httpx.HTTPError, KeyError, IndexError, TypeError, ValueError)


class ResourcePool:
    """Ids of resources the harness created, handed to generated cases.

    Args:
        client: A read-and-write client of the tenant under test.
        spec: The contract.
        agent_key: The `agentKey` for agent-conversation paths (an agent it creates when None).

    Cases share one set of long-lived resources unless they ask for fresh ones.
    A resource that cannot be created (a broken server) leaves the case as generated.
    """

    def __init__(self, client: ApiClient, spec: Spec, agent_key: str | None) -> None:
        self.spec = spec
        self._client = client
        self._lock = threading.Lock()
        self._stable = World(client, spec, agent_key=agent_key, check=_CHECK)

    def path_values(self, operation_id: str, *, fresh: bool) -> dict[str, str] | None:
        """Valid values for every path parameter of `operation_id`, or None when setup failed.

        Args:
            operation_id: The operation the case calls.
            fresh: Create new resources for this case instead of sharing long-lived ones.
        """
        operation = self.spec.by_id(operation_id)
        with self._lock:
            try:
                world = self._fresh() if fresh else self._stable
                return world.path_values(operation)
            except _SETUP_ERRORS:
                return None

    def body_ids(self, operation_id: str) -> dict[str, str]:
        """Ids a request body of `operation_id` may name: `agent_id`, a Q&A `conversation_id`.

        Empty when they could not be created.
        """
        operation = self.spec.by_id(operation_id)
        with self._lock:
            try:
                ids = {"agent_id": self._stable.agent()}
                if operation.path.startswith("/api/"):
                    ids["conversation_id"] = self._stable.qa_conversation()
                return ids
            except _SETUP_ERRORS:
                return {}

    def _fresh(self) -> World:
        world = World(
            self._client,
            self.spec,
            agent_key=self._stable.agent_key(),
            check=_CHECK,
            agent_id=self._stable.agent(),
        )
        return world


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


def make_hook(spec: Spec, pool: ResourcePool | None) -> Callable[..., None]:
    """The `before_call` hook that deepens each case (see the module docstring).

    Args:
        spec: The contract.
        pool: Created resources to draw ids from; None only refreshes idempotency keys.
    """
    from schemathesis.core.parameters import ParameterLocation
    from schemathesis.generation.meta import TestPhase

    by_label = {op.label: op for op in spec.operations}
    share = _Share()
    unshadow = make_unshadow(spec)

    def before_call(context: Any, case: Any, **kwargs: Any) -> None:
        operation = by_label.get(case.operation.label)
        if operation is None:
            return
        unshadow(case)
        meta = case.meta
        headers_valid = meta is None or not meta.is_negative_at(ParameterLocation.HEADER)
        if operation.takes_idempotency_key and headers_valid and case.headers:
            for name in list(case.headers):
                if name.lower() == "idempotency-key":
                    case.headers[name] = str(uuid.uuid4())
        if pool is None:
            return
        if not operation.path_params:
            named = _named_ids(case.body)
            if (
                named
                and _eligible(meta, ParameterLocation.BODY, TestPhase)
                and share.pick(operation.label)
            ):
                ids = pool.body_ids(operation.operation_id)
                case.body.update({name: ids[name] for name in named if name in ids})
            return
        if not _eligible(meta, ParameterLocation.PATH, TestPhase):
            return
        if not share.pick(operation.label):
            return
        values = pool.path_values(operation.operation_id, fresh=_consumes(operation))
        if values is not None:
            case.path_parameters = {**(case.path_parameters or {}), **values}

    return before_call


def _consumes(operation: Any) -> bool:
    """Whether a 2xx of `operation` can leave its resources unusable for other operations.

    Deletes hide them (404) and a status change (`ended`) refuses new messages (409).
    """
    return operation.method == "DELETE" or operation.operation_id in _STATE_CHANGES


_STATE_CHANGES = frozenset({"endConversation", "updateConversation"})


def _named_ids(body: Any) -> list[str]:
    """The id fields of a generated body the pool can fill (string values only)."""
    if not isinstance(body, dict):
        return []
    return [name for name in ("agent_id", "conversation_id") if isinstance(body.get(name), str)]


def _eligible(meta: Any, location: Any, phases: Any) -> bool:
    """A case generated as valid at `location`, outside the stateful phase (links fill it)."""
    if meta is None:
        return True
    return meta.phase.name != phases.STATEFUL and not meta.is_negative_at(location)


def make_unshadow(spec: Spec) -> Callable[[Any], None]:
    """A function that moves a case off another operation's literal path, in place.

    `DELETE /v1/conversation/deleted` is not a `deleteConversation` with the id `deleted`
    (ids are UUIDs; servers never issue `deleted`): the path is `listDeletedConversations`'s,
    whose route matches first (405 to DELETE, a page of conversations to GET). Whatever such a
    request gets is not an answer of the operation the case was generated for, so the value
    that lands on the other path gets a `-0` suffix: still not a UUID, the same kind of
    invalid id, now sent to the operation it was generated for.
    """
    literal = {operation.path for operation in spec.operations if not operation.path_params}

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
def deepening(spec: Spec, pool: ResourcePool | None = None) -> Iterator[None]:
    """Register the depth hooks with schemathesis for the duration of the block.

    Args:
        spec: The contract.
        pool: Created resources to draw ids from; None only refreshes idempotency keys
            (in-process runs without a server URL to create resources through).
    """
    import schemathesis
    from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

    hook = make_hook(spec, pool)
    schemathesis.hook("before_call")(hook)
    try:
        yield
    finally:
        GLOBAL_HOOK_DISPATCHER.unregister(hook)
