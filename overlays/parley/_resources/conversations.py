"""``client.conversations``: the ``conversations`` tag of the Conversations API v1.

Every method takes the per-call options ``headers=``, ``timeout=`` and ``max_retries=``, and
raises, besides the errors it names, :class:`APIStatusError` subclasses for other 4xx/5xx
answers (400 BadRequestError, 401 AuthenticationError, 403 PermissionDeniedError, 429
RateLimitError, 5xx InternalServerError) and :class:`APIConnectionError` when no answer came.
"""

from __future__ import annotations

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

from .._base import RequestOptions
from .._pagination import SyncPage
from ._bodies import Id, MetadataArg, create_body, end_body, list_query, update_body
from ._shared import (
    SyncAPIResource,
    as_uuid,
    typed,
)


class Conversations(SyncAPIResource):
    """Conversation lifecycle, history and soft delete, synchronously."""

    def create_conversation(
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
            **options: Per-call ``headers``, ``timeout``, ``max_retries``.

        Returns:
            The new Conversation (status ``active``).

        Raises:
            NotFoundError: The tenant has no agent ``agent_id``.
            ConflictError: The same Idempotency-Key is still being processed.
            UnprocessableEntityError: The Idempotency-Key was used with another body.
        """
        body = create_body(agent_id, title, metadata, max_context_length, entity_type)
        return typed(
            Conversation,
            self._call(create_conversation.sync_detailed, body=body, options=options, post=True),
        )

    def get_conversation(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> Conversation:
        """Get one conversation (``getConversation``, GET /v1/conversation/{id}).

        Raises:
            NotFoundError: No such conversation, or it is soft-deleted.
        """
        return typed(
            Conversation,
            self._call(
                get_conversation.sync_detailed,
                as_uuid(conversation_id, "conversation_id"),
                options=options,
            ),
        )

    def update_conversation(
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
        return typed(
            Conversation,
            self._call(
                update_conversation.sync_detailed,
                as_uuid(conversation_id, "conversation_id"),
                body=body,
                options=options,
            ),
        )

    def list_conversations(
        self,
        *,
        page: int = 1,
        per_page: int = 20,
        agent_id: Id | None = None,
        status: ConversationStatus | str | None = None,
        sort_by: ConversationSortField | str | None = None,
        sort_order: SortOrder | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[Conversation]:
        """List the tenant's conversations (``listConversations``, GET /v1/conversation).

        Returns:
            A page of Conversation; iterate it to walk every page.
        """
        query = list_query(agent_id, status, sort_by, sort_order)
        return self._page(
            list_conversations.sync_detailed,
            ConversationPage,
            page=page,
            per_page=per_page,
            options=options,
            **query,
        )

    def list_conversations_for_entity(
        self, *, page: int = 1, per_page: int = 20, **options: Unpack[RequestOptions]
    ) -> SyncPage[Conversation]:
        """List the caller's own conversations (``listConversationsForEntity``).

        Returns:
            A page of Conversation of the authenticated user or lead, newest first.
        """
        return self._page(
            list_conversations_for_entity.sync_detailed,
            ConversationPage,
            page=page,
            per_page=per_page,
            options=options,
        )

    def list_deleted_conversations(
        self, *, page: int = 1, per_page: int = 20, **options: Unpack[RequestOptions]
    ) -> SyncPage[Conversation]:
        """List soft-deleted conversations (``listDeletedConversations``).

        Returns:
            A page of Conversation, most recently deleted first.
        """
        return self._page(
            list_deleted_conversations.sync_detailed,
            ConversationPage,
            page=page,
            per_page=per_page,
            options=options,
        )

    def list_conversation_messages(
        self,
        conversation_id: Id,
        *,
        page: int = 1,
        per_page: int = 20,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[Message]:
        """List a conversation's messages, oldest first (``listConversationMessages``).

        Returns:
            A page of Message; iterate it to walk the whole history.

        Raises:
            NotFoundError: No such conversation.
        """
        return self._page(
            list_conversation_messages.sync_detailed,
            MessagePage,
            as_uuid(conversation_id, "conversation_id"),
            page=page,
            per_page=per_page,
            options=options,
        )

    def delete_conversation(self, conversation_id: Id, **options: Unpack[RequestOptions]) -> None:
        """Soft-delete a conversation (``deleteConversation``, DELETE /v1/conversation/{id}).

        Raises:
            NotFoundError: No such conversation, or already deleted.
        """
        self._call(
            delete_conversation.sync_detailed,
            as_uuid(conversation_id, "conversation_id"),
            options=options,
        )

    def restore_conversation(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> Conversation:
        """Restore a soft-deleted conversation; idempotent (``restoreConversation``).

        Raises:
            NotFoundError: No such conversation.
        """
        return typed(
            Conversation,
            self._call(
                restore_conversation.sync_detailed,
                as_uuid(conversation_id, "conversation_id"),
                options=options,
            ),
        )

    def end_conversation(
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
        return typed(
            Conversation,
            self._call(
                end_conversation.sync_detailed,
                as_uuid(conversation_id, "conversation_id"),
                body=end_body(rating, feedback),
                options=options,
                post=True,
            ),
        )

    def delete_conversation_messages(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> BulkMessageResult:
        """Soft-delete every message of a conversation (``deleteConversationMessages``).

        Returns:
            BulkMessageResult with ``affected``, the number of messages deleted.

        Raises:
            NotFoundError: No such conversation.
        """
        return typed(
            BulkMessageResult,
            self._call(
                delete_conversation_messages.sync_detailed,
                as_uuid(conversation_id, "conversation_id"),
                options=options,
            ),
        )

    def restore_all_messages(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> BulkMessageResult:
        """Restore every soft-deleted message of a conversation (``restoreAllMessages``).

        Returns:
            BulkMessageResult with ``affected``, the number of messages restored.

        Raises:
            NotFoundError: No such conversation.
        """
        return typed(
            BulkMessageResult,
            self._call(
                restore_all_messages.sync_detailed,
                as_uuid(conversation_id, "conversation_id"),
                options=options,
            ),
        )
