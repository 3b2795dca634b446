"""``client.agent_conversations``: the ``agent-conversations`` tag (camelCase on the wire).

Method names follow the agent-conversations SDK documentation: ``list``, ``create``,
``stream``, ``get``, ``delete``, ``add_message``, ``stream_message``, ``regenerate_response``.
Every method takes the per-call options ``headers=``, ``timeout=`` and ``max_retries=``, and
raises, besides the errors it names, :class:`APIStatusError` subclasses for other 4xx/5xx
answers and :class:`APIConnectionError` when no answer came.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Unpack

from parley_client.api.agent_conversations import (
    add_agent_message,
    create_agent_conversation,
    delete_agent_conversation,
    get_agent_conversation,
    list_agent_conversations,
    regenerate_agent_answer,
)
from parley_client.models import (
    AgentConversation,
    AgentStreamStart,
)

from .._base import RequestOptions, StreamOptions
from .._events import AGENT_STREAM
from .._streaming import Stream
from ._bodies import (
    FiltersArg,
    agent_create_body,
    message_body,
    regenerate_body,
    stream_kwargs,
    stream_message_kwargs,
)
from ._shared import SyncAPIResource, typed, typed_list


class AgentConversations(SyncAPIResource):
    """Conversations with a configured agent, synchronously."""

    def list(
        self, agent_key: str, **options: Unpack[RequestOptions]
    ) -> builtins.list[AgentConversation]:
        """The caller's conversations with an agent (``listAgentConversations``).

        Returns:
            Every AgentConversation, most recently updated first.

        Raises:
            NotFoundError: No such agent.
        """
        answer = self._call(list_agent_conversations.sync_detailed, agent_key, options=options)
        return typed_list(AgentConversation, answer)

    def create(
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
            **options: Per-call ``headers``, ``timeout``, ``max_retries``.

        Returns:
            The AgentConversation with the user query and the bot response.

        Raises:
            NotFoundError: No such agent.
        """
        body = agent_create_body(
            query, record_ids, departments, filters, model_key, model_name, chat_mode
        )
        answer = self._call(
            create_agent_conversation.sync_detailed,
            agent_key,
            body=body,
            options=options,
            post=True,
        )
        return typed(AgentConversation, answer)

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
    ) -> Stream[AgentStreamStart, AgentConversation]:
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
        return self._client._stream(stream_kwargs(agent_key, body), AGENT_STREAM, options)

    def get(
        self, agent_key: str, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> AgentConversation:
        """A conversation with all its messages (``getAgentConversation``).

        Raises:
            NotFoundError: No such agent or conversation.
        """
        answer = self._call(
            get_agent_conversation.sync_detailed, agent_key, conversation_id, options=options
        )
        return typed(AgentConversation, answer)

    def delete(
        self, agent_key: str, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete a conversation and its messages (``deleteAgentConversation``).

        Raises:
            NotFoundError: No such agent or conversation.
        """
        self._call(
            delete_agent_conversation.sync_detailed, agent_key, conversation_id, options=options
        )

    def add_message(
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
        answer = self._call(
            add_agent_message.sync_detailed,
            agent_key,
            conversation_id,
            body=body,
            options=options,
            post=True,
        )
        return typed(AgentConversation, answer)

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
    ) -> Stream[AgentStreamStart, AgentConversation]:
        """Ask a follow-up with the answer streamed (``streamAgentMessage``).

        Returns:
            A Stream of start, delta and complete (AgentConversation) events.

        Raises:
            NotFoundError: No such agent or conversation (raised when iteration starts).
            APITimeoutError: No event for ``idle_timeout`` seconds.
        """
        body = message_body(query, filters, model_key, model_name, chat_mode)
        kwargs = stream_message_kwargs(agent_key, conversation_id, body)
        return self._client._stream(kwargs, AGENT_STREAM, options)

    def regenerate_response(
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
        answer = self._call(
            regenerate_agent_answer.sync_detailed,
            agent_key,
            conversation_id,
            message_id,
            body=regenerate_body(filters, model_key, chat_mode),
            options=options,
            post=True,
        )
        return typed(AgentConversation, answer)
