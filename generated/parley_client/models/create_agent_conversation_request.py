from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.filters import Filters


T = TypeVar("T", bound="CreateAgentConversationRequest")


@_attrs_define
class CreateAgentConversationRequest:
    """The first query of a new agent conversation."""

    query: str
    """ The user's question or prompt to start the conversation. """
    record_ids: list[str] | Unset = UNSET
    """ Limit the AI's knowledge scope to these records. """
    departments: list[str] | Unset = UNSET
    """ Department ids to scope the search. """
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

        record_ids: list[str] | Unset = UNSET
        if not isinstance(self.record_ids, Unset):
            record_ids = self.record_ids

        departments: list[str] | Unset = UNSET
        if not isinstance(self.departments, Unset):
            departments = self.departments

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
        if record_ids is not UNSET:
            field_dict["recordIds"] = record_ids
        if departments is not UNSET:
            field_dict["departments"] = departments
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

        record_ids = cast(list[str], src_dict.get("recordIds", UNSET))

        departments = cast(list[str], src_dict.get("departments", UNSET))

        _filters = src_dict.get("filters", UNSET)
        filters: Filters | Unset
        if isinstance(_filters, Unset):
            filters = UNSET
        else:
            filters = Filters.from_dict(_filters)

        model_key = src_dict.get("modelKey", UNSET)

        model_name = src_dict.get("modelName", UNSET)

        chat_mode = src_dict.get("chatMode", UNSET)

        create_agent_conversation_request = cls(
            query,
            record_ids,
            departments,
            filters,
            model_key,
            model_name,
            chat_mode,
        )

        return create_agent_conversation_request
