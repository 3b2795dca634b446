from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.qa_conversation_summary import QaConversationSummary


T = TypeVar("T", bound="QaConversationList")


@_attrs_define
class QaConversationList:
    """Every Q&A conversation, most recent first."""

    conversations: list[QaConversationSummary]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conversations = []
        for conversations_item_data in self.conversations:
            conversations_item = conversations_item_data.to_dict()
            conversations.append(conversations_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversations": conversations,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.qa_conversation_summary import QaConversationSummary  # noqa: PLC0415

        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        conversations = []
        _conversations = src_dict["conversations"]
        for conversations_item_data in _conversations:
            conversations_item = QaConversationSummary.from_dict(
                conversations_item_data
            )

            conversations.append(conversations_item)

        qa_conversation_list = cls(
            conversations,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "conversations",
                }
            }
            if len(src_dict) > 1
            else {}
        )

        if extra:
            qa_conversation_list.additional_properties = extra
        return qa_conversation_list

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
