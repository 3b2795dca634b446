"""Request bodies and queries built from keyword arguments, shared by sync and async resources.

Each builder turns Python arguments into the generated request model. A field the contract
lets be ``null`` takes :data:`NOT_GIVEN` for "leave out" and sends ``None`` as ``null``; any
other optional field is left out when ``None``.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from parley_client.models import (
    AddAgentMessageRequest,
    ConversationSortField,
    ConversationStatus,
    CreateAgentConversationRequest,
    CreateAgentRequest,
    CreateConversationRequest,
    EndConversationRequest,
    EntityType,
    Filters,
    Metadata,
    QaChatRequest,
    RateMessageRequest,
    RegenerateAgentAnswerRequest,
    SortOrder,
    UpdateConversationRequest,
)

from ._not_given import NotGiven, given
from ._shared import as_uuid, opt, opt_enum, opt_filters, opt_metadata, opt_uuid

Id = str | UUID
MetadataArg = Mapping[str, Any] | Metadata | None
FiltersArg = Mapping[str, Any] | Filters | None


def create_body(
    agent_id: Id,
    title: str | NotGiven | None,
    metadata: MetadataArg,
    max_context_length: int | None,
    entity_type: EntityType | str | None,
) -> CreateConversationRequest:
    return CreateConversationRequest(
        agent_id=as_uuid(agent_id, "agent_id"),
        title=given(title),
        metadata=opt_metadata(metadata),
        max_context_length=opt(max_context_length),
        entity_type=opt_enum(EntityType, entity_type),
    )


def update_body(
    title: str | NotGiven | None, metadata: MetadataArg, status: ConversationStatus | str | None
) -> UpdateConversationRequest:
    return UpdateConversationRequest(
        title=given(title),
        metadata=opt_metadata(metadata),
        status=opt_enum(ConversationStatus, status),
    )


def list_query(
    agent_id: Id | None,
    status: ConversationStatus | str | None,
    sort_by: ConversationSortField | str | None,
    sort_order: SortOrder | str | None,
) -> dict[str, Any]:
    return {
        "agent_id": opt_uuid(agent_id, "agent_id"),
        "status": opt_enum(ConversationStatus, status),
        "sort_by": opt_enum(ConversationSortField, sort_by),
        "sort_order": opt_enum(SortOrder, sort_order),
    }


def end_body(
    rating: int | NotGiven | None, feedback: str | NotGiven | None
) -> EndConversationRequest:
    return EndConversationRequest(rating=given(rating), feedback=given(feedback))


def rate_body(rating: int, feedback: str | NotGiven | None) -> RateMessageRequest:
    return RateMessageRequest(rating=rating, feedback=given(feedback))


def agent_body(name: str, description: str | NotGiven | None) -> CreateAgentRequest:
    return CreateAgentRequest(name=name, description=given(description))


def qa_body(question: str, conversation_id: Id | NotGiven | None) -> QaChatRequest:
    if conversation_id is None or isinstance(conversation_id, NotGiven):
        return QaChatRequest(question=question, conversation_id=given(conversation_id))
    return QaChatRequest(
        question=question, conversation_id=as_uuid(conversation_id, "conversation_id")
    )


def opt_list(values: Sequence[str] | None) -> builtins.list[str] | Any:
    """A list field; None is left out of the request."""
    return opt(None if values is None else builtins.list(values))


def agent_create_body(
    query: str,
    record_ids: Sequence[str] | None = None,
    departments: Sequence[str] | None = None,
    filters: FiltersArg = None,
    model_key: str | None = None,
    model_name: str | None = None,
    chat_mode: str | None = None,
) -> CreateAgentConversationRequest:
    """The body of createAgentConversation and streamAgentConversation."""
    return CreateAgentConversationRequest(
        query=query,
        record_ids=opt_list(record_ids),
        departments=opt_list(departments),
        filters=opt_filters(filters),
        model_key=opt(model_key),
        model_name=opt(model_name),
        chat_mode=opt(chat_mode),
    )


def message_body(
    query: str,
    filters: FiltersArg = None,
    model_key: str | None = None,
    model_name: str | None = None,
    chat_mode: str | None = None,
) -> AddAgentMessageRequest:
    """The body of addAgentMessage and streamAgentMessage."""
    return AddAgentMessageRequest(
        query=query,
        filters=opt_filters(filters),
        model_key=opt(model_key),
        model_name=opt(model_name),
        chat_mode=opt(chat_mode),
    )


def regenerate_body(
    filters: FiltersArg = None, model_key: str | None = None, chat_mode: str | None = None
) -> RegenerateAgentAnswerRequest:
    """The body of regenerateAgentAnswer."""
    return RegenerateAgentAnswerRequest(
        filters=opt_filters(filters), model_key=opt(model_key), chat_mode=opt(chat_mode)
    )
