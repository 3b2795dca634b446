from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import parse_uuid

T = TypeVar("T", bound="ChatStreamStart")


@_attrs_define
class ChatStreamStart:
    """The start of a `sendMessage` stream."""

    conversation_id: UUID
    user_message_id: UUID
    message_id: UUID
    """ The id the assistant message will have. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conversation_id = str(self.conversation_id)

        user_message_id = str(self.user_message_id)

        message_id = str(self.message_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversation_id": conversation_id,
                "user_message_id": user_message_id,
                "message_id": message_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        conversation_id = parse_uuid(src_dict["conversation_id"])

        user_message_id = parse_uuid(src_dict["user_message_id"])

        message_id = parse_uuid(src_dict["message_id"])

        chat_stream_start = cls(
            conversation_id,
            user_message_id,
            message_id,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "conversation_id",
                    "user_message_id",
                    "message_id",
                }
            }
            if len(src_dict) > 3
            else {}
        )

        if extra:
            chat_stream_start.additional_properties = extra
        return chat_stream_start

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
