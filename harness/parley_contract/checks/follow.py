"""`stream_follow`: a stream's repeat sent while it is still open follows it to its end.

As CONTRIBUTING.md's table of conventions says (`stream-resume`): the first stream has a new
`Idempotency-Key`; the repeat, on another connection, has the same key and `Last-Event-ID: 1`.
"""

from __future__ import annotations

from parley_spec import Operation

from parley_contract.checks.context import CheckContext, judge
from parley_contract.checks.streams import parse_events
from parley_contract.data import World
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "stream_follow"]

CHECK = "stream_follow"


def stream_follow(ctx: CheckContext) -> list[CheckOutcome]:
    """Follow one stream of each selected resumable streaming operation while it runs.

    Returns:
        One outcome per operation, and a failed one per setup failure.
    """
    if not ctx.promised(CHECK):
        return []
    operations = [op for op in ctx.operations if op.streams and op.resumes_streams]
    return ctx.probe(CHECK, operations, _check)


def _check(world: World, op: Operation) -> list[CheckOutcome]:
    client = world.client
    path, body = world.request_for(op)
    headers = {"Idempotency-Key": client.new_key(), "Accept": "text/event-stream"}
    with client.stream(op.method, path, body=body, headers=headers) as first:
        lines = first.iter_lines()
        head = []
        for line in lines:
            head.append(line)
            if not line and any(part.startswith("id:") for part in head):
                break  # the first event is whole: the stream is open and running
        follow = {**headers, "Last-Event-ID": "1"}
        repeat = client.request(op.method, path, body=body, headers=follow)
        rest = list(lines)
    events = parse_events("\n".join(head + rest))
    followed = parse_events(repeat.text)
    problem = None
    if first.status_code != 200 or not events:
        problem = f"the first stream answered {first.status_code} with {len(events)} events"
    elif repeat.status_code != 200:
        problem = f"the repeat sent while the stream ran answered {repeat.status_code}"
    elif followed != events[1:]:
        got = [(e.id, e.event) for e in followed]
        want = [(e.id, e.event) for e in events[1:]]
        problem = f"the repeat sent after the first event followed with {got}; expected {want}"
    return [judge(op, CHECK, client, repeat, problem)]
