from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import parse_own_uuid

T = TypeVar("T", bound="Agent")


@_attrs_define
class Agent:
    """An agent that conversations talk to."""

    id: UUID
    name: str
    description: None | str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        description: None | str
        description = self.description

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "description": description,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        id = parse_own_uuid(src_dict["id"])

        name = src_dict["name"]

        description: None | str = src_dict["description"]

        created_at = datetime.datetime.fromisoformat(src_dict["created_at"])

        agent = cls(
            id,
            name,
            description,
            created_at,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "id",
                    "name",
                    "description",
                    "created_at",
                }
            }
            if len(src_dict) > 4
            else {}
        )

        if extra:
            agent.additional_properties = extra
        return agent

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
