"""`idempotent_replay` and `idempotency_key_reuse`: what an `Idempotency-Key` promises.

As CONTRIBUTING.md's table of conventions says, for the JSON POSTs: the GETs compared are those
the first answer links to (the spec's `links`); a reused key is judged by its 422 alone.
"""

from __future__ import annotations

import json
from typing import Any

from parley_spec import MISSING, Exchange, Operation

from parley_contract.checks.context import CheckContext, json_or_text, judge
from parley_contract.client import ApiClient
from parley_contract.data import World
from parley_contract.results import CheckOutcome

__all__ = ["REPLAY", "REUSE", "idempotency"]

REPLAY = "idempotent_replay"
REUSE = "idempotency_key_reuse"


def idempotency(ctx: CheckContext) -> list[CheckOutcome]:
    """Replay each selected JSON POST that takes an `Idempotency-Key`.

    Returns:
        Two outcomes per such operation: the replay, and the key reused with another body.
    """
    operations = [op for op in ctx.operations if op.takes_idempotency_key and op.answers_json]
    # Fresh resources per operation: one replayed here may close a resource so that
    # another (a write to what it closed) rightly fails.
    return ctx.probe(REPLAY, operations, _check, apart=True)


def _check(world: World, operation: Operation) -> list[CheckOutcome]:
    client = world.client
    values = world.path_values(operation)
    body = world.body_for(operation)
    path = operation.fill_path(values)
    headers = {"Idempotency-Key": client.new_key()}
    first = client.request(operation.method, path, body=body, headers=headers)
    if not first.is_success:
        failure = f"a valid request answered {first.status_code}: {first.text[:200]}"
        return [judge(operation, REPLAY, client, first, failure)]
    exchange = Exchange(
        method=operation.method,
        path=values,
        request_body=MISSING if body is None else body,
        status=first.status_code,
        response_body=json_or_text(first),
    )
    views = _linked_views(world, operation, exchange)
    before = [_snapshot(client, view) for view in views]
    replay = client.request(operation.method, path, body=body, headers=headers)
    problem: str | None = None
    if replay.status_code != first.status_code or json_or_text(replay) != json_or_text(first):
        problem = (
            f"the replay answered {replay.status_code} {replay.text[:200]!r}, not the first "
            f"answer {first.status_code} {first.text[:200]!r}"
        )
    else:
        for view, old in zip(views, before, strict=True):
            new = _snapshot(client, view)
            if new != old:
                problem = f"after the replay, GET {view} changed: {old!r:.200} -> {new!r:.200}"
                break
    outcomes = [judge(operation, REPLAY, client, replay, problem)]
    changed = _changed(body)
    if changed is not None:
        reused = client.request(operation.method, path, body=changed, headers=headers)
        problem = None
        if reused.status_code != 422:
            problem = (
                f"the key reused with another body answered {reused.status_code}; expected 422"
            )
        outcomes.append(judge(operation, REUSE, client, reused, problem))
    return outcomes


def _snapshot(client: ApiClient, path: str) -> Any:
    response = client.request("GET", path)
    return response.status_code, json_or_text(response)


def _linked_views(world: World, operation: Operation, exchange: Exchange) -> list[str]:
    """Paths of the GET operations the success response links to, filled from the exchange."""
    views: list[str] = []
    for feed in world.recipes.links_from(operation):
        if feed.target.method != "GET":
            continue
        values = world.contract.follow(feed.link, exchange).in_location("path")
        if set(values) == set(feed.target.path_parameters):
            views.append(feed.target.fill_path(values))
    return views


def _changed(body: Any) -> Any:
    """`body` with its first free-text field altered (ids left alone), or None without one."""
    if not isinstance(body, dict):
        return None
    for key, value in body.items():
        if isinstance(value, str) and not key.lower().endswith("id"):
            return {**json.loads(json.dumps(body)), key: value + " (changed)"}
    return None
