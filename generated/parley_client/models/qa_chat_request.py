from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset, parse_uuid

T = TypeVar("T", bound="QaChatRequest")


@_attrs_define
class QaChatRequest:
    """A question, optionally a follow-up in an existing conversation."""

    question: str
    conversation_id: None | Unset | UUID = UNSET
    """ The conversation to continue; a new one is created when absent or null. """

    def to_dict(self) -> dict[str, Any]:
        question = self.question

        conversation_id: None | str | Unset
        if isinstance(self.conversation_id, Unset):
            conversation_id = UNSET
        elif isinstance(self.conversation_id, UUID):
            conversation_id = str(self.conversation_id)
        else:
            conversation_id = self.conversation_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "question": question,
            }
        )
        if conversation_id is not UNSET:
            field_dict["conversation_id"] = conversation_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        question = src_dict["question"]

        _conversation_id = src_dict.get("conversation_id", UNSET)
        conversation_id: None | Unset | UUID
        if isinstance(_conversation_id, str):
            try:
                conversation_id = parse_uuid(_conversation_id)
            except (TypeError, ValueError, AttributeError, KeyError):
                conversation_id = _conversation_id
        else:
            conversation_id = _conversation_id

        qa_chat_request = cls(
            question,
            conversation_id,
        )

        return qa_chat_request
