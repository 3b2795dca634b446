"""``client.agents``: the ``agents`` tag of the Conversations API v1."""

from __future__ import annotations

from functools import cached_property
from typing import Unpack
from uuid import UUID

from parley_client.api.agents import create_agent, get_agent, list_agents
from parley_client.models import Agent, AgentPage, CreateAgentRequest

from ..._base import RequestOptions
from ..._shared import as_uuid, model, opt
from ..pagination import AsyncPage
from ..response import raw, streamed
from ._resource import AsyncAPIResource


def _body(name: str, description: str | None) -> CreateAgentRequest:
    return CreateAgentRequest(name=name, description=opt(description))


class AsyncAgents(AsyncAPIResource):
    """The agents conversations talk to."""

    @cached_property
    def with_raw_response(self) -> AsyncAgentsWithRawResponse:
        """The methods returning their ``AsyncAPIResponse``; ``await parse()`` is the result."""
        return AsyncAgentsWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AsyncAgentsWithStreamingResponse:
        """The methods returning a context manager of their answer, its body unread."""
        return AsyncAgentsWithStreamingResponse(self)

    async def create(
        self, name: str, description: str | None = None, **options: Unpack[RequestOptions]
    ) -> Agent:
        """Create an agent (``createAgent``, POST /v1/agent).

        Args:
            name: The agent's name (1-200 characters).
            description: An optional description.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query`` and
                ``extra_body`` (see :class:`RequestOptions`).

        Returns:
            The new Agent.

        Raises:
            BadRequestError: An invalid name or description.
            APIStatusError: Another 4xx or 5xx answer.
            APIConnectionError: No answer after the retries.
        """
        body = _body(name, description)
        return await self._call(
            create_agent, body=body, options=options, post=True, cast_to=model(Agent)
        )

    async def get(self, agent_id: str | UUID, **options: Unpack[RequestOptions]) -> Agent:
        """Get an agent (``getAgent``, GET /v1/agent/{agent_id}).

        Raises:
            NotFoundError: No such agent in the tenant.
        """
        return await self._call(
            get_agent, as_uuid(agent_id, "agent_id"), options=options, cast_to=model(Agent)
        )

    async def list(
        self, *, page: int = 1, per_page: int = 20, **options: Unpack[RequestOptions]
    ) -> AsyncPage[Agent]:
        """List the tenant's agents, newest first (``listAgents``, GET /v1/agent).

        Returns:
            A page of Agent; iterate it to walk every page.

        Raises:
            APIStatusError: A 4xx or 5xx answer.
        """
        return await self._page(
            list_agents, AgentPage, page=page, per_page=per_page, options=options
        )


class AsyncAgentsWithRawResponse:
    """``agents.with_raw_response``: each method returns its answer, read."""

    def __init__(self, resource: AsyncAgents):
        self.create = raw(resource.create)
        self.get = raw(resource.get)
        self.list = raw(resource.list)


class AsyncAgentsWithStreamingResponse:
    """``agents.with_streaming_response``: each method returns a context manager."""

    def __init__(self, resource: AsyncAgents):
        self.create = streamed(resource.create)
        self.get = streamed(resource.get)
        self.list = streamed(resource.list)
