"""`stream_completion`, `stream_replay`, `stream_resume`: what the spec promises of streams.

A stream answering a valid request numbers its events 1, 2, 3... (`id:`), opens with `start`,
carries only `delta` events in between and ends with exactly one `complete` (or `error`); the
`data:` of every event, the final one included, matches the payload schema the spec gives its
event name (events of other names are skipped where the spec admits them: the tolerant copy
of a release, see `parley_diff.tolerant`). Repeated with the same `Idempotency-Key`
and a `Last-Event-ID` header, it yields exactly the events after that id, the same ones;
without the header, after `complete`, every event again, the same (`stream_replay`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from parley_spec import Operation

from parley_contract.checks.context import CheckContext, judge, judges
from parley_contract.checks.payloads import PayloadSchemas
from parley_contract.data import SetupFailed, World
from parley_contract.results import CheckOutcome

__all__ = ["COMPLETION", "REPLAY", "RESUME", "Event", "parse_events", "streams"]

COMPLETION = "stream_completion"
RESUME = "stream_resume"
REPLAY = "stream_replay"


@dataclass(frozen=True)
class Event:
    """One Server-Sent Event: its `id:`, `event:` and `data:` fields."""

    id: str
    event: str
    data: str


def parse_events(text: str) -> list[Event]:
    """Split an SSE body into events (comments and retry fields are ignored)."""
    events: list[Event] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields: dict[str, list[str]] = {}
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            fields.setdefault(name, []).append(value.removeprefix(" "))
        if "data" in fields or "event" in fields:
            events.append(
                Event(
                    id="".join(fields.get("id", [""])),
                    event="".join(fields.get("event", ["message"])),
                    data="\n".join(fields.get("data", [])),
                )
            )
    return events


def streams(ctx: CheckContext) -> list[CheckOutcome]:
    """Open a stream of each selected streaming operation, then resume it halfway.

    Returns:
        Per streaming operation, a completion outcome and (when it declares `Last-Event-ID`)
        a resume outcome.
    """
    outcomes: list[CheckOutcome] = []
    with ctx.world(COMPLETION, outcomes) as world:
        for operation in (op for op in ctx.operations if op.streams):
            try:
                outcomes.extend(_check(world, operation))
            except SetupFailed as failed:
                outcomes.append(failed.outcome)
    return outcomes


def completion_problem(
    response: httpx.Response, events: list[Event], payloads: PayloadSchemas | None = None
) -> str | None:
    """What is wrong with a whole stream, or None.

    Args:
        response: The stream's response, body read.
        events: Its parsed events.
        payloads: The operation's payload schemas; None skips the `data:` validation.
    """
    if response.status_code != 200:
        return f"a valid stream request answered {response.status_code}: {response.text[:200]}"
    if not response.headers.get("content-type", "").startswith("text/event-stream"):
        return f"answered {response.headers.get('content-type')!r}, not text/event-stream"
    names = [event.event for event in events]
    if payloads is not None and payloads.other_events:  # the order of the documented ones
        names = [name for name in names if name in payloads.payloads]
    ids = [event.id for event in events]
    if ids != [str(n) for n in range(1, len(events) + 1)]:
        return f"event ids are {ids}, not 1, 2, 3..."
    if not names or names[0] != "start":
        return f"the stream opens with {names[:1]}, not start"
    if names[-1] not in ("complete", "error") or len(names) < 2:
        return f"the stream ends with {names[-1:]}, not complete or error"
    middle = [name for name in names[1:-1] if name != "delta"]
    if middle:
        return f"events {middle} come between start and {names[-1]}; only delta may"
    if payloads is not None:
        for event in events:
            problem = payloads.problem(event.event, event.data)
            if problem is not None:
                return f"event {event.id}: {problem}"
    return None


def _check(world: World, operation: Operation) -> list[CheckOutcome]:
    client = world.client
    path, body = world.request_for(operation)
    headers = {"Idempotency-Key": client.new_key(), "Accept": "text/event-stream"}
    response = client.request(operation.method, path, body=body, headers=headers)
    events = parse_events(response.text)
    payloads = PayloadSchemas(
        world.contract, operation.method, operation.path, operation.success_status
    )
    problem = completion_problem(response, events, payloads)
    outcomes = [judge(operation, COMPLETION, client, response, problem)]
    if problem is None and operation.takes_idempotency_key and REPLAY in judges(world.contract):
        outcomes.append(_replay(world, operation, path, body, headers, events))
    if problem is not None or not operation.resumes_streams:
        return outcomes
    cut = max(1, len(events) // 2)
    resumed = client.request(
        operation.method, path, body=body, headers={**headers, "Last-Event-ID": str(cut)}
    )
    tail = parse_events(resumed.text)
    problem = None
    if resumed.status_code != 200:
        problem = f"the resumed stream answered {resumed.status_code}: {resumed.text[:200]}"
    elif tail != events[cut:]:
        got = [(e.id, e.event) for e in tail]
        want = [(e.id, e.event) for e in events[cut:]]
        problem = f"resumed after id {cut}, got events {got}; expected {want}"
    outcomes.append(judge(operation, RESUME, client, resumed, problem))
    return outcomes


def _replay(
    world: World,
    operation: Operation,
    path: str,
    body: Any,
    headers: dict[str, str],
    events: list[Event],
) -> CheckOutcome:
    """`stream_replay`: the request repeated with its key after `complete`, the same events."""
    again = world.client.request(operation.method, path, body=body, headers=headers)
    problem = None
    if again.status_code != 200:
        problem = f"the repeated stream request answered {again.status_code}: {again.text[:200]}"
    elif (replayed := parse_events(again.text)) != events:
        pairs = zip([*events, None], [*replayed, None], strict=False)
        was, now = next((a, b) for a, b in pairs if a != b)
        problem = f"the repeat with the same key replayed {now} where the stream had {was}"
    return judge(operation, REPLAY, world.client, again, problem)
