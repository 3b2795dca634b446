"""`counts_match`: the counts the contract defines agree with the items listed.

A conversation's `message_count` and its analytics' `total_messages`, `user_message_count`
and `agent_message_count` equal what `listConversationMessages` lists; a Q&A conversation's
`message_count` in `listQaConversations` is twice the question-and-answer pairs `getQaConversation`
returns (the contract counts a question and its answer separately).
Each count is judged on the operation that reports it.
"""

from __future__ import annotations

from typing import Any

from parley_contract.checks.context import CheckContext, judge
from parley_contract.checks.world import World
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "counts_match"]

CHECK = "counts_match"


def counts_match(ctx: CheckContext) -> list[CheckOutcome]:
    """Compare each selected count-reporting operation with the list it counts.

    Args:
        ctx: The run's check context.

    Returns:
        One outcome per count-reporting operation compared.
    """
    outcomes: list[CheckOutcome] = []
    if ctx.selected("listConversationMessages"):
        with ctx.world(CHECK, outcomes) as world:
            _conversation(ctx, world, outcomes)
    if ctx.selected("listQaConversations") and ctx.selected("getQaConversation"):
        with ctx.world(CHECK, outcomes) as world:
            _qa(world, outcomes)
    return outcomes


def _json(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _conversation(ctx: CheckContext, world: World, outcomes: list[CheckOutcome]) -> None:
    world.exchange()
    world.exchange_again()
    conversation = world.conversation()
    path = {"conversation_id": conversation}
    listed = _json(world.call_query("listConversationMessages", path, {"per_page": 100}))
    items = listed.get("items", []) if isinstance(listed, dict) else []
    roles = [item.get("role") for item in items if isinstance(item, dict)]
    expected = {
        "message_count": len(roles),
        "total_messages": len(roles),
        "user_message_count": roles.count("user"),
        "agent_message_count": roles.count("assistant"),
    }
    if ctx.selected("getConversation"):
        response = world.call("getConversation", path)
        answer = _json(response)
        got = answer.get("message_count") if isinstance(answer, dict) else None
        problem = None
        if response.status_code != 200 or got != expected["message_count"]:
            problem = (
                f"message_count is {got!r} (status {response.status_code}); "
                f"listConversationMessages lists {expected['message_count']} messages"
            )
        operation = world.spec.by_id("getConversation")
        outcomes.append(judge(operation, CHECK, world.client, response, problem))
    if ctx.selected("getConversationAnalytics"):
        response = world.call("getConversationAnalytics", path)
        answer = _json(response)
        stats = answer.get("message_statistics") if isinstance(answer, dict) else None
        stats = stats if isinstance(stats, dict) else {}
        wrong = {
            name: stats.get(name)
            for name in ("total_messages", "user_message_count", "agent_message_count")
            if stats.get(name) != expected[name]
        }
        problem = None
        if response.status_code != 200 or wrong:
            problem = (
                f"message_statistics {wrong} (status {response.status_code}); the listed "
                f"messages give { ({k: expected[k] for k in wrong}) }"
            )
        operation = world.spec.by_id("getConversationAnalytics")
        outcomes.append(judge(operation, CHECK, world.client, response, problem))


def _qa(world: World, outcomes: list[CheckOutcome]) -> None:
    conversation = world.qa_conversation()
    detail = _json(world.call("getQaConversation", {"conversation_id": conversation}))
    messages = detail.get("messages", []) if isinstance(detail, dict) else []
    response = world.call("listQaConversations", {})
    answer = _json(response)
    listed = answer.get("conversations", []) if isinstance(answer, dict) else []
    mine = [c for c in listed if isinstance(c, dict) and str(c.get("id")) == conversation]
    got = mine[0].get("message_count") if mine else None
    problem = None
    if got != 2 * len(messages):  # a question and its answer count as two
        problem = (
            f"message_count of {conversation} is {got!r}; "
            f"getQaConversation returns {len(messages)} questions with their answers"
        )
    operation = world.spec.by_id("listQaConversations")
    outcomes.append(judge(operation, CHECK, world.client, response, problem))
