"""``client.qa``: the Q&A history API (tag ``qa``, base path ``/api/v1``)."""

from __future__ import annotations

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

from .._base import RequestOptions
from ._shared import AsyncAPIResource, SyncAPIResource, as_uuid, opt_uuid, typed


def _body(question: str, conversation_id: str | UUID | None) -> QaChatRequest:
    return QaChatRequest(
        question=question, conversation_id=opt_uuid(conversation_id, "conversation_id")
    )


class Qa(SyncAPIResource):
    """Question-and-answer history, synchronously."""

    def chat(
        self,
        question: str,
        conversation_id: str | UUID | None = None,
        **options: Unpack[RequestOptions],
    ) -> QaChatResponse:
        """Ask a question (``qaChat``, POST /api/v1/chat).

        Args:
            question: The question (1-32000 characters).
            conversation_id: The conversation to continue; a new one when None.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``.

        Returns:
            QaChatResponse: the ``conversation_id`` and the ``message`` (question, answer,
            sources, timestamp).

        Raises:
            NotFoundError: No conversation ``conversation_id``.
            APIStatusError: Another 4xx or 5xx answer.
            APIConnectionError: No answer after the retries.
        """
        body = _body(question, conversation_id)
        return typed(
            QaChatResponse, self._call(qa_chat.sync_detailed, body=body, options=options, post=True)
        )

    def list_conversations(self, **options: Unpack[RequestOptions]) -> QaConversationList:
        """List every Q&A conversation, most recent first (``listQaConversations``).

        Returns:
            QaConversationList: ``conversations`` of (id, title, timestamp, message_count).

        Raises:
            APIStatusError: A 4xx or 5xx answer.
        """
        return typed(
            QaConversationList, self._call(list_qa_conversations.sync_detailed, options=options)
        )

    def get_conversation(
        self, conversation_id: str | UUID, **options: Unpack[RequestOptions]
    ) -> QaMessageList:
        """A conversation's messages in chronological order (``getQaConversation``).

        Raises:
            NotFoundError: No such conversation.
        """
        return typed(
            QaMessageList,
            self._call(
                get_qa_conversation.sync_detailed,
                as_uuid(conversation_id, "conversation_id"),
                options=options,
            ),
        )

    def delete_conversation(
        self, conversation_id: str | UUID, **options: Unpack[RequestOptions]
    ) -> QaDeleteResult:
        """Delete a conversation permanently (``deleteQaConversation``).

        Returns:
            QaDeleteResult: ``deleted``, the number of messages removed.

        Raises:
            NotFoundError: No such conversation.
        """
        return typed(
            QaDeleteResult,
            self._call(
                delete_qa_conversation.sync_detailed,
                as_uuid(conversation_id, "conversation_id"),
                options=options,
            ),
        )


class AsyncQa(AsyncAPIResource):
    """Async mirror of :class:`Qa`."""

    async def chat(
        self,
        question: str,
        conversation_id: str | UUID | None = None,
        **options: Unpack[RequestOptions],
    ) -> QaChatResponse:
        """``qaChat``; see :meth:`Qa.chat`.

        Raises:
            NotFoundError: No conversation ``conversation_id``.
        """
        body = _body(question, conversation_id)
        return typed(
            QaChatResponse,
            await self._call(qa_chat.asyncio_detailed, body=body, options=options, post=True),
        )

    async def list_conversations(self, **options: Unpack[RequestOptions]) -> QaConversationList:
        """``listQaConversations``; see :meth:`Qa.list_conversations`.

        Raises:
            APIStatusError: A 4xx or 5xx answer.
        """
        return typed(
            QaConversationList,
            await self._call(list_qa_conversations.asyncio_detailed, options=options),
        )

    async def get_conversation(
        self, conversation_id: str | UUID, **options: Unpack[RequestOptions]
    ) -> QaMessageList:
        """``getQaConversation``; see :meth:`Qa.get_conversation`.

        Raises:
            NotFoundError: No such conversation.
        """
        return typed(
            QaMessageList,
            await self._call(
                get_qa_conversation.asyncio_detailed,
                as_uuid(conversation_id, "conversation_id"),
                options=options,
            ),
        )

    async def delete_conversation(
        self, conversation_id: str | UUID, **options: Unpack[RequestOptions]
    ) -> QaDeleteResult:
        """``deleteQaConversation``; see :meth:`Qa.delete_conversation`.

        Raises:
            NotFoundError: No such conversation.
        """
        return typed(
            QaDeleteResult,
            await self._call(
                delete_qa_conversation.asyncio_detailed,
                as_uuid(conversation_id, "conversation_id"),
                options=options,
            ),
        )
