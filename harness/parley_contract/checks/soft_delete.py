"""`soft_delete_restore`: soft delete hides an item, deleted lists show it, restore returns it.

Single and bulk, conversations and messages. Each step is judged on the operation whose
answer it reads, so a server whose deleted list forgets an item fails on
`listDeletedConversations`, not on the delete.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from parley_contract.checks.context import CheckContext, judge
from parley_contract.checks.world import SetupFailed, World
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "soft_delete_restore"]

CHECK = "soft_delete_restore"

_CONVERSATION_OPS = (
    "deleteConversation",
    "getConversation",
    "listDeletedConversations",
    "restoreConversation",
)
_MESSAGE_OPS = (
    "deleteMessage",
    "listConversationMessages",
    "listDeletedMessages",
    "restoreMessage",
    "deleteConversationMessages",
    "restoreAllMessages",
)


def soft_delete_restore(ctx: CheckContext) -> list[CheckOutcome]:
    """Walk a conversation and its messages through soft delete and restore.

    Each walk runs only when every operation it uses is selected.

    Args:
        ctx: The run's check context.

    Returns:
        One outcome per step.
    """
    outcomes: list[CheckOutcome] = []
    if all(ctx.selected(op) for op in _CONVERSATION_OPS):
        with ctx.world(CHECK, outcomes) as world:
            _Walk(world, outcomes).conversation()
    if all(ctx.selected(op) for op in _MESSAGE_OPS):
        with ctx.world(CHECK, outcomes) as world:
            _Walk(world, outcomes).messages()
    return outcomes


def _ids(answer: Any) -> set[str]:
    items = answer.get("items", []) if isinstance(answer, dict) else []
    return {str(item.get("id")) for item in items if isinstance(item, dict)}


class _Walk:
    def __init__(self, world: World, outcomes: list[CheckOutcome]) -> None:
        self.world = world
        self.outcomes = outcomes

    def step(
        self,
        operation_id: str,
        path: dict[str, str],
        status: int,
        expectation: str,
        holds: Callable[[Any], bool] = lambda _: True,
        query: dict[str, str | int] | None = None,
    ) -> bool:
        """Call one operation and judge its answer; True when it held."""
        operation = self.world.spec.by_id(operation_id)
        filled = operation.path
        for name, value in path.items():
            filled = filled.replace("{" + name + "}", value)
        client = self.world.client
        response = client.request(operation.method, filled, params=query)
        problem = None
        if response.status_code != status:
            problem = f"{expectation}: answered {response.status_code}, expected {status}"
        else:
            try:
                answer: Any = response.json() if response.content else None
            except ValueError:
                answer = None
            if not holds(answer):
                problem = f"{expectation}: not so in {response.text[:300]}"
        self.outcomes.append(judge(operation, CHECK, client, response, problem))
        return problem is None

    def listed(self, operation_id: str, path: dict[str, str], ids: set[str], present: bool) -> bool:
        where = "shows" if present else "no longer shows"
        return self.step(
            operation_id,
            path,
            200,
            f"{operation_id} {where} {', '.join(sorted(ids))}",
            lambda answer: ids <= _ids(answer) if present else not ids & _ids(answer),
            query={"per_page": 100},
        )

    def conversation(self) -> None:
        try:
            conversation = self.world.conversation()
        except SetupFailed as failed:
            self.outcomes.append(failed.outcome)
            return
        ids = {conversation}
        path = {"conversation_id": conversation}
        if not self.step("deleteConversation", path, 204, "soft delete"):
            return
        self.step("getConversation", path, 404, "a soft-deleted conversation answers 404")
        self.listed("listDeletedConversations", {}, ids, present=True)
        self.step(
            "restoreConversation",
            path,
            200,
            "restore clears deleted_at",
            lambda answer: isinstance(answer, dict) and answer.get("deleted_at") is None,
        )
        self.step("getConversation", path, 200, "a restored conversation reads again")
        self.listed("listDeletedConversations", {}, ids, present=False)

    def messages(self) -> None:
        try:
            user, assistant = self.world.exchange()
            conversation = self.world.conversation()
        except SetupFailed as failed:
            self.outcomes.append(failed.outcome)
            return
        both = {user, assistant}
        history = {"conversation_id": conversation}
        message = {"message_id": assistant}
        if not self.step("deleteMessage", message, 204, "soft delete"):
            return
        self.listed("listConversationMessages", history, {assistant}, present=False)
        self.listed("listDeletedMessages", {}, {assistant}, present=True)
        self.step(
            "restoreMessage",
            message,
            200,
            "restore clears deleted_at",
            lambda answer: isinstance(answer, dict) and answer.get("deleted_at") is None,
        )
        self.listed("listConversationMessages", history, {assistant}, present=True)
        self.listed("listDeletedMessages", {}, {assistant}, present=False)
        self.step(
            "deleteConversationMessages",
            history,
            200,
            "bulk delete affects both messages",
            lambda answer: isinstance(answer, dict) and answer.get("affected") == 2,
        )
        self.listed("listConversationMessages", history, both, present=False)
        self.listed("listDeletedMessages", {}, both, present=True)
        self.step(
            "restoreAllMessages",
            history,
            200,
            "bulk restore brings both back",
            lambda answer: isinstance(answer, dict) and answer.get("affected") == 2,
        )
        self.listed("listConversationMessages", history, both, present=True)
