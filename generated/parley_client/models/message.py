from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.message_role import MessageRole
from ..types import parse_own_uuid, parse_uuid

T = TypeVar("T", bound="Message")


@_attrs_define
class Message:
    """One message of a conversation."""

    id: UUID
    conversation_id: UUID
    role: MessageRole | str
    """ Who wrote a message. """
    content: str
    rating: int | None
    feedback: None | str
    created_at: datetime.datetime
    deleted_at: datetime.datetime | None
    """ When the message was soft-deleted; null when it is not. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        conversation_id = str(self.conversation_id)

        role = str(self.role)

        content = self.content

        rating: int | None
        rating = self.rating

        feedback: None | str
        feedback = self.feedback

        created_at = self.created_at.isoformat()

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
                "conversation_id": conversation_id,
                "role": role,
                "content": content,
                "rating": rating,
                "feedback": feedback,
                "created_at": created_at,
                "deleted_at": deleted_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        id = parse_own_uuid(src_dict["id"])

        conversation_id = parse_uuid(src_dict["conversation_id"])

        _role = src_dict["role"]
        role: MessageRole | str
        if isinstance(_role, str):
            role = MessageRole._value2member_map_.get(_role, _role)
        else:
            role = MessageRole(_role)

        content = src_dict["content"]

        rating: int | None = src_dict["rating"]

        feedback: None | str = src_dict["feedback"]

        created_at = datetime.datetime.fromisoformat(src_dict["created_at"])

        _deleted_at = src_dict["deleted_at"]
        deleted_at: datetime.datetime | None
        if isinstance(_deleted_at, str):
            try:
                deleted_at = datetime.datetime.fromisoformat(_deleted_at)
            except (TypeError, ValueError, AttributeError, KeyError):
                deleted_at = _deleted_at
        else:
            deleted_at = _deleted_at

        message = cls(
            id,
            conversation_id,
            role,
            content,
            rating,
            feedback,
            created_at,
            deleted_at,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "id",
                    "conversation_id",
                    "role",
                    "content",
                    "rating",
                    "feedback",
                    "created_at",
                    "deleted_at",
                }
            }
            if len(src_dict) > 8
            else {}
        )

        if extra:
            message.additional_properties = extra
        return message

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
