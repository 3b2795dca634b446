"""``client.qa``: the Q&A history API (tag ``qa``, base path ``/api/v1``)."""

from __future__ import annotations

from functools import cached_property
from typing import Unpack
from uuid import UUID

from parley_client.api.qa import (
    delete_qa_conversation,
    get_qa_conversation,
    list_qa_conversations,
    qa_chat,
)
from parley_client.models import (
    QaChatRequest,
    QaChatResponse,
    QaConversationList,
    QaDeleteResult,
    QaMessageList,
)

from ..._base import RequestOptions
from ..._shared import as_uuid, model, opt_uuid
from ..response import raw, streamed
from ._resource import AsyncAPIResource


def _body(question: str, conversation_id: str | UUID | None) -> QaChatRequest:
    return QaChatRequest(
        question=question, conversation_id=opt_uuid(conversation_id, "conversation_id")
    )


class AsyncQa(AsyncAPIResource):
    """Question-and-answer history."""

    @cached_property
    def with_raw_response(self) -> AsyncQaWithRawResponse:
        """The methods returning their ``AsyncAPIResponse``; ``await parse()`` is the result."""
        return AsyncQaWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AsyncQaWithStreamingResponse:
        """The methods returning a context manager of their answer, its body unread."""
        return AsyncQaWithStreamingResponse(self)

    async def chat(
        self,
        question: str,
        conversation_id: str | UUID | None = None,
        **options: Unpack[RequestOptions],
    ) -> QaChatResponse:
        """Ask a question (``qaChat``, POST /api/v1/chat).

        Args:
            question: The question (1-32000 characters).
            conversation_id: The conversation to continue; a new one when None.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query`` and
                ``extra_body`` (see :class:`RequestOptions`).

        Returns:
            QaChatResponse: the ``conversation_id`` and the ``message`` (question, answer,
            sources, timestamp).

        Raises:
            NotFoundError: No conversation ``conversation_id``.
            APIStatusError: Another 4xx or 5xx answer.
            APIConnectionError: No answer after the retries.
        """
        body = _body(question, conversation_id)
        return await self._call(
            qa_chat, body=body, options=options, post=True, cast_to=model(QaChatResponse)
        )

    async def list_conversations(self, **options: Unpack[RequestOptions]) -> QaConversationList:
        """List every Q&A conversation, most recent first (``listQaConversations``).

        Returns:
            QaConversationList: ``conversations`` of (id, title, timestamp, message_count).

        Raises:
            APIStatusError: A 4xx or 5xx answer.
        """
        return await self._call(
            list_qa_conversations, options=options, cast_to=model(QaConversationList)
        )

    async def get_conversation(
        self, conversation_id: str | UUID, **options: Unpack[RequestOptions]
    ) -> QaMessageList:
        """A conversation's messages in chronological order (``getQaConversation``).

        Raises:
            NotFoundError: No such conversation.
        """
        return await self._call(
            get_qa_conversation,
            as_uuid(conversation_id, "conversation_id"),
            options=options,
            cast_to=model(QaMessageList),
        )

    async def delete_conversation(
        self, conversation_id: str | UUID, **options: Unpack[RequestOptions]
    ) -> QaDeleteResult:
        """Delete a conversation permanently (``deleteQaConversation``).

        Returns:
            QaDeleteResult: ``deleted``, the number of messages removed.

        Raises:
            NotFoundError: No such conversation.
        """
        return await self._call(
            delete_qa_conversation,
            as_uuid(conversation_id, "conversation_id"),
            options=options,
            cast_to=model(QaDeleteResult),
        )


class AsyncQaWithRawResponse:
    """``qa.with_raw_response``: each method returns its answer, read."""

    def __init__(self, resource: AsyncQa):
        self.chat = raw(resource.chat)
        self.list_conversations = raw(resource.list_conversations)
        self.get_conversation = raw(resource.get_conversation)
        self.delete_conversation = raw(resource.delete_conversation)


class AsyncQaWithStreamingResponse:
    """``qa.with_streaming_response``: each method returns a context manager."""

    def __init__(self, resource: AsyncQa):
        self.chat = streamed(resource.chat)
        self.list_conversations = streamed(resource.list_conversations)
        self.get_conversation = streamed(resource.get_conversation)
        self.delete_conversation = streamed(resource.delete_conversation)
