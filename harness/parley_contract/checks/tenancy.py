"""`tenant_isolation`: a second tenant's key never reaches the first tenant's resources.

Every selected operation whose path names a resource of the first tenant must answer 404 to
the second tenant's key, as if the resource did not exist; every selected list operation must
answer that key without any of the first tenant's ids.
"""

from __future__ import annotations

from parley_contract.checks.client import ApiClient
from parley_contract.checks.context import CheckContext, judge
from parley_contract.checks.world import SetupFailed, World, method_order
from parley_contract.results import CheckOutcome
from parley_contract.spec import Operation

__all__ = ["CHECK", "tenant_isolation"]

CHECK = "tenant_isolation"


def tenant_isolation(ctx: CheckContext) -> list[CheckOutcome]:
    """Aim the second tenant's key at the first tenant's resources.

    Skipped, with no outcome, when no second tenant's key was given.

    Args:
        ctx: The run's check context.

    Returns:
        One outcome per operation with path parameters and per list operation.
    """
    other = ctx.other_tenant
    if other is None:
        return []
    outcomes: list[CheckOutcome] = []
    scoped = sorted((op for op in ctx.operations if op.path_params), key=method_order)
    lists = [op for op in ctx.operations if op.method == "GET" and not op.path_params]
    with ctx.world(CHECK, outcomes) as world:
        _prepare_deleted(world, ctx)
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


def _prepare_deleted(world: World, ctx: CheckContext) -> None:
    """Create the resources lists show, including a soft-deleted conversation and message."""
    for make in (world.qa_conversation, world.agent_conversation, world.exchange):
        try:
            make()
        except SetupFailed:
            continue
    if ctx.selected("listDeletedConversations") or ctx.selected("listDeletedMessages"):
        try:
            gone = world.create("createConversation", {}, {"agent_id": world.agent()})["id"]
            answer = world.create("sendMessage", {"conversation_id": gone}, {"message": "Bye"})
        except SetupFailed:
            return
        world.call("deleteMessage", {"message_id": answer["message"]["id"]})
        world.call("deleteConversation", {"conversation_id": gone})
        world.extra_ids.update({str(gone), str(answer["message"]["id"])})


def _list_leaks(world: World, other: ApiClient, operation: Operation) -> CheckOutcome:
    params = {"per_page": 100} if "per_page" in operation.query_params else None
    response = other.request("GET", operation.path, params=params)
    leaked = sorted(i for i in world.known_ids() if i in response.text)
    problem = None
    if response.status_code != 200:
        problem = f"another tenant's key got {response.status_code} listing its own resources"
    elif leaked:
        problem = f"another tenant's list shows this tenant's ids: {', '.join(leaked)}"
    return judge(operation, CHECK, other, response, problem)
