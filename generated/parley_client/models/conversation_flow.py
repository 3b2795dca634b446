from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.conversation_status import ConversationStatus

T = TypeVar("T", bound="ConversationFlow")


@_attrs_define
class ConversationFlow:
    """When the conversation started, last moved and ended."""

    status: ConversationStatus | str
    """ A conversation's lifecycle state. """
    started_at: datetime.datetime
    last_message_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    duration_minutes: float
    """ From start to end, or to the last message while the conversation is open, in minutes. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = str(self.status)

        started_at = self.started_at.isoformat()

        last_message_at: None | str
        if isinstance(self.last_message_at, datetime.datetime):
            last_message_at = self.last_message_at.isoformat()
        else:
            last_message_at = self.last_message_at

        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        duration_minutes = self.duration_minutes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "started_at": started_at,
                "last_message_at": last_message_at,
                "ended_at": ended_at,
                "duration_minutes": duration_minutes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        _status = src_dict["status"]
        status: ConversationStatus | str
        if isinstance(_status, str):
            status = ConversationStatus._value2member_map_.get(_status, _status)
        else:
            status = ConversationStatus(_status)

        started_at = datetime.datetime.fromisoformat(src_dict["started_at"])

        _last_message_at = src_dict["last_message_at"]
        last_message_at: datetime.datetime | None
        if isinstance(_last_message_at, str):
            try:
                last_message_at = datetime.datetime.fromisoformat(_last_message_at)
            except (TypeError, ValueError, AttributeError, KeyError):
                last_message_at = _last_message_at
        else:
            last_message_at = _last_message_at

        _ended_at = src_dict["ended_at"]
        ended_at: datetime.datetime | None
        if isinstance(_ended_at, str):
            try:
                ended_at = datetime.datetime.fromisoformat(_ended_at)
            except (TypeError, ValueError, AttributeError, KeyError):
                ended_at = _ended_at
        else:
            ended_at = _ended_at

        duration_minutes = src_dict["duration_minutes"]

        conversation_flow = cls(
            status,
            started_at,
            last_message_at,
            ended_at,
            duration_minutes,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "status",
                    "started_at",
                    "last_message_at",
                    "ended_at",
                    "duration_minutes",
                }
            }
            if len(src_dict) > 5
            else {}
        )

        if extra:
            conversation_flow.additional_properties = extra
        return conversation_flow

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
