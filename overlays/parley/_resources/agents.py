"""``client.agents``: the ``agents`` tag of the Conversations API v1."""

from __future__ import annotations

from typing import Unpack
from uuid import UUID

from parley_client.api.agents import create_agent, get_agent, list_agents
from parley_client.models import Agent, AgentPage, CreateAgentRequest

from .._base import RequestOptions
from .._pagination import AsyncPage, SyncPage
from ._shared import AsyncAPIResource, SyncAPIResource, as_uuid, opt, typed


def _body(name: str, description: str | None) -> CreateAgentRequest:
    return CreateAgentRequest(name=name, description=opt(description))


class Agents(SyncAPIResource):
    """The agents conversations talk to, synchronously."""

    def create(
        self, name: str, description: str | None = None, **options: Unpack[RequestOptions]
    ) -> Agent:
        """Create an agent (``createAgent``, POST /v1/agent).

        Args:
            name: The agent's name (1-200 characters).
            description: An optional description.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``.

        Returns:
            The new Agent.

        Raises:
            BadRequestError: An invalid name or description.
            APIStatusError: Another 4xx or 5xx answer.
            APIConnectionError: No answer after the retries.
        """
        body = _body(name, description)
        return typed(
            Agent, self._call(create_agent.sync_detailed, body=body, options=options, post=True)
        )

    def get(self, agent_id: str | UUID, **options: Unpack[RequestOptions]) -> Agent:
        """Get an agent (``getAgent``, GET /v1/agent/{agent_id}).

        Raises:
            NotFoundError: No such agent in the tenant.
        """
        return typed(
            Agent,
            self._call(get_agent.sync_detailed, as_uuid(agent_id, "agent_id"), options=options),
        )

    def list(
        self, *, page: int = 1, per_page: int = 20, **options: Unpack[RequestOptions]
    ) -> SyncPage[Agent]:
        """List the tenant's agents, newest first (``listAgents``, GET /v1/agent).

        Returns:
            A page of Agent; iterate it to walk every page.

        Raises:
            APIStatusError: A 4xx or 5xx answer.
        """
        return self._page(
            list_agents.sync_detailed, AgentPage, page=page, per_page=per_page, options=options
        )


class AsyncAgents(AsyncAPIResource):
    """Async mirror of :class:`Agents`."""

    async def create(
        self, name: str, description: str | None = None, **options: Unpack[RequestOptions]
    ) -> Agent:
        """``createAgent``; see :meth:`Agents.create`.

        Raises:
            BadRequestError: An invalid name or description.
        """
        body = _body(name, description)
        return typed(
            Agent,
            await self._call(create_agent.asyncio_detailed, body=body, options=options, post=True),
        )

    async def get(self, agent_id: str | UUID, **options: Unpack[RequestOptions]) -> Agent:
        """``getAgent``; see :meth:`Agents.get`.

        Raises:
            NotFoundError: No such agent in the tenant.
        """
        return typed(
            Agent,
            await self._call(
                get_agent.asyncio_detailed, as_uuid(agent_id, "agent_id"), options=options
            ),
        )

    async def list(
        self, *, page: int = 1, per_page: int = 20, **options: Unpack[RequestOptions]
    ) -> AsyncPage[Agent]:
        """``listAgents``; see :meth:`Agents.list`.

        Raises:
            APIStatusError: A 4xx or 5xx answer.
        """
        return await self._page(
            list_agents.asyncio_detailed, AgentPage, page=page, per_page=per_page, options=options
        )
