"""Requests, readings and expectations as the ``x-parley-*`` kinds state them, for their checks.

The kinds that say "run ``given``, send the request, take the reading, it holds ``fields``"
(outcomes, read-back, answers, keeps, repeats, landings, idempotent calls, streams) share
this module; its terms are CONTRIBUTING.md's (``vocabulary.json``'s ``x-parley-terms``):

`prepare` runs a `Request`'s ``given`` steps on a new resource and works out the request
under test, `send` sends it, `run` does both; `read` takes a `Reading` after an exchange;
`expect` judges an expectation map on an object (expressions over an `Exchange` whose
``subjects``, added by `with_subjects`, name the other exchanges: ``$given#``, ``$read#``...).

Everything comes from the annotation and the document; nothing names an operation. A step
that does not answer its success status raises `SetupFailed` (the promise is then not
exercised, with the reason).

`resolve`, `expect`, `unjudged`, `same` and `with_subjects` are
`parley_contract.promises.expectations`'s, re-exported here so that a kind imports one module.

Example::

    sent = run(scene, operation, answer.request)  # sent.response, sent.exchange
    got = read(scene, answer.reading, sent.exchange)  # got.object, or got.problem
    after = with_subjects(sent.exchange, read=got.object)  # $read# is the object read
    problem = got.problem or expect(scene, answer.fields, after.response_body, after)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
from parley_spec import MISSING, Exchange, Operation, pointer_get
from parley_spec.annotations import Reading, Request, Step

from parley_contract.client import ApiClient
from parley_contract.data.schemas import request_schema
from parley_contract.promises.expectations import (
    expect,
    resolve,
    same,
    unjudged,
    with_subjects,
)
from parley_contract.promises.scene import Scene, json_of

__all__ = [
    "Prepared",
    "Read",
    "Sent",
    "expect",
    "prepare",
    "read",
    "resolve",
    "run",
    "run_steps",
    "same",
    "send",
    "unjudged",
    "with_subjects",
]

GIVEN = "given"
"""The subject naming the answer of the last ``given`` step (``$given#/id``)."""


@dataclass(frozen=True)
class Sent:
    """One request sent and its answer.

    Attributes:
        operation: The operation sent.
        response: Its response, body read.
        exchange: The request and the response as an `Exchange` (JSON bodies parsed, the
            subjects it was made with).
    """

    operation: Operation
    response: httpx.Response
    exchange: Exchange


@dataclass(frozen=True)
class Prepared:
    """The request under test, worked out after its ``given`` steps ran.

    Attributes:
        operation: The operation under test.
        path: Its path values, by name.
        query: Its query parameter values, by name.
        headers: Its header values (a fresh ``Idempotency-Key`` when it takes one).
        body: Its JSON body, or ``MISSING`` for none.
        given: The steps' exchanges, in order.
        subjects: The subjects its exchange carries: ``given`` (the last step's answer) and
            those the caller passed.
    """

    operation: Operation
    path: Mapping[str, str]
    query: Mapping[str, Any]
    headers: Mapping[str, str]
    body: Any
    given: tuple[Sent, ...] = ()
    subjects: Mapping[str, Any] = field(default_factory=dict)

    def exchange(self, response: httpx.Response | None = None) -> Exchange:
        """The request as an `Exchange`, with ``response``'s status and JSON body if given."""
        return Exchange(
            method=self.operation.method,
            url=str(response.request.url) if response is not None else "",
            path=dict(self.path),
            query=dict(self.query),
            request_headers=dict(self.headers),
            request_body=self.body,
            status=response.status_code if response is not None else None,
            response_headers=dict(response.headers) if response is not None else {},
            response_body=_body(response) if response is not None else MISSING,
            subjects=dict(self.subjects),
        )


@dataclass(frozen=True)
class Read:
    """A reading taken.

    Attributes:
        sent: The read's request and answer.
        object: The object read (the body, or the one item ``where`` selects), or
            ``MISSING`` when there is none.
        problem: Why there is no object (the read failed, no item or several matched), or
            None.
    """

    sent: Sent
    object: Any
    problem: str | None


def _body(response: httpx.Response) -> Any:
    found = json_of(response)
    return MISSING if found is None and not response.content else found


def _place(
    scene: Scene,
    operation: Operation,
    values: Mapping[str, Any],
    exchange: Exchange,
    path: dict[str, str],
    query: dict[str, Any],
    headers: dict[str, str],
) -> None:
    """Set each of ``values`` (resolved) where ``operation`` takes that parameter."""
    for name, value in values.items():
        param = operation.parameter(name)
        got = resolve(scene, value, exchange, param.schema if param is not None else None)
        if got is MISSING:
            raise KeyError(f"{value!r} has no value for {name} of {operation.operation_id}")
        if name in operation.path_parameters:
            path[name] = str(got)
        elif param is not None and param.location == "header":
            headers[param.name] = str(got)
        else:
            query[name] = got


def _headers(operation: Operation) -> dict[str, str]:
    """A fresh ``Idempotency-Key`` when ``operation`` takes one."""
    return {"Idempotency-Key": ApiClient.new_key()} if operation.takes_idempotency_key else {}


def _step(scene: Scene, step: Step, path: Mapping[str, str], last: Exchange) -> Sent:
    """Run one ``given`` step on the request's path values; it must answer its success."""
    world = scene.world
    operation = scene.contract.by_id(step.run)
    own = {name: path[name] for name in operation.path_parameters if name in path}
    if len(own) < len(operation.path_parameters):
        own = {**world.path_values(operation), **own}
    query: dict[str, Any] = {}
    headers = _headers(operation)
    _place(scene, operation, step.values, last, own, query, headers)
    if step.body is MISSING:
        body = world.body_for(operation)
    else:
        body = resolve(scene, step.body, last, request_schema(operation))
    prepared = Prepared(operation, own, query, headers, MISSING if body is None else body)
    sent = send(scene, prepared)
    world.expect(operation, sent.response, f"given step {step.run}")
    return sent


def prepare(
    scene: Scene,
    operation: Operation,
    request: Request,
    *,
    path: Mapping[str, str] | None = None,
    subjects: Mapping[str, Any] | None = None,
) -> Prepared:
    """Run ``request``'s ``given`` steps and work out the request under test.

    Args:
        scene: The scene whose world (the first tenant) makes and sends.
        operation: The operation under test.
        request: How it differs from the default request (steps, values, body).
        path: Its path values before ``values`` apply; default: a new resource's (its feed
            sent again), or the main one's when ``values`` name its last path parameter.
        subjects: More subjects for the expressions (``{"parent": id}`` for ``$parent#``).

    Returns:
        The request, not sent.

    Raises:
        SetupFailed: A resource could not be made, or a step did not answer its success.
        KeyError: An expression names a value the earlier exchanges do not have.
    """
    if path is None:
        # The main resource first, so that the new one (which a step may close) is not it;
        # none is made when the request names the resource itself (its last path value).
        path = scene.world.path_values(operation)
        named = operation.path_parameters and operation.path_parameters[-1] in request.values
        if operation.path_parameters and not named:
            path = scene.world.path_values(operation, fresh=True)
    values = dict(path)
    known = dict(subjects or {})
    last = Exchange(subjects=known)
    given: list[Sent] = []
    for step in request.given:
        sent = _step(scene, step, values, last)
        given.append(sent)
        known[GIVEN] = sent.exchange.response_body
        last = replace(sent.exchange, subjects=dict(known))
    query: dict[str, Any] = {}
    headers = _headers(operation)
    _place(scene, operation, request.values, last, values, query, headers)
    if request.body is MISSING:
        body = scene.world.body_for(operation)
        body = MISSING if body is None else body
    else:
        body = resolve(scene, request.body, last, request_schema(operation))
    known = {k: v for k, v in known.items() if v is not MISSING}
    return Prepared(operation, values, query, headers, body, tuple(given), known)


def send(scene: Scene, prepared: Prepared) -> Sent:
    """Send a prepared request (JSON in, the answer read whole) with the scene's writer."""
    response = scene.world.call(
        prepared.operation,
        prepared.path,
        None if prepared.body is MISSING else prepared.body,
        params=dict(prepared.query) or None,
        headers=dict(prepared.headers) or None,
    )
    return Sent(prepared.operation, response, prepared.exchange(response))


def run(
    scene: Scene,
    operation: Operation,
    request: Request,
    *,
    path: Mapping[str, str] | None = None,
    subjects: Mapping[str, Any] | None = None,
) -> Sent:
    """`prepare` then `send`: the request under test, after its ``given`` steps.

    Raises:
        SetupFailed: As `prepare`.
        KeyError: As `prepare`.
    """
    return send(scene, prepare(scene, operation, request, path=path, subjects=subjects))


def read(scene: Scene, reading: Reading, after: Exchange) -> Read:
    """Take ``reading`` after ``after`` (its values and expressions over that exchange).

    The read's path values are ``after``'s unless named; ``after``'s subjects are the
    expressions'.

    Returns:
        The read and its object; a problem when it did not answer its success status, has no
        list at ``items``, or not exactly one item matches ``where``.
    """
    operation = scene.contract.by_id(reading.read)
    path = {n: str(after.path[n]) for n in operation.path_parameters if n in after.path}
    query: dict[str, Any] = {}
    headers: dict[str, str] = {}
    _place(scene, operation, reading.parameters, after, path, query, headers)
    missing = [name for name in operation.path_parameters if name not in path]
    if missing:
        raise KeyError(f"{reading.read} has no value for {', '.join(missing)}")
    snapshot = scene.read(operation, path, query)
    response = snapshot.response
    exchange = Exchange(
        method=operation.method,
        url=str(response.request.url),
        path=path,
        query=query,
        status=response.status_code,
        response_headers=dict(response.headers),
        response_body=MISSING if snapshot.body is None else snapshot.body,
        subjects=dict(after.subjects),
    )
    sent = Sent(operation, response, exchange)
    if response.status_code != operation.success_status:
        problem = f"{reading.read} answered {response.status_code}, not {operation.success_status}"
        return Read(sent, MISSING, problem)
    if reading.items is None:
        return Read(sent, snapshot.body, None)
    items = pointer_get(snapshot.body, reading.items)
    if not isinstance(items, list):
        return Read(sent, MISSING, f"{reading.read} answered no list at {reading.items!r}")
    where = {name: resolve(scene, value, after) for name, value in reading.where.items()}
    found = [
        item
        for item in items
        if isinstance(item, Mapping)
        and all(same(item.get(k, MISSING), v) for k, v in where.items())
    ]
    if len(found) != 1:
        problem = (
            f"{reading.read} lists {len(found)} items at {reading.items!r} with {where!r}, not one"
        )
        return Read(sent, MISSING, problem)
    return Read(sent, found[0], None)


def run_steps(scene: Scene, steps: tuple[Step, ...], after: Exchange) -> tuple[Sent, ...]:
    """Run steps after the request under test (a keep's ``then``), in order.

    Each on ``after``'s path values, by name (``with`` values over the exchange before it).

    Raises:
        SetupFailed: A step did not answer its success status.
        KeyError: An expression names a value the exchanges do not have.
    """
    path = {name: str(value) for name, value in after.path.items()}
    done: list[Sent] = []
    last = after
    for step in steps:
        sent = _step(scene, step, path, last)
        done.append(sent)
        last = replace(
            sent.exchange, subjects={**after.subjects, GIVEN: sent.exchange.response_body}
        )
    return tuple(done)
