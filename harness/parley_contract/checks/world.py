"""Resources of the first tenant that the extra checks aim their requests at.

A `World` creates, through the server's own create operations and only when a check first
needs them, one agent, one conversation with one exchange, one Q&A conversation and one agent
conversation, and fills any operation's path and example body with their ids.
"""

from __future__ import annotations

from typing import Any

import httpx

from parley_contract.checks.client import ApiClient
from parley_contract.results import CheckOutcome
from parley_contract.spec import Operation, Spec

__all__ = ["SetupFailed", "World", "method_order"]


class SetupFailed(Exception):
    """A resource a check needs could not be created; `outcome` says where and why."""

    def __init__(self, outcome: CheckOutcome) -> None:
        super().__init__(outcome.message)
        self.outcome = outcome


def method_order(operation: Operation) -> int:
    """Sort key that runs reads first and deletes last, so a broken server's writes hurt less."""
    return {"GET": 0, "DELETE": 2}.get(operation.method, 1)


class World:
    """Lazily created resources of the tenant behind `client`.

    Args:
        client: A client holding a read-and-write credential of the first tenant.
        spec: The contract.
        agent_key: The `agentKey` to use on agent-conversation paths; the created agent's id
            when None.
        check: The check name setup failures are reported under.
        agent_id: An existing agent to create conversations with; one is created when None.
    """

    def __init__(
        self,
        client: ApiClient,
        spec: Spec,
        *,
        agent_key: str | None,
        check: str,
        agent_id: str | None = None,
    ) -> None:
        self.client = client
        self.spec = spec
        self.check = check
        self._agent_key = agent_key
        self._cache: dict[str, Any] = {} if agent_id is None else {"agent": agent_id}
        self.extra_ids: set[str] = set()

    def call(self, operation_id: str, path: dict[str, str], body: Any = None) -> httpx.Response:
        """Send `operation_id` with these path values and body, with this world's client."""
        operation = self.spec.by_id(operation_id)
        return self.client.request(operation.method, _fill(operation.path, path), body=body)

    def call_query(
        self, operation_id: str, path: dict[str, str], query: dict[str, str | int]
    ) -> httpx.Response:
        """Send `operation_id` with these path values and query parameters, without a body."""
        operation = self.spec.by_id(operation_id)
        return self.client.request(operation.method, _fill(operation.path, path), params=query)

    def create(self, operation_id: str, path: dict[str, str], body: Any) -> Any:
        """Call a create operation and return its JSON answer.

        Raises:
            SetupFailed: The server did not answer with the documented success status.
        """
        operation = self.spec.by_id(operation_id)
        response = self.call(operation_id, path, body)
        if response.status_code != operation.success_status:
            raise SetupFailed(
                CheckOutcome(
                    label=operation.label,
                    check=self.check,
                    passed=False,
                    message=(
                        f"setup: {operation.operation_id} answered {response.status_code}, "
                        f"not {operation.success_status}: {response.text[:200]}"
                    ),
                    curl=self.client.curl(response),
                )
            )
        return response.json()

    def _once(self, name: str, make: Any) -> Any:
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]

    def agent(self) -> str:
        """The id of an agent of the tenant."""
        return str(
            self._once(
                "agent", lambda: self.create("createAgent", {}, {"name": "Contract agent"})["id"]
            )
        )

    def agent_key(self) -> str:
        """The `agentKey` of agent-conversation paths."""
        return self._agent_key or self.agent()

    def conversation(self) -> str:
        """The id of a conversation with the agent."""
        return str(
            self._once(
                "conversation",
                lambda: self.create("createConversation", {}, {"agent_id": self.agent()})["id"],
            )
        )

    def exchange(self) -> tuple[str, str]:
        """The ids of the user message and the assistant reply of one exchange."""

        def make() -> tuple[str, str]:
            answer = self.create(
                "sendMessage", {"conversation_id": self.conversation()}, {"message": "Hello there"}
            )
            return str(answer["user_message"]["id"]), str(answer["message"]["id"])

        result: tuple[str, str] = self._once("exchange", make)
        return result

    def exchange_again(self) -> tuple[str, str]:
        """The ids of the messages of a second exchange in the same conversation."""
        answer = self.create(
            "sendMessage", {"conversation_id": self.conversation()}, {"message": "And then?"}
        )
        return str(answer["user_message"]["id"]), str(answer["message"]["id"])

    def qa_conversation(self) -> str:
        """The id of a Q&A conversation."""
        return str(
            self._once(
                "qa",
                lambda: self.create("qaChat", {}, {"question": "What is in the report?"})[
                    "conversation_id"
                ],
            )
        )

    def agent_conversation(self) -> tuple[str, str]:
        """The ids of an agent conversation and of its bot response."""

        def make() -> tuple[str, str]:
            answer = self.create(
                "createAgentConversation", {"agentKey": self.agent_key()}, {"query": "Summarise it"}
            )
            bot = [m for m in answer["messages"] if m.get("messageType") == "bot_response"]
            return str(answer["id"]), str(bot[-1]["id"] if bot else answer["messages"][-1]["id"])

        result: tuple[str, str] = self._once("agent_conversation", make)
        return result

    def path_values(self, operation: Operation) -> dict[str, str]:
        """The value of each path parameter of `operation`, creating resources as needed."""
        values: dict[str, str] = {}
        for name in operation.path_params:
            if name == "agent_id":
                values[name] = self.agent()
            elif name == "agentKey":
                values[name] = self.agent_key()
            elif name == "conversation_id":
                qa = operation.path.startswith("/api/")
                values[name] = self.qa_conversation() if qa else self.conversation()
            elif name == "message_id":
                values[name] = self.exchange()[1]
            elif name == "conversationId":
                values[name] = self.agent_conversation()[0]
            elif name == "messageId":
                values[name] = self.agent_conversation()[1]
            else:
                raise KeyError(f"no resource for path parameter {name!r} of {operation.label}")
        return values

    def request_for(self, operation: Operation) -> tuple[str, Any]:
        """A valid request of `operation`: its filled path and its example body.

        An example body's `agent_id` is replaced by the tenant's agent.
        """
        path = _fill(operation.path, self.path_values(operation))
        body = operation.example_body()
        if isinstance(body, dict) and "agent_id" in body:
            body["agent_id"] = self.agent()
        if body is None and operation.body_required:
            body = {}
        return path, body

    def known_ids(self) -> set[str]:
        """Every id this world created so far."""
        ids = set(self.extra_ids)
        for value in self._cache.values():
            ids.update(value if isinstance(value, tuple) else (value,))
        return ids

    def send(self, operation: Operation, **kwargs: Any) -> httpx.Response:
        """Send the valid request of `operation` (see `request_for`) with this world's client."""
        path, body = self.request_for(operation)
        return self.client.request(operation.method, path, body=body, **kwargs)


def _fill(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template
