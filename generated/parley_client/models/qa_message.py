from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import parse_own_uuid

if TYPE_CHECKING:
    from ..models.qa_source import QaSource


T = TypeVar("T", bound="QaMessage")


@_attrs_define
class QaMessage:
    """One question and its answer."""

    id: UUID
    question: str
    answer: str
    sources: list[QaSource]
    timestamp: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        question = self.question

        answer = self.answer

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        timestamp = self.timestamp.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "question": question,
                "answer": answer,
                "sources": sources,
                "timestamp": timestamp,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.qa_source import QaSource  # noqa: PLC0415

        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        id = parse_own_uuid(src_dict["id"])

        question = src_dict["question"]

        answer = src_dict["answer"]

        sources = []
        _sources = src_dict["sources"]
        for sources_item_data in _sources:
            sources_item = QaSource.from_dict(sources_item_data)

            sources.append(sources_item)

        timestamp = datetime.datetime.fromisoformat(src_dict["timestamp"])

        qa_message = cls(
            id,
            question,
            answer,
            sources,
            timestamp,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "id",
                    "question",
                    "answer",
                    "sources",
                    "timestamp",
                }
            }
            if len(src_dict) > 5
            else {}
        )

        if extra:
            qa_message.additional_properties = extra
        return qa_message

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
