"""``x-parley-stream``: a stream agrees with itself and with what is stored after it.

Judged on a new resource, as CONTRIBUTING.md's table of kinds says.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from parley_spec import MISSING, Contract, Operation
from parley_spec.annotations import Annotation, Stream

from parley_contract.checks.payloads import PayloadSchemas
from parley_contract.checks.streams import Event, parse_events
from parley_contract.promises.kind import KindCheck
from parley_contract.promises.promise import Promise
from parley_contract.promises.report import Ledger
from parley_contract.promises.requests import (
    Prepared,
    expect,
    prepare,
    read,
    resolve,
    same,
    send,
    with_subjects,
)
from parley_contract.promises.scene import Scene

__all__ = ["KIND", "STREAMING", "data_of", "documented", "joined_deltas"]

STREAMING = {"Accept": "text/event-stream"}
"""The header that asks an operation for its Server-Sent Events."""


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per annotation, on its operation."""
    return [Promise("stream", note.operation_id, "", note)]


def documented(contract: Contract, operation: Operation, events: list[Event]) -> list[Event]:
    """The events whose names the document gives a payload.

    A document whose stream admits events of any other name (a release's tolerant copy, see
    `parley_diff.tolerant`) lets a server add events; they are skipped, as the stream checks
    skip them. Otherwise every event is kept, so that an undocumented one is judged.
    """
    try:
        schemas = PayloadSchemas(contract, operation.method, operation.path, 200)
    except KeyError:
        return events
    if not schemas.other_events:
        return events
    return [event for event in events if event.event in schemas.payloads]


def data_of(event: Event) -> Any:
    """An event's ``data`` as JSON (``MISSING`` when it is not JSON)."""
    try:
        return json.loads(event.data)
    except ValueError:
        return MISSING


def joined_deltas(events: list[Event]) -> tuple[str, str | None]:
    """The ``delta`` events' contents in ``index`` order, joined, and what is wrong with them.

    Returns:
        ``(text, problem)``: problem is None when the indexes run 0, 1, 2... as sent.
    """
    pieces = [data_of(event) for event in events if event.event == "delta"]
    if not all(isinstance(piece, Mapping) for piece in pieces):
        return "", "a delta event's data is not a JSON object"
    indexes = [piece.get("index", at) for at, piece in enumerate(pieces)]
    text = "".join(str(piece.get("content", "")) for piece in pieces)
    if indexes != list(range(len(pieces))):
        return text, f"the delta indexes are {indexes}, not 0, 1, 2..."
    return text, None


def _order_problem(events: list[Event]) -> str | None:
    names = [event.event for event in events]
    if not names or names[0] != "start":
        return f"the stream opens with {names[:1]}, not start"
    if names[-1] != "complete":
        return f"the stream ends with {names[-1:]}, not complete"
    if any(name != "delta" for name in names[1:-1]):
        return f"events {names[1:-1]} come between start and complete; only delta may"
    return None


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Stream to the end, judge ``complete`` and the deltas, then the stored readings."""
    stream: Stream = promise.value
    operation = scene.contract.by_id(promise.operation_id)
    prepared: Prepared = prepare(scene, operation, stream.request)
    prepared = dataclasses.replace(prepared, headers={**prepared.headers, **STREAMING})
    sent = send(scene, prepared)
    events = parse_events(sent.response.text) if sent.response.status_code == 200 else []
    events = documented(scene.contract, operation, events)
    problem = _order_problem(events) if events else f"answered {sent.response.status_code}"
    deltas, index_problem = joined_deltas(events)
    problem = problem or index_problem
    start = data_of(events[0]) if events else MISSING
    complete = data_of(events[-1]) if events else MISSING
    exchange = with_subjects(sent.exchange, start=start, complete=complete, deltas=deltas)
    if problem is None:
        found = expect(scene, stream.complete, complete, exchange)
        problem = f"complete's data {found}" if found else None
    if problem is not None:
        problem = f"{operation.operation_id} streamed: {problem}"
        ledger.judge(promise, operation.operation_id, scene.client, sent.response, problem)
        return
    judged = sent
    for stored in stream.stored:
        got = read(scene, stored.reading, exchange)
        judged = got.sent
        problem = got.problem
        if problem is None and stored.equals is not None:
            want = resolve(scene, stored.equals, exchange)
            problem = None if same(got.object, want) else f"reads otherwise than {stored.equals}"
        problem = problem or expect(scene, stored.fields, got.object, exchange)
        if problem is not None:
            problem = f"after {operation.operation_id} streamed, {stored.reading.read} {problem}"
            break
    ledger.judge(promise, operation.operation_id, scene.client, judged.response, problem)


KIND = KindCheck("stream", promises, check, writes=lambda _promise: True)
