"""``client.agents``: the ``agents`` tag of the Conversations API v1."""

from __future__ import annotations

from functools import cached_property
from typing import Unpack, cast
from uuid import UUID

from parley_client.api.agents import create_agent, get_agent, list_agents
from parley_client.models import Agent, AgentPage

from ..._base import RequestOptions
from ..._bodies import agent_body
from ..._not_given import NOT_GIVEN, NotGiven
from ..._response import Mode, ModeT, Raw, Streamed
from ..._shared import as_uuid, model
from ..pagination import AsyncPage
from ..twins import api_method
from ._resource import AsyncAPIResource


class AsyncAgents(AsyncAPIResource[ModeT]):
    """The agents conversations talk to."""

    @cached_property
    def with_raw_response(self) -> AsyncAgents[Raw]:
        """Each method returning its ``AsyncAPIResponse``; ``await parse()`` is the result."""
        return cast("AsyncAgents[Raw]", self._twin(Mode.RAW))

    @cached_property
    def with_streaming_response(self) -> AsyncAgents[Streamed]:
        """Each method returning a context manager of its answer, the body unread."""
        return cast("AsyncAgents[Streamed]", self._twin(Mode.STREAM))

    @api_method
    async def create(
        self,
        name: str,
        description: str | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Agent:
        """Create an agent (``createAgent``, POST /v1/agent).

        Args:
            name: The agent's name (1-200 characters).
            description: A description; ``None`` sends ``null`` (none), leaving it out sends
                nothing.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query`` and
                ``extra_body`` (see :class:`RequestOptions`).

        Returns:
            The new Agent.

        Raises:
            BadRequestError: An invalid name or description.
            APIStatusError: Another 4xx or 5xx answer.
            APIConnectionError: No answer after the retries.
        """
        body = agent_body(name, description)
        return await self._call(
            create_agent, body=body, options=options, post=True, cast_to=model(Agent)
        )

    @api_method
    async def get(self, agent_id: str | UUID, **options: Unpack[RequestOptions]) -> Agent:
        """Get an agent (``getAgent``, GET /v1/agent/{agent_id}).

        Raises:
            NotFoundError: No such agent in the tenant.
        """
        return await self._call(
            get_agent, as_uuid(agent_id, "agent_id"), options=options, cast_to=model(Agent)
        )

    @api_method
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
