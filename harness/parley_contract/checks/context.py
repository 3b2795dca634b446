"""What every extra check is given: the contract, the selected operations and the clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from parley_contract.checks.client import ApiClient
from parley_contract.checks.world import SetupFailed, World
from parley_contract.results import CheckOutcome
from parley_contract.spec import Operation, Spec

__all__ = ["CheckContext", "ExtraCheck", "judge"]


@dataclass
class CheckContext:
    """The run's view of the server for the extra checks.

    Attributes:
        spec: The contract.
        operations: The operations selected for this run.
        writer: A client with a read-and-write credential of the first tenant.
        reader: A client with a read-only credential of the first tenant, if given.
        other_tenant: A client with a read-and-write credential of a second tenant, if given.
        agent_key: The `agentKey` for agent-conversation paths (the created agent when None).
    """

    spec: Spec
    operations: tuple[Operation, ...]
    writer: ApiClient
    reader: ApiClient | None = None
    other_tenant: ApiClient | None = None
    agent_key: str | None = None

    def selected(self, operation_id: str) -> bool:
        """Whether the run covers `operation_id`."""
        return any(op.operation_id == operation_id for op in self.operations)

    @contextmanager
    def world(self, check: str, outcomes: list[CheckOutcome]) -> Iterator[World]:
        """A fresh `World` of the first tenant; a setup failure becomes a failed outcome.

        So does an answer the check cannot read (a missing field, a body that is not JSON).
        """
        try:
            yield World(self.writer, self.spec, agent_key=self.agent_key, check=check)
        except SetupFailed as failed:
            outcomes.append(failed.outcome)
        except httpx.HTTPError as exc:
            outcomes.append(
                CheckOutcome(label="(setup)", check=check, passed=False, message=str(exc))
            )
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            # A 2xx answer without the fields the walk reads next (a broken server).
            message = f"an answer lacked what the check reads: {type(exc).__name__} {exc}"
            outcomes.append(
                CheckOutcome(label="(setup)", check=check, passed=False, message=message)
            )


ExtraCheck = Callable[[CheckContext], list[CheckOutcome]]


def judge(
    operation: Operation,
    check: str,
    client: ApiClient,
    response: httpx.Response,
    problem: str | None,
) -> CheckOutcome:
    """The outcome of `check` on `operation`: failed with `problem`, or passed when None."""
    return CheckOutcome(
        label=operation.label,
        check=check,
        passed=problem is None,
        message=problem or "",
        curl=client.curl(response),
    )
