"""What every extra check is given: the contract, the selected operations and the clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

import httpx
from parley_spec import Contract, Operation
from parley_spec.annotations import Convention

from parley_contract.client import ApiClient
from parley_contract.data import Recipes, SetupFailed, World
from parley_contract.results import CheckOutcome

__all__ = ["CheckContext", "ExtraCheck", "judge", "judges"]


@dataclass
class CheckContext:
    """The run's view of the server for the extra checks.

    Attributes:
        contract: The contract.
        operations: The operations selected for this run.
        writer: A client with a read-and-write credential of the first tenant.
        reader: A client with a read-only credential of the first tenant, if given.
        other_tenant: A client with a read-and-write credential of a second tenant, if given.
        path_values: Values the user gave for path parameters, by name (``--path-value``).
    """

    contract: Contract
    operations: tuple[Operation, ...]
    writer: ApiClient
    reader: ApiClient | None = None
    other_tenant: ApiClient | None = None
    path_values: Mapping[str, str] = field(default_factory=dict)
    _shared: World | None = field(default=None, init=False, repr=False)

    @cached_property
    def recipes(self) -> Recipes:
        """What the contract says about test data."""
        return Recipes(self.contract)

    def promised(self, check: str) -> bool:
        """Whether a convention of the contract (``x-parley-conventions``) names ``check``.

        The checks written for a convention run only for a document that makes it.
        """
        return check in judges(self.contract)

    def selected(self, operation: Operation) -> bool:
        """Whether the run covers ``operation``."""
        return operation in self.operations

    def new_world(self, check: str) -> World:
        """A new `World` of the first tenant, its setup failures reported under ``check``."""
        return World(self.writer, self.recipes, check=check, fixed=self.path_values)

    @contextmanager
    def world(
        self, check: str, outcomes: list[CheckOutcome], *, shared: bool = False
    ) -> Iterator[World]:
        """A new `World`; a setup failure in the block becomes a failed outcome.

        So does an answer the check cannot read (a missing field, a body that is not JSON).

        Args:
            check: The check's name, for the setup failures.
            outcomes: Receives them.
            shared: The one `World` of the checks that change nothing on a server keeping
                its promises (the conventions' probes): its resources are made once.
        """
        if shared and self._shared is None:
            self._shared = self.new_world(check)
        world = self._shared if shared and self._shared is not None else self.new_world(check)
        world.check = check
        try:
            yield world
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


def judges(contract: Contract) -> frozenset[str]:
    """Every check a convention of ``contract`` names in its ``judge``."""
    return frozenset(
        name
        for note in contract.annotations
        if isinstance(note.value, Convention)
        for name in note.value.judge
    )


def judge(
    operation: Operation,
    check: str,
    client: ApiClient,
    response: httpx.Response,
    problem: str | None,
) -> CheckOutcome:
    """The outcome of ``check`` on ``operation``: failed with ``problem``, or passed when None."""
    return CheckOutcome(
        label=operation.label,
        check=check,
        passed=problem is None,
        message=problem or "",
        curl=client.curl(response),
    )
