"""The data the promise checks judge: seeded once per run, through the server's own writes.

Enough to make every promise observable: three agents; conversations with two agents, three
ended, one archived, one retitled; a conversation with four exchanges, one message rated with
feedback; three Q&A conversations, one with three questions; three agent conversations, one
with three exchanges; then four conversations and four messages soft-deleted, every list with
`x-parley-visibility` read just before and just after those deletes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from parley_contract.checks.context import CheckContext
from parley_contract.checks.world import SetupFailed, World
from parley_contract.results import CheckOutcome
from parley_contract.spec import Operation

__all__ = ["SETUP_CHECK", "Scene", "Snapshot"]

SETUP_CHECK = "promise_setup"
# Items read per page, and pages read at most, when a check reads a whole list.
PER_PAGE = 100
MAX_PAGES = 10
# Conversations and messages soft-deleted: an order stays observable with one of them hidden.
DELETED = 4
# The tags of the Conversations API v1 operations that the conversation group seeds for.
V1_TAGS = ("conversations", "messages", "analytics")


@dataclass(frozen=True)
class Snapshot:
    """One read of a list: the response and its JSON body (None when not JSON)."""

    response: httpx.Response
    body: Any


class Scene:
    """The seeded resources of the first tenant, and the reads around the soft deletes.

    Args:
        ctx: The run's check context (its writer client seeds and reads).
        document: The parsed, unresolved OpenAPI document.
    """

    def __init__(self, ctx: CheckContext, document: dict[str, Any]) -> None:
        self.ctx = ctx
        self.document = document
        self.spec = ctx.spec
        self.client = ctx.writer
        self.world = World(ctx.writer, ctx.spec, agent_key=ctx.agent_key, check=SETUP_CHECK)
        self.soft_deleted: set[str] = set()
        self.before: dict[str, Snapshot] = {}
        self.after: dict[str, Snapshot] = {}
        self.problems: list[CheckOutcome] = []
        self._messages_seeded = False
        self._memo: dict[tuple[Any, ...], Snapshot] | None = None
        self.agents: list[str] = []

    # --- requests -------------------------------------------------------------------------

    def read(
        self, operation_id: str, path: dict[str, str], query: dict[str, str | int] | None = None
    ) -> Snapshot:
        """Send a read of `operation_id` (with `per_page` at its maximum when it pages)."""
        operation = self.spec.by_id(operation_id)
        params: dict[str, str | int] = dict(query or {})
        if "per_page" in operation.query_params:
            params.setdefault("per_page", PER_PAGE)
        key = (operation_id, tuple(sorted(path.items())), tuple(sorted(params.items())))
        if self._memo is not None and key in self._memo:
            return self._memo[key]
        filled = operation.path
        for name, value in path.items():
            filled = filled.replace("{" + name + "}", value)
        response = self.client.request(operation.method, filled, params=params or None)
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        snapshot = Snapshot(response, body)
        if self._memo is not None:
            self._memo[key] = snapshot
        return snapshot

    @contextmanager
    def memoized(self) -> Iterator[None]:
        """Answer a repeated read (same path and query) from the first one, within the block.

        For checks that write nothing, so that the server's state cannot change meanwhile.
        """
        self._memo = {}
        try:
            yield
        finally:
            self._memo = None

    def path_of(self, operation: Operation, world: World | None = None) -> dict[str, str]:
        """The path values of `operation` from the scene's resources (or `world`'s)."""
        return (world or self.world).path_values(operation)

    def fresh(self, *, messages: bool = False) -> World:
        """A new world sharing the scene's agent; it creates its resources when first asked.

        Args:
            messages: Also give its conversation one exchange now (what a write's count of
                changed messages needs to observe).
        """
        world = World(
            self.client,
            self.spec,
            agent_key=self.ctx.agent_key,
            check=SETUP_CHECK,
            agent_id=self.agents[0] if self.agents else None,  # else created when first needed
        )
        if messages and self._has("sendMessage") and self._serves(*V1_TAGS):
            world.exchange()
        return world

    # --- seeding --------------------------------------------------------------------------

    def _has(self, *operation_ids: str) -> bool:
        known = {op.operation_id for op in self.spec.operations}
        return all(op in known for op in operation_ids)

    def _step(self, needs: Iterable[str], step: Callable[[], None]) -> None:
        """Run one seeding step when the spec has its operations; a failure is recorded."""
        if not self._has(*needs):
            return
        try:
            step()
        except SetupFailed as failed:
            self.problems.append(failed.outcome)
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
            message = f"seeding failed: {type(exc).__name__} {exc}"
            self.problems.append(CheckOutcome("(setup)", SETUP_CHECK, False, message))

    def _serves(self, *tags: str) -> bool:
        """Whether the run selected an operation with one of `tags` (the server has them)."""
        return any(set(tags).intersection(op.tags) for op in self.ctx.operations)

    def build(self, visibility: list[str]) -> None:
        """Seed what the selected operations need, then soft-delete around `visibility` reads.

        Every list of `visibility` is read just before and just after the soft deletes. Each
        group is seeded only when the run selected an operation of its tags, so a server
        that implements part of the contract (`--include-tag qa`) is not asked for the rest.
        """
        conversations = self._serves(*V1_TAGS)
        if conversations or self._serves("agents", "agent-conversations"):
            self._step(("createAgent",), self._agents_list)
        if conversations:
            self._step(("createConversation", "sendMessage"), self._conversations)
        if self._serves("qa"):
            self._step(("qaChat",), self._qa)
        if self._serves("agent-conversations"):
            self._step(("createAgentConversation", "addAgentMessage"), self._agents)
        doomed: list[str] = []
        if conversations:
            self._step(("createConversation",), lambda: doomed.extend(self._doomed()))
        self.before = {op: self.read(op, self.path_of(self.spec.by_id(op))) for op in visibility}
        self._step(("deleteConversation", "deleteMessage"), lambda: self._delete(doomed))
        self.after = {op: self.read(op, self.path_of(self.spec.by_id(op))) for op in visibility}

    def _agents_list(self) -> None:
        self.agents = [self.world.agent()]
        for name in ("Promise agent B", "Promise agent C"):
            self.agents.append(str(self.world.create("createAgent", {}, {"name": name})["id"]))

    def _conversations(self) -> None:
        world = self.world
        agents = self.agents or [world.agent()] * 2
        world.conversation()
        made = []
        for index, title in enumerate(("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot")):
            body = {"agent_id": agents[index % 2], "title": f"Promise {title}"}
            made.append(str(world.create("createConversation", {}, body)["id"]))
        for conversation in made[:3]:
            if self._has("endConversation"):
                world.create(
                    "endConversation",
                    {"conversation_id": conversation},
                    {"rating": 4, "feedback": "Helpful"},
                )
        if self._has("updateConversation"):
            world.create("updateConversation", {"conversation_id": made[3]}, {"status": "archived"})
            world.create(
                "updateConversation",
                {"conversation_id": world.conversation()},
                {"title": "Promise conversation"},
            )
        world.exchange()
        for _ in range(3):
            world.extra_ids.update(world.exchange_again())
        world.extra_ids.update(made)
        if self._has("rateMessage"):
            world.create(
                "rateMessage",
                {"message_id": world.exchange()[1]},
                {"rating": 5, "feedback": "Clear"},
            )
        self._messages_seeded = True

    def _qa(self) -> None:
        world = self.world
        conversation = world.qa_conversation()
        for question in ("And the year before?", "Which region grew most?"):
            world.create("qaChat", {}, {"question": question, "conversation_id": conversation})
        for question in ("Who signed the contract?", "When is the renewal due?"):
            world.extra_ids.add(
                str(world.create("qaChat", {}, {"question": question})["conversation_id"])
            )

    def _agents(self) -> None:
        world = self.world
        conversation, _ = world.agent_conversation()
        path = {"agentKey": world.agent_key(), "conversationId": conversation}
        for query in ("And the margins?", "Compared with last year?"):
            world.create("addAgentMessage", path, {"query": query})
        for query in ("List the open risks", "Summarise the audit"):
            answer = world.create(
                "createAgentConversation", {"agentKey": world.agent_key()}, {"query": query}
            )
            world.extra_ids.add(str(answer["id"]))

    def _doomed(self) -> list[str]:
        """`DELETED` conversations created to be soft-deleted (after the `before` reads)."""
        agent = self.world.agent()
        return [
            str(
                self.world.create(
                    "createConversation", {}, {"agent_id": agent, "title": f"Doomed {n}"}
                )["id"]
            )
            for n in range(1, DELETED + 1)
        ]

    def _delete(self, doomed: list[str]) -> None:
        for conversation in doomed:
            self._expect("deleteConversation", {"conversation_id": conversation})
            self.soft_deleted.add(conversation)
        if self._messages_seeded:
            messages = self._messages()
            for message in messages[-DELETED:]:
                self._expect("deleteMessage", {"message_id": message})
                self.soft_deleted.add(message)

    def _messages(self) -> list[str]:
        """The ids of the scene conversation's live messages, oldest first."""
        snap = self.read("listConversationMessages", {"conversation_id": self.world.conversation()})
        items = snap.body.get("items", []) if isinstance(snap.body, dict) else []
        return [str(item["id"]) for item in items if isinstance(item, dict)]

    def _expect(self, operation_id: str, path: dict[str, str]) -> None:
        operation = self.spec.by_id(operation_id)
        response = self.world.call(operation_id, path)
        if response.status_code != operation.success_status:
            raise SetupFailed(
                CheckOutcome(
                    operation.label,
                    SETUP_CHECK,
                    False,
                    f"setup: {operation_id} answered {response.status_code}, "
                    f"not {operation.success_status}",
                    self.client.curl(response),
                )
            )

    def problem(self, label: str, message: str, response: httpx.Response) -> CheckOutcome:
        """A failed setup outcome for `label`, reproducible by the response's curl line."""
        return CheckOutcome(label, SETUP_CHECK, False, message, self.client.curl(response))

    def known_ids(self) -> set[str]:
        """Every id the scene created."""
        return self.world.known_ids() | self.soft_deleted
