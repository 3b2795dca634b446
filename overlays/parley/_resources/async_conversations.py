"""``AsyncParley.conversations``: async mirror of :mod:`.conversations`."""

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
from .._pagination import AsyncPage
from ._bodies import (
    Id,
    MetadataArg,
    create_body,
    end_body,
    list_query,
    update_body,
)
from ._shared import AsyncAPIResource, as_uuid, typed


class AsyncConversations(AsyncAPIResource):
    """Async mirror of :class:`Conversations`: the same methods, awaited."""

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
        """``createConversation``; see :meth:`Conversations.create_conversation`.

        Raises:
            NotFoundError: The tenant has no agent ``agent_id``.
        """
        body = create_body(agent_id, title, metadata, max_context_length, entity_type)
        return typed(
            Conversation,
            await self._call(
                create_conversation.asyncio_detailed, body=body, options=options, post=True
            ),
        )

    async def get_conversation(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> Conversation:
        """``getConversation``; see :meth:`Conversations.get_conversation`.

        Raises:
            NotFoundError: No such conversation, or it is soft-deleted.
        """
        return typed(
            Conversation,
            await self._call(
                get_conversation.asyncio_detailed,
                as_uuid(conversation_id, "conversation_id"),
                options=options,
            ),
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
        """``updateConversation``; see :meth:`Conversations.update_conversation`.

        Raises:
            NotFoundError: No such conversation.
        """
        body = update_body(title, metadata, status)
        return typed(
            Conversation,
            await self._call(
                update_conversation.asyncio_detailed,
                as_uuid(conversation_id, "conversation_id"),
                body=body,
                options=options,
            ),
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
        """``listConversations``; see :meth:`Conversations.list_conversations`.

        Raises:
            BadRequestError: An invalid filter or page.
        """
        query = list_query(agent_id, status, sort_by, sort_order)
        return await self._page(
            list_conversations.asyncio_detailed,
            ConversationPage,
            page=page,
            per_page=per_page,
            options=options,
            **query,
        )

    async def list_conversations_for_entity(
        self, *, page: int = 1, per_page: int = 20, **options: Unpack[RequestOptions]
    ) -> AsyncPage[Conversation]:
        """``listConversationsForEntity``; see :meth:`Conversations.list_conversations_for_entity`.

        Raises:
            APIStatusError: A 4xx or 5xx answer.
        """
        return await self._page(
            list_conversations_for_entity.asyncio_detailed,
            ConversationPage,
            page=page,
            per_page=per_page,
            options=options,
        )

    async def list_deleted_conversations(
        self, *, page: int = 1, per_page: int = 20, **options: Unpack[RequestOptions]
    ) -> AsyncPage[Conversation]:
        """``listDeletedConversations``; see :meth:`Conversations.list_deleted_conversations`.

        Raises:
            APIStatusError: A 4xx or 5xx answer.
        """
        return await self._page(
            list_deleted_conversations.asyncio_detailed,
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
        """``listConversationMessages``; see :meth:`Conversations.list_conversation_messages`.

        Raises:
            NotFoundError: No such conversation.
        """
        return await self._page(
            list_conversation_messages.asyncio_detailed,
            MessagePage,
            as_uuid(conversation_id, "conversation_id"),
            page=page,
            per_page=per_page,
            options=options,
        )

    async def delete_conversation(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> None:
        """``deleteConversation``; see :meth:`Conversations.delete_conversation`.

        Raises:
            NotFoundError: No such conversation, or already deleted.
        """
        await self._call(
            delete_conversation.asyncio_detailed,
            as_uuid(conversation_id, "conversation_id"),
            options=options,
        )

    async def restore_conversation(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> Conversation:
        """``restoreConversation``; see :meth:`Conversations.restore_conversation`.

        Raises:
            NotFoundError: No such conversation.
        """
        return typed(
            Conversation,
            await self._call(
                restore_conversation.asyncio_detailed,
                as_uuid(conversation_id, "conversation_id"),
                options=options,
            ),
        )

    async def end_conversation(
        self,
        conversation_id: Id,
        rating: int | None = None,
        feedback: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """``endConversation``; see :meth:`Conversations.end_conversation`.

        Raises:
            NotFoundError: No such conversation.
        """
        return typed(
            Conversation,
            await self._call(
                end_conversation.asyncio_detailed,
                as_uuid(conversation_id, "conversation_id"),
                body=end_body(rating, feedback),
                options=options,
                post=True,
            ),
        )

    async def delete_conversation_messages(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> BulkMessageResult:
        """``deleteConversationMessages``; see :meth:`Conversations.delete_conversation_messages`.

        Raises:
            NotFoundError: No such conversation.
        """
        return typed(
            BulkMessageResult,
            await self._call(
                delete_conversation_messages.asyncio_detailed,
                as_uuid(conversation_id, "conversation_id"),
                options=options,
            ),
        )

    async def restore_all_messages(
        self, conversation_id: Id, **options: Unpack[RequestOptions]
    ) -> BulkMessageResult:
        """``restoreAllMessages``; see :meth:`Conversations.restore_all_messages`.

        Raises:
            NotFoundError: No such conversation.
        """
        return typed(
            BulkMessageResult,
            await self._call(
                restore_all_messages.asyncio_detailed,
                as_uuid(conversation_id, "conversation_id"),
                options=options,
            ),
        )
