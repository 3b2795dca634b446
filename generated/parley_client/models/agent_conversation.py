from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.agent_message import AgentMessage


T = TypeVar("T", bound="AgentConversation")


@_attrs_define
class AgentConversation:
    """A conversation with an agent and all its messages, oldest first."""

    id: str
    agent_key: str
    title: str
    """ The first query, shortened. """
    record_ids: list[str]
    departments: list[str]
    model_key: None | str
    model_name: None | str
    chat_mode: None | str
    messages: list[AgentMessage]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        agent_key = self.agent_key

        title = self.title

        record_ids = self.record_ids

        departments = self.departments

        model_key: None | str
        model_key = self.model_key

        model_name: None | str
        model_name = self.model_name

        chat_mode: None | str
        chat_mode = self.chat_mode

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "agentKey": agent_key,
                "title": title,
                "recordIds": record_ids,
                "departments": departments,
                "modelKey": model_key,
                "modelName": model_name,
                "chatMode": chat_mode,
                "messages": messages,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_message import AgentMessage  # noqa: PLC0415

        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        id = src_dict["id"]

        agent_key = src_dict["agentKey"]

        title = src_dict["title"]

        record_ids = cast(list[str], src_dict["recordIds"])

        departments = cast(list[str], src_dict["departments"])

        model_key: None | str = src_dict["modelKey"]

        model_name: None | str = src_dict["modelName"]

        chat_mode: None | str = src_dict["chatMode"]

        messages = []
        _messages = src_dict["messages"]
        for messages_item_data in _messages:
            messages_item = AgentMessage.from_dict(messages_item_data)

            messages.append(messages_item)

        created_at = datetime.datetime.fromisoformat(src_dict["createdAt"])

        updated_at = datetime.datetime.fromisoformat(src_dict["updatedAt"])

        agent_conversation = cls(
            id,
            agent_key,
            title,
            record_ids,
            departments,
            model_key,
            model_name,
            chat_mode,
            messages,
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
                    "agentKey",
                    "title",
                    "recordIds",
                    "departments",
                    "modelKey",
                    "modelName",
                    "chatMode",
                    "messages",
                    "createdAt",
                    "updatedAt",
                }
            }
            if len(src_dict) > 11
            else {}
        )

        if extra:
            agent_conversation.additional_properties = extra
        return agent_conversation

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
