"""``client.agent_conversations``: the ``agent-conversations`` tag (camelCase on the wire).

Method names follow the agent-conversations SDK documentation: ``list``, ``create``,
``stream``, ``get``, ``delete``, ``add_message``, ``stream_message``, ``regenerate_response``.
Every method takes the per-call options ``headers=``, ``timeout=``, ``max_retries=``,
``extra_query=`` and ``extra_body=`` (:class:`RequestOptions`: an extra naming what the method
already sends is refused with ``ValueError``), has a ``with_raw_response`` and a
``with_streaming_response`` twin, and
raises, besides the errors it names, :class:`APIStatusError` subclasses for other 4xx/5xx
answers and :class:`APIConnectionError` when no answer came.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from functools import cached_property
from typing import Unpack, cast

from parley_client.api.agent_conversations import (
    add_agent_message,
    create_agent_conversation,
    delete_agent_conversation,
    get_agent_conversation,
    list_agent_conversations,
    regenerate_agent_answer,
    stream_agent_conversation,
    stream_agent_message,
)
from parley_client.models import (
    AgentConversation,
    AgentStreamStart,
)

from ..._base import RequestOptions, StreamOptions
from ..._bodies import FiltersArg, agent_create_body, message_body, regenerate_body
from ..._events import AGENT_STREAM
from ..._response import Mode, ModeT, Raw, Streamed
from ..._shared import model, models, nothing
from ..streaming import AsyncStream
from ..twins import api_method, stream_method
from ._resource import AsyncAPIResource


class AsyncAgentConversations(AsyncAPIResource[ModeT]):
    """Conversations with a configured agent."""

    @cached_property
    def with_raw_response(self) -> AsyncAgentConversations[Raw]:
        """Each method returning its ``AsyncAPIResponse``; ``await parse()`` is the result."""
        return cast("AsyncAgentConversations[Raw]", self._twin(Mode.RAW))

    @cached_property
    def with_streaming_response(self) -> AsyncAgentConversations[Streamed]:
        """Each method returning a context manager of its answer, the body unread."""
        return cast("AsyncAgentConversations[Streamed]", self._twin(Mode.STREAM))

    @api_method
    async def list(
        self, agent_key: str, **options: Unpack[RequestOptions]
    ) -> builtins.list[AgentConversation]:
        """The caller's conversations with an agent (``listAgentConversations``).

        Returns:
            Every AgentConversation, most recently updated first.

        Raises:
            NotFoundError: No such agent.
        """
        return await self._call(
            list_agent_conversations, agent_key, options=options, cast_to=models(AgentConversation)
        )

    @api_method
    async def create(
        self,
        agent_key: str,
        query: str,
        record_ids: Sequence[str] | None = None,
        departments: Sequence[str] | None = None,
        filters: FiltersArg = None,
        model_key: str | None = None,
        model_name: str | None = None,
        chat_mode: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AgentConversation:
        """Start a conversation and answer its first query (``createAgentConversation``).

        Args:
            agent_key: The agent's identifier.
            query: The first question.
            record_ids: Limit the knowledge to these records.
            departments: Department ids to scope the search.
            filters: ``{"apps": [...], "kb": [...]}`` or a Filters model.
            model_key: The model configuration to use.
            model_name: The model's display name.
            chat_mode: Such as ``"balanced"``.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query`` and
                ``extra_body`` (see :class:`RequestOptions`).

        Returns:
            The AgentConversation with the user query and the bot response.

        Raises:
            NotFoundError: No such agent.
        """
        body = agent_create_body(
            query, record_ids, departments, filters, model_key, model_name, chat_mode
        )
        return await self._call(
            create_agent_conversation,
            agent_key,
            body=body,
            options=options,
            post=True,
            cast_to=model(AgentConversation),
        )

    @stream_method
    def stream(
        self,
        agent_key: str,
        query: str,
        record_ids: Sequence[str] | None = None,
        departments: Sequence[str] | None = None,
        filters: FiltersArg = None,
        model_key: str | None = None,
        model_name: str | None = None,
        chat_mode: str | None = None,
        **options: Unpack[StreamOptions],
    ) -> AsyncStream[AgentStreamStart, AgentConversation]:
        """Start a conversation with the answer streamed (``streamAgentConversation``).

        Takes the arguments of :meth:`create`, plus the per-call ``idle_timeout``.

        Returns:
            A Stream of start (AgentStreamStart), delta and complete (AgentConversation) events.

        Raises:
            NotFoundError: No such agent (raised when iteration starts).
            APITimeoutError: No event for ``idle_timeout`` seconds.
        """
        body = agent_create_body(
            query, record_ids, departments, filters, model_key, model_name, chat_mode
        )
        return self._stream(
            stream_agent_conversation, agent_key, body=body, kind=AGENT_STREAM, options=options
        )

    @api_method
    async def get(
        self, agent_key: str, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> AgentConversation:
        """A conversation with all its messages (``getAgentConversation``).

        Raises:
            NotFoundError: No such agent or conversation.
        """
        return await self._call(
            get_agent_conversation,
            agent_key,
            conversation_id,
            options=options,
            cast_to=model(AgentConversation),
        )

    @api_method
    async def delete(
        self, agent_key: str, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete a conversation and its messages (``deleteAgentConversation``).

        Raises:
            NotFoundError: No such agent or conversation.
        """
        await self._call(
            delete_agent_conversation, agent_key, conversation_id, options=options, cast_to=nothing
        )

    @api_method
    async def add_message(
        self,
        agent_key: str,
        conversation_id: str,
        query: str,
        filters: FiltersArg = None,
        model_key: str | None = None,
        model_name: str | None = None,
        chat_mode: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AgentConversation:
        """Ask a follow-up and get the answer (``addAgentMessage``).

        Returns:
            The AgentConversation ending with the new query and its bot response.

        Raises:
            NotFoundError: No such agent or conversation.
        """
        body = message_body(query, filters, model_key, model_name, chat_mode)
        return await self._call(
            add_agent_message,
            agent_key,
            conversation_id,
            body=body,
            options=options,
            post=True,
            cast_to=model(AgentConversation),
        )

    @stream_method
    def stream_message(
        self,
        agent_key: str,
        conversation_id: str,
        query: str,
        filters: FiltersArg = None,
        model_key: str | None = None,
        model_name: str | None = None,
        chat_mode: str | None = None,
        **options: Unpack[StreamOptions],
    ) -> AsyncStream[AgentStreamStart, AgentConversation]:
        """Ask a follow-up with the answer streamed (``streamAgentMessage``).

        Returns:
            A Stream of start, delta and complete (AgentConversation) events.

        Raises:
            NotFoundError: No such agent or conversation (raised when iteration starts).
            APITimeoutError: No event for ``idle_timeout`` seconds.
        """
        body = message_body(query, filters, model_key, model_name, chat_mode)
        return self._stream(
            stream_agent_message,
            agent_key,
            conversation_id,
            body=body,
            kind=AGENT_STREAM,
            options=options,
        )

    @api_method
    async def regenerate_response(
        self,
        agent_key: str,
        conversation_id: str,
        message_id: str,
        filters: FiltersArg = None,
        model_key: str | None = None,
        chat_mode: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AgentConversation:
        """Replace a bot response with a new answer (``regenerateAgentAnswer``).

        Returns:
            The AgentConversation with the regenerated answer.

        Raises:
            NotFoundError: No such agent, conversation or message.
            UnprocessableEntityError: ``message_id`` names a user query.
        """
        return await self._call(
            regenerate_agent_answer,
            agent_key,
            conversation_id,
            message_id,
            body=regenerate_body(filters, model_key, chat_mode),
            options=options,
            post=True,
            cast_to=model(AgentConversation),
        )
