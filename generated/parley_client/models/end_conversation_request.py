from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="EndConversationRequest")


@_attrs_define
class EndConversationRequest:
    """An optional overall rating and feedback."""

    rating: int | None | Unset = UNSET
    feedback: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        rating: int | None | Unset
        if isinstance(self.rating, Unset):
            rating = UNSET
        else:
            rating = self.rating

        feedback: None | str | Unset
        if isinstance(self.feedback, Unset):
            feedback = UNSET
        else:
            feedback = self.feedback

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if rating is not UNSET:
            field_dict["rating"] = rating
        if feedback is not UNSET:
            field_dict["feedback"] = feedback

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        rating: int | None | Unset = src_dict.get("rating", UNSET)

        feedback: None | str | Unset = src_dict.get("feedback", UNSET)

        end_conversation_request = cls(
            rating,
            feedback,
        )

        return end_conversation_request
