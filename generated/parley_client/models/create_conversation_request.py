from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.entity_type import EntityType
from ..types import UNSET, Unset, parse_uuid

if TYPE_CHECKING:
    from ..models.metadata import Metadata


T = TypeVar("T", bound="CreateConversationRequest")


@_attrs_define
class CreateConversationRequest:
    """The conversation to start."""

    agent_id: UUID
    title: None | str | Unset = UNSET
    metadata: Metadata | Unset = UNSET
    """ Arbitrary JSON for custom tags or CRM identifiers. """
    max_context_length: int | Unset = UNSET
    """ How many previous messages the agent is given at most; 20 when absent. """
    entity_type: EntityType | Unset = UNSET
    """ Who a conversation belongs to, a general user or a tracked prospect. """

    def to_dict(self) -> dict[str, Any]:
        agent_id = str(self.agent_id)

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        max_context_length = self.max_context_length

        entity_type: str | Unset = UNSET
        if not isinstance(self.entity_type, Unset):
            entity_type = self.entity_type.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "agent_id": agent_id,
            }
        )
        if title is not UNSET:
            field_dict["title"] = title
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if max_context_length is not UNSET:
            field_dict["max_context_length"] = max_context_length
        if entity_type is not UNSET:
            field_dict["entity_type"] = entity_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.metadata import Metadata  # noqa: PLC0415

        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        agent_id = parse_uuid(src_dict["agent_id"])

        title: None | str | Unset = src_dict.get("title", UNSET)

        _metadata = src_dict.get("metadata", UNSET)
        metadata: Metadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = Metadata.from_dict(_metadata)

        max_context_length = src_dict.get("max_context_length", UNSET)

        _entity_type = src_dict.get("entity_type", UNSET)
        entity_type: EntityType | Unset
        if isinstance(_entity_type, Unset):
            entity_type = UNSET
        else:
            entity_type = EntityType(_entity_type)

        create_conversation_request = cls(
            agent_id,
            title,
            metadata,
            max_context_length,
            entity_type,
        )

        return create_conversation_request
