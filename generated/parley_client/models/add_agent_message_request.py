from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.filters import Filters


T = TypeVar("T", bound="AddAgentMessageRequest")


@_attrs_define
class AddAgentMessageRequest:
    """A follow-up query."""

    query: str
    """ The follow-up question or message content. """
    filters: Filters | Unset = UNSET
    """ Narrows the knowledge the agent searches. """
    model_key: str | Unset = UNSET
    """ Identifier for the AI model configuration to use. Available models depend on
    organization settings.
     """
    model_name: str | Unset = UNSET
    """ Display name of the AI model. """
    chat_mode: str | Unset = UNSET
    """ Chat mode affecting response behavior, such as `balanced`. """

    def to_dict(self) -> dict[str, Any]:
        query = self.query

        filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = self.filters.to_dict()

        model_key = self.model_key

        model_name = self.model_name

        chat_mode = self.chat_mode

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "query": query,
            }
        )
        if filters is not UNSET:
            field_dict["filters"] = filters
        if model_key is not UNSET:
            field_dict["modelKey"] = model_key
        if model_name is not UNSET:
            field_dict["modelName"] = model_name
        if chat_mode is not UNSET:
            field_dict["chatMode"] = chat_mode

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.filters import Filters  # noqa: PLC0415

        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        query = src_dict["query"]

        _filters = src_dict.get("filters", UNSET)
        filters: Filters | Unset
        if isinstance(_filters, Unset):
            filters = UNSET
        else:
            filters = Filters.from_dict(_filters)

        model_key = src_dict.get("modelKey", UNSET)

        model_name = src_dict.get("modelName", UNSET)

        chat_mode = src_dict.get("chatMode", UNSET)

        add_agent_message_request = cls(
            query,
            filters,
            model_key,
            model_name,
            chat_mode,
        )

        return add_agent_message_request
