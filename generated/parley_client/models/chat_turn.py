from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import parse_uuid

T = TypeVar("T", bound="ChatTurn")


@_attrs_define
class ChatTurn:
    """One exchange of a conversation, a user message and the agent's response."""

    user_message_id: UUID
    user_message: str
    assistant_message_id: UUID
    assistant_response: str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user_message_id = str(self.user_message_id)

        user_message = self.user_message

        assistant_message_id = str(self.assistant_message_id)

        assistant_response = self.assistant_response

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "user_message_id": user_message_id,
                "user_message": user_message,
                "assistant_message_id": assistant_message_id,
                "assistant_response": assistant_response,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        user_message_id = parse_uuid(src_dict["user_message_id"])

        user_message = src_dict["user_message"]

        assistant_message_id = parse_uuid(src_dict["assistant_message_id"])

        assistant_response = src_dict["assistant_response"]

        created_at = datetime.datetime.fromisoformat(src_dict["created_at"])

        chat_turn = cls(
            user_message_id,
            user_message,
            assistant_message_id,
            assistant_response,
            created_at,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "user_message_id",
                    "user_message",
                    "assistant_message_id",
                    "assistant_response",
                    "created_at",
                }
            }
            if len(src_dict) > 5
            else {}
        )

        if extra:
            chat_turn.additional_properties = extra
        return chat_turn

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
