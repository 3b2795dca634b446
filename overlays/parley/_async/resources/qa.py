"""``client.qa``: the Q&A history API (tag ``qa``, base path ``/api/v1``)."""

from __future__ import annotations

from functools import cached_property
from typing import Unpack, cast
from uuid import UUID

from parley_client.api.qa import (
    delete_qa_conversation,
    get_qa_conversation,
    list_qa_conversations,
    qa_chat,
)
from parley_client.models import (
    QaChatResponse,
    QaConversationList,
    QaDeleteResult,
    QaMessageList,
)

from ..._base import RequestOptions
from ..._bodies import qa_body
from ..._not_given import NOT_GIVEN, NotGiven
from ..._response import Mode, ModeT, Raw, Streamed
from ..._shared import as_uuid, model
from ..twins import api_method
from ._resource import AsyncAPIResource


class AsyncQa(AsyncAPIResource[ModeT]):
    """Question-and-answer history."""

    @cached_property
    def with_raw_response(self) -> AsyncQa[Raw]:
        """Each method returning its ``AsyncAPIResponse``; ``await parse()`` is the result."""
        return cast("AsyncQa[Raw]", self._twin(Mode.RAW))

    @cached_property
    def with_streaming_response(self) -> AsyncQa[Streamed]:
        """Each method returning a context manager of its answer, the body unread."""
        return cast("AsyncQa[Streamed]", self._twin(Mode.STREAM))

    @api_method
    async def chat(
        self,
        question: str,
        conversation_id: str | UUID | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> QaChatResponse:
        """Ask a question (``qaChat``, POST /api/v1/chat).

        Args:
            question: The question (1-32000 characters).
            conversation_id: The conversation to continue. Left out (or ``None``, sent as
                ``null``), the question starts a new conversation.
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
        body = qa_body(question, conversation_id)
        return await self._call(
            qa_chat, body=body, options=options, post=True, cast_to=model(QaChatResponse)
        )

    @api_method
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

    @api_method
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

    @api_method
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
