from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import parse_uuid

if TYPE_CHECKING:
    from ..models.chat_turn import ChatTurn
    from ..models.message import Message


T = TypeVar("T", bound="ChatResponse")


@_attrs_define
class ChatResponse:
    """The result of `sendMessage`: the agent's reply, the stored user message, and the most
    recent turns of the conversation (at most `max_context_length`), oldest first, the last
    one being this exchange.

    """

    conversation_id: UUID
    message: Message
    """ One message of a conversation. """
    user_message: Message
    """ One message of a conversation. """
    history: list[ChatTurn]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conversation_id = str(self.conversation_id)

        message = self.message.to_dict()

        user_message = self.user_message.to_dict()

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversation_id": conversation_id,
                "message": message,
                "user_message": user_message,
                "history": history,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_turn import ChatTurn  # noqa: PLC0415
        from ..models.message import Message  # noqa: PLC0415

        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        conversation_id = parse_uuid(src_dict["conversation_id"])

        message = Message.from_dict(src_dict["message"])

        user_message = Message.from_dict(src_dict["user_message"])

        history = []
        _history = src_dict["history"]
        for history_item_data in _history:
            history_item = ChatTurn.from_dict(history_item_data)

            history.append(history_item)

        chat_response = cls(
            conversation_id,
            message,
            user_message,
            history,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "conversation_id",
                    "message",
                    "user_message",
                    "history",
                }
            }
            if len(src_dict) > 4
            else {}
        )

        if extra:
            chat_response.additional_properties = extra
        return chat_response

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
