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
from typing import Unpack, cast

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
from ..._not_given import NOT_GIVEN, NotGiven
from ..._response import Mode, ModeT, Raw, Streamed
from ..._shared import as_uuid, model, nothing
from ..pagination import AsyncPage
from ..twins import api_method
from ._resource import AsyncAPIResource


class AsyncConversations(AsyncAPIResource[ModeT]):
    """Conversation lifecycle, history and soft delete."""

    @cached_property
    def with_raw_response(self) -> AsyncConversations[Raw]:
        """Each method returning its ``AsyncAPIResponse``; ``await parse()`` is the result."""
        return cast("AsyncConversations[Raw]", self._twin(Mode.RAW))

    @cached_property
    def with_streaming_response(self) -> AsyncConversations[Streamed]:
        """Each method returning a context manager of its answer, the body unread."""
        return cast("AsyncConversations[Streamed]", self._twin(Mode.STREAM))

    @api_method
    async def create_conversation(
        self,
        agent_id: Id,
        *,
        title: str | NotGiven | None = NOT_GIVEN,
        metadata: MetadataArg = None,
        max_context_length: int | None = None,
        entity_type: EntityType | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Start a conversation with an agent (``createConversation``, POST /v1/conversation).

        Args:
            agent_id: The agent's id (UUID).
            title: A title; ``None`` sends ``null`` (no title), leaving it out sends nothing.
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

    @api_method
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

    @api_method
    async def update_conversation(
        self,
        conversation_id: Id,
        *,
        title: str | NotGiven | None = NOT_GIVEN,
        metadata: MetadataArg = None,
        status: ConversationStatus | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Change title, metadata or status (``updateConversation``, PATCH /v1/conversation/{id}).

        Args:
            conversation_id: The conversation's id.
            title: The new title; ``None`` clears it (sends ``null``). Left out, it is kept.
            metadata: A JSON object replacing the whole metadata; ``None`` keeps it.
            status: ``"active"``, ``"ended"`` or ``"archived"``; ``None`` keeps it.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query`` and
                ``extra_body`` (see :class:`RequestOptions`).

        Returns:
            The updated Conversation.

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

    @api_method
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

    @api_method
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

    @api_method
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

    @api_method
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

    @api_method
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

    @api_method
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

    @api_method
    async def end_conversation(
        self,
        conversation_id: Id,
        rating: int | NotGiven | None = NOT_GIVEN,
        feedback: str | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """End a conversation with an optional rating 1-5 and feedback (``endConversation``).

        Args:
            conversation_id: The conversation's id.
            rating: 1-5; ``None`` clears a stored rating (sends ``null``). Left out, it is kept.
            feedback: Free text; ``None`` clears stored feedback. Left out, it is kept.
            **options: Per-call ``headers``, ``timeout``, ``max_retries``, ``extra_query`` and
                ``extra_body`` (see :class:`RequestOptions`).

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

    @api_method
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

    @api_method
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
