"""`tenant_isolation`: a second tenant's key never reaches the first tenant's resources.

Every selected operation whose path names a resource of the first tenant must answer 404 to
the second tenant's key, as if the resource did not exist; every selected list operation must
answer that key without any of the first tenant's ids. The first tenant's resources are made
first: something in every list, and one item soft-deleted per delete a restore undoes (so the
lists of deleted items show one too).
"""

from __future__ import annotations

from parley_spec import Operation

from parley_contract.checks.context import CheckContext, judge
from parley_contract.client import ApiClient
from parley_contract.data import SETUP_ERRORS, SetupFailed, World, method_order
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "tenant_isolation"]

CHECK = "tenant_isolation"


def tenant_isolation(ctx: CheckContext) -> list[CheckOutcome]:
    """Aim the second tenant's key at the first tenant's resources.

    Skipped, with no outcome, when no second tenant's key was given.

    Returns:
        One outcome per operation with path parameters and per list operation.
    """
    other = ctx.other_tenant
    if other is None:
        return []
    outcomes: list[CheckOutcome] = []
    scoped = sorted((op for op in ctx.operations if op.path_parameters), key=method_order)
    lists = [op for op in ctx.operations if op.method == "GET" and not op.path_parameters]
    with ctx.world(CHECK, outcomes) as world:
        _populate(world, lists)
        for operation in lists:
            outcomes.append(_list_leaks(world, other, operation))
        for operation in scoped:
            try:
                path, body = world.request_for(operation)
            except SetupFailed as failed:
                outcomes.append(failed.outcome)
                continue
            response = other.request(operation.method, path, body=body)
            problem = None
            if response.status_code != 404:
                problem = (
                    f"another tenant's key got {response.status_code} on this tenant's resource; "
                    "expected 404"
                )
            outcomes.append(judge(operation, CHECK, other, response, problem))
    return outcomes


def _populate(world: World, lists: list[Operation]) -> None:
    """Something in every list, and one soft-deleted item per delete a restore undoes."""
    for operation in lists:
        try:
            world.grow(operation, 1)
        except SETUP_ERRORS:
            continue
    recipes = world.recipes
    for delete in recipes.contract.operations:
        feeds = recipes.feeds(delete) if recipes.deletes_one(delete) else ()
        if not feeds or not recipes.restores(delete):
            continue
        try:
            values = world.follow(feeds[0], world.make(feeds[0].source))
            world.call(delete, values)
        except SETUP_ERRORS:
            continue
        world.extra_ids.update(values.values())


def _list_leaks(world: World, other: ApiClient, operation: Operation) -> CheckOutcome:
    per_page = operation.parameter("per_page", "query")
    params = {"per_page": 100} if per_page is not None else None
    response = other.request("GET", operation.path, params=params)
    leaked = sorted(i for i in world.known_ids() if i in response.text)
    problem = None
    if response.status_code != 200:
        problem = f"another tenant's key got {response.status_code} listing its own resources"
    elif leaked:
        problem = f"another tenant's list shows this tenant's ids: {', '.join(leaked)}"
    return judge(operation, CHECK, other, response, problem)
