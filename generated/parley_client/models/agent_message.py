from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agent_message_type import AgentMessageType

T = TypeVar("T", bound="AgentMessage")


@_attrs_define
class AgentMessage:
    """One message of an agent conversation."""

    id: str
    message_type: AgentMessageType | str
    """ Who wrote an agent conversation message. """
    content: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    """ Later than `createdAt` once a bot response was regenerated. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        message_type = str(self.message_type)

        content = self.content

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "messageType": message_type,
                "content": content,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        id = src_dict["id"]

        _message_type = src_dict["messageType"]
        message_type: AgentMessageType | str
        if isinstance(_message_type, str):
            message_type = AgentMessageType._value2member_map_.get(
                _message_type, _message_type
            )
        else:
            message_type = AgentMessageType(_message_type)

        content = src_dict["content"]

        created_at = datetime.datetime.fromisoformat(src_dict["createdAt"])

        updated_at = datetime.datetime.fromisoformat(src_dict["updatedAt"])

        agent_message = cls(
            id,
            message_type,
            content,
            created_at,
            updated_at,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "id",
                    "messageType",
                    "content",
                    "createdAt",
                    "updatedAt",
                }
            }
            if len(src_dict) > 5
            else {}
        )

        if extra:
            agent_message.additional_properties = extra
        return agent_message

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
