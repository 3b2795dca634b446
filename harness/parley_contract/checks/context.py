"""What every extra check is given: the contract, the selected operations and the clients."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import httpx
from parley_spec import Contract, Operation
from parley_spec.annotations import Convention

from parley_contract.client import ApiClient
from parley_contract.data import Recipes, SetupFailed, World
from parley_contract.results import CheckOutcome

__all__ = [
    "PROBLEM",
    "CheckContext",
    "ExtraCheck",
    "changed",
    "json_or_text",
    "judge",
    "judges",
    "media_type",
    "not_refused",
    "router",
    "same_answer",
    "same_json",
]

PROBLEM = "application/problem+json"


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

    def reads_on(self, names: Iterable[str]) -> list[Operation]:
        """The selected GETs with path parameters, every one of them among ``names``."""
        given = set(names)
        return [
            op
            for op in self.operations
            if op.method == "GET" and op.path_parameters and set(op.path_parameters) <= given
        ]

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

    def probe(
        self,
        check: str,
        operations: Iterable[Operation],
        one: Callable[[World, Operation], Iterable[CheckOutcome]],
        *,
        shared: bool = False,
        apart: bool = False,
    ) -> list[CheckOutcome]:
        """Judge each of ``operations`` with ``one``; a setup failure fails that one alone.

        Args:
            check: The check's name, for the setup failures.
            operations: The operations to judge, in order.
            one: Judges one operation in a `World`: its outcomes, in order.
            shared: All in the shared `World` (see `world`).
            apart: Each in a new `World` of its own (one's writes cannot spoil the next).

        Returns:
            Every outcome, and a failed one per setup failure.
        """
        outcomes: list[CheckOutcome] = []

        def judged(world: World, operation: Operation) -> None:
            try:
                outcomes.extend(one(world, operation))
            except SetupFailed as failed:
                outcomes.append(failed.outcome)

        if apart:
            for operation in operations:
                with self.world(check, outcomes) as world:
                    judged(world, operation)
        else:
            with self.world(check, outcomes, shared=shared) as world:
                for operation in operations:
                    judged(world, operation)
        return outcomes


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


def router(operations: Iterable[Operation]) -> Callable[[str], list[Operation]]:
    """A function giving the operations whose path template matches a path, literal paths first.

    `/things/deleted` then goes to its own operation, not to `/things/{id}` with id `deleted`.
    """
    ordered = sorted(operations, key=lambda op: len(op.path_parameters))
    templates = [
        (op, re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(op.path)) + "$"))
        for op in ordered
    ]
    return lambda path: [op for op, template in templates if template.match(path)]


def media_type(response: httpx.Response) -> str:
    """The media type of ``response``'s ``Content-Type``, parameters aside ("" without one)."""
    return str(response.headers.get("content-type", "").split(";")[0].strip())


def not_refused(response: httpx.Response, status: int, who: str) -> str | None:
    """What is wrong with ``response`` when it must be ``status`` with a Problem, or None.

    Args:
        response: The answer.
        status: The status it must have, with an `application/problem+json` body.
        who: What was sent, the start of the problem: ``{who} answered 400 ...``.
    """
    media = media_type(response)
    if response.status_code == status and media == PROBLEM:
        return None
    code = response.status_code
    return f"{who} answered {code} {media or '(no media type)'}, not {status} {PROBLEM}"


def json_or_text(response: httpx.Response) -> Any:
    """``response``'s JSON body, or its text when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return response.text


def same_answer(was: httpx.Response, now: httpx.Response) -> bool:
    """Whether ``now`` answers as ``was`` did: the same status, and a 2xx the same body.

    Date-times aside; a Problem's members (its request id...) may differ.
    """
    if was.status_code != now.status_code:
        return False
    return not 200 <= was.status_code < 300 or same_json(json_or_text(was), json_or_text(now))


def same_json(was: Any, now: Any) -> bool:
    """Whether ``now`` equals ``was``, any two date-times being equal."""
    if isinstance(was, dict) and isinstance(now, dict):
        return was.keys() == now.keys() and all(same_json(was[k], now[k]) for k in was)
    if isinstance(was, list) and isinstance(now, list):
        return len(was) == len(now) and all(map(same_json, was, now))
    return was == now or (_stamp(was) and _stamp(now))


def _stamp(value: Any) -> bool:
    """Whether ``value`` is an ISO 8601 date-time."""
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def changed(
    world: World, reads: list[Operation], values: Mapping[str, str], before: list[httpx.Response]
) -> tuple[Operation, httpx.Response, str] | None:
    """The first of ``reads`` (on ``values``) that answers otherwise than ``before``, or None.

    Returns:
        The read, its answer now, and how it changed: ``answers 404 ...; before, 200 ...``.
    """
    for read, was in zip(reads, before, strict=False):
        now = world.call(read, values)
        if not same_answer(was, now):
            how = (
                f"answers {now.status_code} {now.text[:200]}; before, "
                f"{was.status_code} {was.text[:200]}"
            )
            return read, now, how
    return None
