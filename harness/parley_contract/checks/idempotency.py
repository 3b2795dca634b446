"""`idempotent_replay` and `idempotency_key_reuse`: what an `Idempotency-Key` promises.

A POST repeated with the same key and body must replay the first answer and store nothing
twice: every GET operation the first answer links to (the spec's `links`) answers the same
before and after the replay. The same key with a different body must get 422.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from parley_contract.checks.client import ApiClient
from parley_contract.checks.context import CheckContext, judge
from parley_contract.checks.world import SetupFailed, World
from parley_contract.results import CheckOutcome
from parley_contract.spec import Operation

__all__ = ["REPLAY", "REUSE", "idempotency"]

REPLAY = "idempotent_replay"
REUSE = "idempotency_key_reuse"


def idempotency(ctx: CheckContext) -> list[CheckOutcome]:
    """Replay each selected JSON POST that takes an `Idempotency-Key`.

    Args:
        ctx: The run's check context.

    Returns:
        Two outcomes per such operation: the replay, and the key reused with another body.
    """
    outcomes: list[CheckOutcome] = []
    operations = [op for op in ctx.operations if op.takes_idempotency_key and op.answers_json]
    for operation in operations:
        # Fresh resources per operation: one replayed here (endConversation) may change a
        # resource so that another (sendMessage to an ended conversation) rightly fails.
        with ctx.world(REPLAY, outcomes) as world:
            try:
                outcomes.extend(_check(world, operation))
            except SetupFailed as failed:
                outcomes.append(failed.outcome)
    return outcomes


def _check(world: World, operation: Operation) -> list[CheckOutcome]:
    client = world.client
    path, body = world.request_for(operation)
    headers = {"Idempotency-Key": client.new_key()}
    first = client.request(operation.method, path, body=body, headers=headers)
    if not first.is_success:
        failure = f"a valid request answered {first.status_code}: {first.text[:200]}"
        return [judge(operation, REPLAY, client, first, failure)]
    views = _linked_views(world, operation, path, _json(first))
    before = [_snapshot(client, view) for view in views]
    replay = client.request(operation.method, path, body=body, headers=headers)
    problem: str | None = None
    if replay.status_code != first.status_code or _json(replay) != _json(first):
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


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


def _snapshot(client: ApiClient, path: str) -> Any:
    response = client.request("GET", path)
    return response.status_code, _json(response)


def _linked_views(world: World, operation: Operation, path: str, answer: Any) -> list[str]:
    """Paths of the GET operations the success response links to, filled from the answer."""
    request_path = dict(
        zip(operation.path_params, _path_values(operation.path, path), strict=False)
    )
    views: list[str] = []
    for link in operation.links.values():
        target = world.spec.by_id(str(link.get("operationId")))
        if target.method != "GET":
            continue
        values: dict[str, str] = {}
        for name, expression in dict(link.get("parameters", {})).items():
            value = _evaluate(str(expression), answer, request_path)
            if value is not None:
                values[name] = value
        if set(values) == set(target.path_params):
            filled = target.path
            for name, value in values.items():
                filled = filled.replace("{" + name + "}", value)
            views.append(filled)
    return views


def _evaluate(expression: str, answer: Any, request_path: dict[str, str]) -> str | None:
    """A link's runtime expression: `$response.body#/pointer` or `$request.path.name`."""
    if expression.startswith("$request.path."):
        return request_path.get(expression.removeprefix("$request.path."))
    if expression.startswith("$response.body#/"):
        node = answer
        for part in expression.removeprefix("$response.body#/").split("/"):
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                return None
        return str(node)
    return None


def _path_values(template: str, path: str) -> list[str]:
    pairs = zip(template.split("/"), path.split("/"), strict=False)
    return [value for part, value in pairs if part.startswith("{")]


def _changed(body: Any) -> Any:
    """`body` with its first free-text field altered (ids left alone), or None without one."""
    if not isinstance(body, dict):
        return None
    for key, value in body.items():
        if isinstance(value, str) and not key.lower().endswith("id"):
            return {**json.loads(json.dumps(body)), key: value + " (changed)"}
    return None
