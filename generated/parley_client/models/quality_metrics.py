from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QualityMetrics")


@_attrs_define
class QualityMetrics:
    """Ratings and feedback."""

    satisfaction_rating: float | None
    """ The overall rating given when the conversation was ended. """
    rated_message_count: int
    average_message_rating: float | None
    feedback_count: int
    """ Feedback texts on the conversation and its messages. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        satisfaction_rating: float | None
        satisfaction_rating = self.satisfaction_rating

        rated_message_count = self.rated_message_count

        average_message_rating: float | None
        average_message_rating = self.average_message_rating

        feedback_count = self.feedback_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "satisfaction_rating": satisfaction_rating,
                "rated_message_count": rated_message_count,
                "average_message_rating": average_message_rating,
                "feedback_count": feedback_count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        satisfaction_rating: float | None = src_dict["satisfaction_rating"]

        rated_message_count = src_dict["rated_message_count"]

        average_message_rating: float | None = src_dict["average_message_rating"]

        feedback_count = src_dict["feedback_count"]

        quality_metrics = cls(
            satisfaction_rating,
            rated_message_count,
            average_message_rating,
            feedback_count,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "satisfaction_rating",
                    "rated_message_count",
                    "average_message_rating",
                    "feedback_count",
                }
            }
            if len(src_dict) > 4
            else {}
        )

        if extra:
            quality_metrics.additional_properties = extra
        return quality_metrics

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
