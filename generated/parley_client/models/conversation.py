from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.conversation_status import ConversationStatus
from ..models.entity_type import EntityType
from ..types import parse_own_uuid, parse_uuid

if TYPE_CHECKING:
    from ..models.metadata import Metadata


T = TypeVar("T", bound="Conversation")


@_attrs_define
class Conversation:
    """A multi-turn exchange between an entity (user or lead) and an agent."""

    id: UUID
    agent_id: UUID
    entity_type: EntityType | str
    """ Who a conversation belongs to, a general user or a tracked prospect. """
    entity_id: str
    """ The id of the user or lead that owns the conversation. """
    title: None | str
    metadata: Metadata
    """ Arbitrary JSON for custom tags or CRM identifiers. """
    status: ConversationStatus | str
    """ A conversation's lifecycle state. """
    max_context_length: int
    """ At most this many previous messages are given to the agent. """
    message_count: int
    """ How many messages the conversation holds, soft-deleted ones left out. """
    rating: int | None
    """ The overall rating given when the conversation was ended. """
    feedback: None | str
    """ The overall feedback given when the conversation was ended. """
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    deleted_at: datetime.datetime | None
    """ When the conversation was soft-deleted; null when it is not. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        agent_id = str(self.agent_id)

        entity_type = str(self.entity_type)

        entity_id = self.entity_id

        title: None | str
        title = self.title

        metadata = self.metadata.to_dict()

        status = str(self.status)

        max_context_length = self.max_context_length

        message_count = self.message_count

        rating: int | None
        rating = self.rating

        feedback: None | str
        feedback = self.feedback

        started_at = self.started_at.isoformat()

        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        deleted_at: None | str
        if isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "agent_id": agent_id,
                "entity_type": entity_type,
                "entity_id": entity_id,
                "title": title,
                "metadata": metadata,
                "status": status,
                "max_context_length": max_context_length,
                "message_count": message_count,
                "rating": rating,
                "feedback": feedback,
                "started_at": started_at,
                "ended_at": ended_at,
                "created_at": created_at,
                "updated_at": updated_at,
                "deleted_at": deleted_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.metadata import Metadata  # noqa: PLC0415

        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        id = parse_own_uuid(src_dict["id"])

        agent_id = parse_uuid(src_dict["agent_id"])

        _entity_type = src_dict["entity_type"]
        entity_type: EntityType | str
        if isinstance(_entity_type, str):
            entity_type = EntityType._value2member_map_.get(_entity_type, _entity_type)
        else:
            entity_type = EntityType(_entity_type)

        entity_id = src_dict["entity_id"]

        title: None | str = src_dict["title"]

        metadata = Metadata.from_dict(src_dict["metadata"])

        _status = src_dict["status"]
        status: ConversationStatus | str
        if isinstance(_status, str):
            status = ConversationStatus._value2member_map_.get(_status, _status)
        else:
            status = ConversationStatus(_status)

        max_context_length = src_dict["max_context_length"]

        message_count = src_dict["message_count"]

        rating: int | None = src_dict["rating"]

        feedback: None | str = src_dict["feedback"]

        started_at = datetime.datetime.fromisoformat(src_dict["started_at"])

        _ended_at = src_dict["ended_at"]
        ended_at: datetime.datetime | None
        if isinstance(_ended_at, str):
            try:
                ended_at = datetime.datetime.fromisoformat(_ended_at)
            except (TypeError, ValueError, AttributeError, KeyError):
                ended_at = _ended_at
        else:
            ended_at = _ended_at

        created_at = datetime.datetime.fromisoformat(src_dict["created_at"])

        updated_at = datetime.datetime.fromisoformat(src_dict["updated_at"])

        _deleted_at = src_dict["deleted_at"]
        deleted_at: datetime.datetime | None
        if isinstance(_deleted_at, str):
            try:
                deleted_at = datetime.datetime.fromisoformat(_deleted_at)
            except (TypeError, ValueError, AttributeError, KeyError):
                deleted_at = _deleted_at
        else:
            deleted_at = _deleted_at

        conversation = cls(
            id,
            agent_id,
            entity_type,
            entity_id,
            title,
            metadata,
            status,
            max_context_length,
            message_count,
            rating,
            feedback,
            started_at,
            ended_at,
            created_at,
            updated_at,
            deleted_at,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "id",
                    "agent_id",
                    "entity_type",
                    "entity_id",
                    "title",
                    "metadata",
                    "status",
                    "max_context_length",
                    "message_count",
                    "rating",
                    "feedback",
                    "started_at",
                    "ended_at",
                    "created_at",
                    "updated_at",
                    "deleted_at",
                }
            }
            if len(src_dict) > 16
            else {}
        )

        if extra:
            conversation.additional_properties = extra
        return conversation

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
