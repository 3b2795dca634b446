"""Depth for the fuzzer: valid ids and fresh idempotency keys in a share of generated cases.

A schemathesis `before_call` hook, registered only while one `parley contract-test` run lasts.
For every case whose headers were generated as valid it sends a fresh `Idempotency-Key` (a
reused key is specified behaviour, 422, and the `idempotency` parley check tests reuse), so
generated writes reach their handler. For a deterministic share (`POOL_SHARE`) of the cases
whose path was generated as valid, outside the stateful phase, it replaces the path values
with ids of resources the harness created (and an example body's `agent_id` with a real
agent): reads get long-lived resources, every other method a resource created for that case
alone, so deletes and state changes never starve later cases. The other cases keep the
generated ids, so unknown and malformed ids stay fuzzed.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from parley_contract.checks.client import ApiClient
from parley_contract.checks.world import SetupFailed, World
from parley_contract.spec import Spec

__all__ = ["POOL_SHARE", "ResourcePool", "deepening"]

# The share of eligible cases whose path values come from created resources (in 1/12ths).
POOL_SHARE = 8 / 12
_CHECK = "depth"


class ResourcePool:
    """Ids of resources the harness created, handed to generated cases.

    Args:
        client: A read-and-write client of the tenant under test.
        spec: The contract.
        agent_key: The `agentKey` for agent-conversation paths (an agent it creates when None).

    Reads share one set of resources; any other method gets resources created for it alone.
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
            except (SetupFailed, httpx.HTTPError):
                return None

    def agent(self) -> str | None:
        """The id of a long-lived agent, or None when it could not be created."""
        with self._lock:
            try:
                return self._stable.agent()
            except (SetupFailed, httpx.HTTPError):
                return None

    def _fresh(self) -> World:
        world = World(
            self._client,
            self.spec,
            agent_key=self._stable.agent_key(),
            check=_CHECK,
            agent_id=self._stable.agent(),
        )
        return world


def pooled(label: str, path: Any, body: Any) -> bool:
    """Whether a case takes its ids from the pool: a stable hash of what was generated."""
    text = json.dumps([label, path, body], sort_keys=True, default=repr)
    digest = hashlib.sha256(text.encode()).digest()
    return digest[0] % 12 < round(POOL_SHARE * 12)


def make_hook(pool: ResourcePool) -> Callable[..., None]:
    """The `before_call` hook that deepens each case with `pool` (see the module docstring)."""
    from schemathesis.core.parameters import ParameterLocation
    from schemathesis.generation.meta import TestPhase

    by_label = {op.label: op for op in pool.spec.operations}

    def before_call(context: Any, case: Any, **kwargs: Any) -> None:
        operation = by_label.get(case.operation.label)
        if operation is None:
            return
        meta = case.meta
        headers_valid = meta is None or not meta.is_negative_at(ParameterLocation.HEADER)
        if operation.takes_idempotency_key and headers_valid and case.headers:
            for name in list(case.headers):
                if name.lower() == "idempotency-key":
                    case.headers[name] = str(uuid.uuid4())
        if not operation.path_params:
            if (
                _has_agent_id(case.body)
                and _eligible(meta, ParameterLocation.BODY, TestPhase)
                and pooled(operation.label, None, case.body)
            ):
                agent = pool.agent()
                if agent is not None:
                    case.body["agent_id"] = agent
            return
        if not _eligible(meta, ParameterLocation.PATH, TestPhase):
            return
        if not pooled(operation.label, case.path_parameters, case.body):
            return
        values = pool.path_values(operation.operation_id, fresh=operation.method != "GET")
        if values is not None:
            case.path_parameters = {**(case.path_parameters or {}), **values}

    return before_call


def _has_agent_id(body: Any) -> bool:
    return isinstance(body, dict) and isinstance(body.get("agent_id"), str)


def _eligible(meta: Any, location: Any, phases: Any) -> bool:
    """A case generated as valid at `location`, outside the stateful phase (links fill it)."""
    if meta is None:
        return True
    return meta.phase.name != phases.STATEFUL and not meta.is_negative_at(location)


@contextmanager
def deepening(pool: ResourcePool) -> Iterator[None]:
    """Register the depth hook with schemathesis for the duration of the block."""
    import schemathesis
    from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

    hook = make_hook(pool)
    schemathesis.hook("before_call")(hook)
    try:
        yield
    finally:
        GLOBAL_HOOK_DISPATCHER.unregister(hook)
