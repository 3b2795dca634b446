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
        d = dict(src_dict)
        user_message_id = parse_uuid(d.pop("user_message_id"))

        user_message = d.pop("user_message")

        assistant_message_id = parse_uuid(d.pop("assistant_message_id"))

        assistant_response = d.pop("assistant_response")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        chat_turn = cls(
            user_message_id,
            user_message,
            assistant_message_id,
            assistant_response,
            created_at,
        )

        chat_turn.additional_properties = d
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
