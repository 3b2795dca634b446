"""``AsyncParley.agent_conversations``: async mirror of :mod:`.agent_conversations`."""

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
from parley_client.models import AgentConversation, AgentStreamStart

from .._base import RequestOptions, StreamOptions
from .._events import AGENT_STREAM
from .._streaming import AsyncStream
from ._bodies import (
    FiltersArg,
    agent_create_body,
    message_body,
    regenerate_body,
    stream_kwargs,
    stream_message_kwargs,
)
from ._shared import AsyncAPIResource, typed, typed_list


class AsyncAgentConversations(AsyncAPIResource):
    """Async mirror of :class:`AgentConversations`: the same methods, awaited."""

    async def list(
        self, agent_key: str, **options: Unpack[RequestOptions]
    ) -> builtins.list[AgentConversation]:
        """``listAgentConversations``; see :meth:`AgentConversations.list`.

        Raises:
            NotFoundError: No such agent.
        """
        answer = await self._call(
            list_agent_conversations.asyncio_detailed, agent_key, options=options
        )
        return typed_list(AgentConversation, answer)

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
        """``createAgentConversation``; see :meth:`AgentConversations.create`.

        Raises:
            NotFoundError: No such agent.
        """
        body = agent_create_body(
            query, record_ids, departments, filters, model_key, model_name, chat_mode
        )
        answer = await self._call(
            create_agent_conversation.asyncio_detailed,
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
    ) -> AsyncStream[AgentStreamStart, AgentConversation]:
        """``streamAgentConversation``; see :meth:`AgentConversations.stream`.

        Raises:
            APITimeoutError: No event for ``idle_timeout`` seconds.
        """
        body = agent_create_body(
            query, record_ids, departments, filters, model_key, model_name, chat_mode
        )
        return self._client._stream(stream_kwargs(agent_key, body), AGENT_STREAM, options)

    async def get(
        self, agent_key: str, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> AgentConversation:
        """``getAgentConversation``; see :meth:`AgentConversations.get`.

        Raises:
            NotFoundError: No such agent or conversation.
        """
        answer = await self._call(
            get_agent_conversation.asyncio_detailed, agent_key, conversation_id, options=options
        )
        return typed(AgentConversation, answer)

    async def delete(
        self, agent_key: str, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> None:
        """``deleteAgentConversation``; see :meth:`AgentConversations.delete`.

        Raises:
            NotFoundError: No such agent or conversation.
        """
        await self._call(
            delete_agent_conversation.asyncio_detailed, agent_key, conversation_id, options=options
        )

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
        """``addAgentMessage``; see :meth:`AgentConversations.add_message`.

        Raises:
            NotFoundError: No such agent or conversation.
        """
        body = message_body(query, filters, model_key, model_name, chat_mode)
        answer = await self._call(
            add_agent_message.asyncio_detailed,
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
    ) -> AsyncStream[AgentStreamStart, AgentConversation]:
        """``streamAgentMessage``; see :meth:`AgentConversations.stream_message`.

        Raises:
            APITimeoutError: No event for ``idle_timeout`` seconds.
        """
        body = message_body(query, filters, model_key, model_name, chat_mode)
        kwargs = stream_message_kwargs(agent_key, conversation_id, body)
        return self._client._stream(kwargs, AGENT_STREAM, options)

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
        """``regenerateAgentAnswer``; see :meth:`AgentConversations.regenerate_response`.

        Raises:
            NotFoundError: No such agent, conversation or message.
            UnprocessableEntityError: ``message_id`` names a user query.
        """
        answer = await self._call(
            regenerate_agent_answer.asyncio_detailed,
            agent_key,
            conversation_id,
            message_id,
            body=regenerate_body(filters, model_key, chat_mode),
            options=options,
            post=True,
        )
        return typed(AgentConversation, answer)
