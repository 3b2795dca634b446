"""``client.conversations``: the ``conversations`` tag of the Conversations API v1.

Every method takes the per-call options ``headers=``, ``timeout=``, ``max_retries=``,
``extra_query=`` and ``extra_body=`` (:class:`RequestOptions`: an extra naming what the method
already sends is refused with ``ValueError``), has a ``with_raw_response`` and a
``with_streaming_response`` twin, and
raises, besides the errors it names, :class:`APIStatusError` subclasses for other 4xx/5xx
answers (400 BadRequestError, 401 AuthenticationError, 403 PermissionDeniedError, 429
RateLimitError, 5xx InternalServerError) and :class:`APIConnectionError` when no answer came.
"""

from __future__ import annotations

from functools import cached_property
from typing import Unpack

from parley_client.api.conversations import (
    create_conversation,
    delete_conversation,
    delete_conversation_messages,
    end_conversation,
    get_conversation,
    list_conversation_messages,
    list_conversations,
    list_conversations_for_entity,
    list_deleted_conversations,
    restore_all_messages,
    restore_conversation,
    update_conversation,
)
from parley_client.models import (
    BulkMessageResult,
    Conversation,
    ConversationPage,
    ConversationSortField,
    ConversationStatus,
    EntityType,
    Message,
    MessagePage,
    SortOrder,
)

from ..._base import RequestOptions
from ..._bodies import Id, MetadataArg, create_body, end_body, list_query, update_body
from ..._shared import as_uuid, model, nothing
from ..pagination import AsyncPage
from ..response import raw, streamed
from ._resource import AsyncAPIResource


class AsyncConversations(AsyncAPIResource):
    """Conversation lifecycle, history and soft delete."""

    @cached_property
    def with_raw_response(self) -> AsyncConversationsWithRawResponse:
        """The methods returning their ``AsyncAPIResponse``; ``await parse()`` is the result."""
        return AsyncConversationsWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AsyncConversationsWithStreamingResponse:
        """The methods returning a context manager of their answer, its body unread."""
        return AsyncConversationsWithStreamingResponse(self)

    async def create_conversation(
        self,
        agent_id: Id,
        *,
        title: str | None = None,
        metadata: MetadataArg = None,
        max_context_length: int | None = None,
        entity_type: EntityType | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Start a conversation with an agent (``createConversation``, POST /v1/conversation).

        Args:
            agent_id: The agent's id (UUID).
            title: An optional title.
            metadata: Arbitrary JSON object for custom tags or CRM ids.
            max_context_length: Previous messages the agent sees (1-1000, server default 20).
            entity_type: ``"USER"`` or ``"LEAD"``.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query`` and
                ``extra_body`` (see :class:`RequestOptions`).

        Returns:
            The new Conversation (status ``active``).

        Raises:
            NotFoundError: The tenant has no agent ``agent_id``.
            ConflictError: The same Idempotency-Key is still being processed.
            UnprocessableEntityError: The Idempotency-Key was used with another body.
        """
        body = create_body(agent_id, title, metadata, max_context_length, entity_type)
        return await self._call(
            create_conversation, body=body, options=options, post=True, cast_to=model(Conversation)
        )

    async def get_conversation(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> Conversation:
        """Get one conversation (``getConversation``, GET /v1/conversation/{id}).

        Raises:
            NotFoundError: No such conversation, or it is soft-deleted.
        """
        return await self._call(
            get_conversation,
            as_uuid(conversation_id, "conversation_id"),
            options=options,
            cast_to=model(Conversation),
        )

    async def update_conversation(
        self,
        conversation_id: Id,
        *,
        title: str | None = None,
        metadata: MetadataArg = None,
        status: ConversationStatus | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Change title, metadata or status (``updateConversation``, PATCH /v1/conversation/{id}).

        Fields left as None are kept; ``metadata`` replaces the whole object.

        Raises:
            NotFoundError: No such conversation.
            BadRequestError: Nothing to change, or an invalid field.
        """
        body = update_body(title, metadata, status)
        return await self._call(
            update_conversation,
            as_uuid(conversation_id, "conversation_id"),
            body=body,
            options=options,
            cast_to=model(Conversation),
        )

    async def list_conversations(
        self,
        *,
        page: int = 1,
        per_page: int = 20,
        agent_id: Id | None = None,
        status: ConversationStatus | str | None = None,
        sort_by: ConversationSortField | str | None = None,
        sort_order: SortOrder | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPage[Conversation]:
        """List the tenant's conversations (``listConversations``, GET /v1/conversation).

        Returns:
            A page of Conversation; iterate it to walk every page.
        """
        query = list_query(agent_id, status, sort_by, sort_order)
        return await self._page(
            list_conversations,
            ConversationPage,
            page=page,
            per_page=per_page,
            options=options,
            **query,
        )

    async def list_conversations_for_entity(
        self, *, page: int = 1, per_page: int = 20, **options: Unpack[RequestOptions]
    ) -> AsyncPage[Conversation]:
        """List the caller's own conversations (``listConversationsForEntity``).

        Returns:
            A page of Conversation of the authenticated user or lead, newest first.
        """
        return await self._page(
            list_conversations_for_entity,
            ConversationPage,
            page=page,
            per_page=per_page,
            options=options,
        )

    async def list_deleted_conversations(
        self, *, page: int = 1, per_page: int = 20, **options: Unpack[RequestOptions]
    ) -> AsyncPage[Conversation]:
        """List soft-deleted conversations (``listDeletedConversations``).

        Returns:
            A page of Conversation, most recently deleted first.
        """
        return await self._page(
            list_deleted_conversations,
            ConversationPage,
            page=page,
            per_page=per_page,
            options=options,
        )

    async def list_conversation_messages(
        self,
        conversation_id: Id,
        *,
        page: int = 1,
        per_page: int = 20,
        **options: Unpack[RequestOptions],
    ) -> AsyncPage[Message]:
        """List a conversation's messages, oldest first (``listConversationMessages``).

        Returns:
            A page of Message; iterate it to walk the whole history.

        Raises:
            NotFoundError: No such conversation.
        """
        return await self._page(
            list_conversation_messages,
            MessagePage,
            as_uuid(conversation_id, "conversation_id"),
            page=page,
            per_page=per_page,
            options=options,
        )

    async def delete_conversation(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> None:
        """Soft-delete a conversation (``deleteConversation``, DELETE /v1/conversation/{id}).

        Raises:
            NotFoundError: No such conversation, or already deleted.
        """
        await self._call(
            delete_conversation,
            as_uuid(conversation_id, "conversation_id"),
            options=options,
            cast_to=nothing,
        )

    async def restore_conversation(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> Conversation:
        """Restore a soft-deleted conversation; idempotent (``restoreConversation``).

        Raises:
            NotFoundError: No such conversation.
        """
        return await self._call(
            restore_conversation,
            as_uuid(conversation_id, "conversation_id"),
            options=options,
            cast_to=model(Conversation),
        )

    async def end_conversation(
        self,
        conversation_id: Id,
        rating: int | None = None,
        feedback: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """End a conversation with an optional rating 1-5 and feedback (``endConversation``).

        Returns:
            The Conversation, status ``ended``.

        Raises:
            NotFoundError: No such conversation.
            BadRequestError: ``rating`` outside 1-5.
        """
        return await self._call(
            end_conversation,
            as_uuid(conversation_id, "conversation_id"),
            body=end_body(rating, feedback),
            options=options,
            post=True,
            cast_to=model(Conversation),
        )

    async def delete_conversation_messages(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> BulkMessageResult:
        """Soft-delete every message of a conversation (``deleteConversationMessages``).

        Returns:
            BulkMessageResult with ``affected``, the number of messages deleted.

        Raises:
            NotFoundError: No such conversation.
        """
        return await self._call(
            delete_conversation_messages,
            as_uuid(conversation_id, "conversation_id"),
            options=options,
            cast_to=model(BulkMessageResult),
        )

    async def restore_all_messages(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> BulkMessageResult:
        """Restore every soft-deleted message of a conversation (``restoreAllMessages``).

        Returns:
            BulkMessageResult with ``affected``, the number of messages restored.

        Raises:
            NotFoundError: No such conversation.
        """
        return await self._call(
            restore_all_messages,
            as_uuid(conversation_id, "conversation_id"),
            options=options,
            cast_to=model(BulkMessageResult),
        )


class AsyncConversationsWithRawResponse:
    """``conversations.with_raw_response``: each method returns its answer, read."""

    def __init__(self, resource: AsyncConversations):
        self.create_conversation = raw(resource.create_conversation)
        self.get_conversation = raw(resource.get_conversation)
        self.update_conversation = raw(resource.update_conversation)
        self.list_conversations = raw(resource.list_conversations)
        self.list_conversations_for_entity = raw(resource.list_conversations_for_entity)
        self.list_deleted_conversations = raw(resource.list_deleted_conversations)
        self.list_conversation_messages = raw(resource.list_conversation_messages)
        self.delete_conversation = raw(resource.delete_conversation)
        self.restore_conversation = raw(resource.restore_conversation)
        self.end_conversation = raw(resource.end_conversation)
        self.delete_conversation_messages = raw(resource.delete_conversation_messages)
        self.restore_all_messages = raw(resource.restore_all_messages)


class AsyncConversationsWithStreamingResponse:
    """``conversations.with_streaming_response``: each method returns a context manager."""

    def __init__(self, resource: AsyncConversations):
        self.create_conversation = streamed(resource.create_conversation)
        self.get_conversation = streamed(resource.get_conversation)
        self.update_conversation = streamed(resource.update_conversation)
        self.list_conversations = streamed(resource.list_conversations)
        self.list_conversations_for_entity = streamed(resource.list_conversations_for_entity)
        self.list_deleted_conversations = streamed(resource.list_deleted_conversations)
        self.list_conversation_messages = streamed(resource.list_conversation_messages)
        self.delete_conversation = streamed(resource.delete_conversation)
        self.restore_conversation = streamed(resource.restore_conversation)
        self.end_conversation = streamed(resource.end_conversation)
        self.delete_conversation_messages = streamed(resource.delete_conversation_messages)
        self.restore_all_messages = streamed(resource.restore_all_messages)
