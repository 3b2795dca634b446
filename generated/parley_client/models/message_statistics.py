from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MessageStatistics")


@_attrs_define
class MessageStatistics:
    """Message counts by role."""

    total_messages: int
    """ Messages that are not soft-deleted. """
    user_message_count: int
    agent_message_count: int
    deleted_message_count: int
    average_message_length: float
    """ Mean length of the messages that are not soft-deleted, in characters. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total_messages = self.total_messages

        user_message_count = self.user_message_count

        agent_message_count = self.agent_message_count

        deleted_message_count = self.deleted_message_count

        average_message_length = self.average_message_length

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total_messages": total_messages,
                "user_message_count": user_message_count,
                "agent_message_count": agent_message_count,
                "deleted_message_count": deleted_message_count,
                "average_message_length": average_message_length,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        total_messages = src_dict["total_messages"]

        user_message_count = src_dict["user_message_count"]

        agent_message_count = src_dict["agent_message_count"]

        deleted_message_count = src_dict["deleted_message_count"]

        average_message_length = src_dict["average_message_length"]

        message_statistics = cls(
            total_messages,
            user_message_count,
            agent_message_count,
            deleted_message_count,
            average_message_length,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "total_messages",
                    "user_message_count",
                    "agent_message_count",
                    "deleted_message_count",
                    "average_message_length",
                }
            }
            if len(src_dict) > 5
            else {}
        )

        if extra:
            message_statistics.additional_properties = extra
        return message_statistics

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
