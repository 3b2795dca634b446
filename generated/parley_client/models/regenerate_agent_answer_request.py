from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.filters import Filters


T = TypeVar("T", bound="RegenerateAgentAnswerRequest")


@_attrs_define
class RegenerateAgentAnswerRequest:
    """Optional model settings for the new answer."""

    filters: Filters | Unset = UNSET
    """ Narrows the knowledge the agent searches. """
    model_key: str | Unset = UNSET
    """ Identifier for the AI model configuration to use. Available models depend on
    organization settings.
     """
    chat_mode: str | Unset = UNSET
    """ Chat mode affecting response behavior, such as `balanced`. """

    def to_dict(self) -> dict[str, Any]:
        filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = self.filters.to_dict()

        model_key = self.model_key

        chat_mode = self.chat_mode

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if filters is not UNSET:
            field_dict["filters"] = filters
        if model_key is not UNSET:
            field_dict["modelKey"] = model_key
        if chat_mode is not UNSET:
            field_dict["chatMode"] = chat_mode

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.filters import Filters  # noqa: PLC0415

        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        _filters = src_dict.get("filters", UNSET)
        filters: Filters | Unset
        if isinstance(_filters, Unset):
            filters = UNSET
        else:
            filters = Filters.from_dict(_filters)

        model_key = src_dict.get("modelKey", UNSET)

        chat_mode = src_dict.get("chatMode", UNSET)

        regenerate_agent_answer_request = cls(
            filters,
            model_key,
            chat_mode,
        )

        return regenerate_agent_answer_request
