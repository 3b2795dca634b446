from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.chat_complete_event_event import ChatCompleteEventEvent

T = TypeVar("T", bound="ChatCompleteEvent")


@_attrs_define
class ChatCompleteEvent:
    """`complete`: the stored assistant message, whole."""

    event: ChatCompleteEventEvent
    id: str
    """ The event's position in its stream, from 1, in decimal. """
    data: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event.value

        id = self.id

        data = self.data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "id": id,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        event = ChatCompleteEventEvent(src_dict["event"])

        id = src_dict["id"]

        data = src_dict["data"]

        chat_complete_event = cls(
            event,
            id,
            data,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "event",
                    "id",
                    "data",
                }
            }
            if len(src_dict) > 3
            else {}
        )

        if extra:
            chat_complete_event.additional_properties = extra
        return chat_complete_event

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
