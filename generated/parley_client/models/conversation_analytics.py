from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import parse_uuid

if TYPE_CHECKING:
    from ..models.conversation_flow import ConversationFlow
    from ..models.message_statistics import MessageStatistics
    from ..models.quality_metrics import QualityMetrics


T = TypeVar("T", bound="ConversationAnalytics")


@_attrs_define
class ConversationAnalytics:
    """Analytics of one conversation, computed from its stored data."""

    conversation_id: UUID
    message_statistics: MessageStatistics
    """ Message counts by role. """
    conversation_flow: ConversationFlow
    """ When the conversation started, last moved and ended. """
    quality_metrics: QualityMetrics
    """ Ratings and feedback. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conversation_id = str(self.conversation_id)

        message_statistics = self.message_statistics.to_dict()

        conversation_flow = self.conversation_flow.to_dict()

        quality_metrics = self.quality_metrics.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversation_id": conversation_id,
                "message_statistics": message_statistics,
                "conversation_flow": conversation_flow,
                "quality_metrics": quality_metrics,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conversation_flow import ConversationFlow  # noqa: PLC0415
        from ..models.message_statistics import MessageStatistics  # noqa: PLC0415
        from ..models.quality_metrics import QualityMetrics  # noqa: PLC0415

        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        conversation_id = parse_uuid(src_dict["conversation_id"])

        message_statistics = MessageStatistics.from_dict(src_dict["message_statistics"])

        conversation_flow = ConversationFlow.from_dict(src_dict["conversation_flow"])

        quality_metrics = QualityMetrics.from_dict(src_dict["quality_metrics"])

        conversation_analytics = cls(
            conversation_id,
            message_statistics,
            conversation_flow,
            quality_metrics,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "conversation_id",
                    "message_statistics",
                    "conversation_flow",
                    "quality_metrics",
                }
            }
            if len(src_dict) > 4
            else {}
        )

        if extra:
            conversation_analytics.additional_properties = extra
        return conversation_analytics

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
