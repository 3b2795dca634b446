"""``x-parley-disconnect``: a stream's record is finished and stored when its client leaves.

Judged on a new resource, as CONTRIBUTING.md's table of kinds says.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from parley_spec import MISSING, Contract
from parley_spec.annotations import Annotation, Disconnect

from parley_contract.checks.streams import Event, parse_events
from parley_contract.promises.kind import KindCheck
from parley_contract.promises.promise import Promise
from parley_contract.promises.report import Ledger
from parley_contract.promises.requests import Prepared, prepare, read, same, with_subjects
from parley_contract.promises.scene import Scene
from parley_contract.promises.stream import STREAMING, data_of, documented, joined_deltas

__all__ = ["KIND"]


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per annotation, on its operation."""
    return [Promise("disconnect", note.operation_id, "", note)]


def _texts(value: Any) -> Iterator[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _until(scene: Scene, prepared: Prepared, after: str) -> tuple[int, list[Event]]:
    """Stream ``prepared`` up to the first ``after`` event, then drop the connection.

    Returns:
        The status and the events read (none unless it answered 200).
    """
    client = scene.world.client
    operation = prepared.operation
    body = None if prepared.body is MISSING else prepared.body
    events: list[Event] = []
    with client.stream(
        operation.method,
        operation.fill_path(prepared.path),
        body=body,
        params=dict(prepared.query) or None,
        headers=dict(prepared.headers),
    ) as response:
        if response.status_code != 200:
            return response.status_code, []
        block: list[str] = []
        for line in response.iter_lines():
            if line:
                block.append(line)
                continue
            events += parse_events("\n".join(block))
            block = []
            if events and events[-1].event == after:
                break
    return 200, events


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Drop the stream after ``after``, resume it to ``complete``, read what was stored."""
    disconnect: Disconnect = promise.value
    operation = scene.contract.by_id(promise.operation_id)
    prepared = prepare(scene, operation, disconnect.request)
    key = {"Idempotency-Key": scene.world.client.new_key()}
    prepared = dataclasses.replace(prepared, headers={**prepared.headers, **STREAMING, **key})
    status, before = _until(scene, prepared, disconnect.after)
    if not before or before[-1].event != disconnect.after:
        ledger.skip(
            promise,
            f"{operation.operation_id} answered {status} without a {disconnect.after} event",
        )
        return
    resume = {"Last-Event-ID": before[-1].id}
    resumed = dataclasses.replace(prepared, headers={**prepared.headers, **resume})
    response = scene.world.call(
        operation,
        resumed.path,
        None if resumed.body is MISSING else resumed.body,
        params=dict(resumed.query) or None,
        headers=dict(resumed.headers),
    )
    tail = parse_events(response.text) if response.status_code == 200 else []
    tail = documented(scene.contract, operation, tail)
    if not tail or tail[-1].event != "complete":
        names = [event.event for event in tail]
        ended = (
            f"resumed after event {before[-1].id}, {operation.operation_id} answered "
            f"{response.status_code} with events {names}, not ending with complete"
        )
        ledger.judge(promise, operation.operation_id, scene.client, response, ended)
        return
    complete = data_of(tail[-1])
    exchange = with_subjects(
        resumed.exchange(response), start=data_of(before[0]), complete=complete
    )
    got = read(scene, disconnect.reading, exchange)
    problem: str | None = got.problem
    said, _ = joined_deltas(before)
    if problem is None and not same(got.object, complete):
        problem = "reads otherwise than the complete event the resumed stream carried"
    elif problem is None and not any(text.startswith(said) for text in _texts(got.object)):
        problem = f"holds no text starting with what was streamed before the drop ({said!r})"
    if problem is not None:
        left = f"after a client left {operation.operation_id}'s stream"
        problem = f"{left}, {disconnect.reading.read} {problem}"
    ledger.judge(promise, operation.operation_id, scene.client, got.sent.response, problem)


KIND = KindCheck("disconnect", promises, check, writes=lambda _promise: True)
