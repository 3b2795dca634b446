from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import parse_own_uuid

T = TypeVar("T", bound="QaConversationSummary")


@_attrs_define
class QaConversationSummary:
    """A Q&A conversation, without its messages."""

    id: UUID
    title: str
    timestamp: datetime.datetime
    """ When the last message was added. """
    message_count: int
    """ Questions and answers, counted separately (one exchange is 2). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        title = self.title

        timestamp = self.timestamp.isoformat()

        message_count = self.message_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "title": title,
                "timestamp": timestamp,
                "message_count": message_count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        id = parse_own_uuid(src_dict["id"])

        title = src_dict["title"]

        timestamp = datetime.datetime.fromisoformat(src_dict["timestamp"])

        message_count = src_dict["message_count"]

        qa_conversation_summary = cls(
            id,
            title,
            timestamp,
            message_count,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "id",
                    "title",
                    "timestamp",
                    "message_count",
                }
            }
            if len(src_dict) > 4
            else {}
        )

        if extra:
            qa_conversation_summary.additional_properties = extra
        return qa_conversation_summary

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
