from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.message import Message


T = TypeVar("T", bound="MessagePage")


@_attrs_define
class MessagePage:
    """One page of messages."""

    items: list[Message]
    page: int
    """ The page number, from 1. """
    per_page: int
    """ The requested page size. """
    total: int
    """ How many items there are across all pages. """
    pages: int
    """ How many pages there are (0 when there are no items). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        page = self.page

        per_page = self.per_page

        total = self.total

        pages = self.pages

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "page": page,
                "per_page": per_page,
                "total": total,
                "pages": pages,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.message import Message  # noqa: PLC0415

        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        items = []
        _items = src_dict["items"]
        for items_item_data in _items:
            items_item = Message.from_dict(items_item_data)

            items.append(items_item)

        page = src_dict["page"]

        per_page = src_dict["per_page"]

        total = src_dict["total"]

        pages = src_dict["pages"]

        message_page = cls(
            items,
            page,
            per_page,
            total,
            pages,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "items",
                    "page",
                    "per_page",
                    "total",
                    "pages",
                }
            }
            if len(src_dict) > 5
            else {}
        )

        if extra:
            message_page.additional_properties = extra
        return message_page

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
