from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Filters")


@_attrs_define
class Filters:
    """Narrows the knowledge the agent searches."""

    apps: list[str] | Unset = UNSET
    """ Connector apps to search. """
    kb: list[str] | Unset = UNSET
    """ Knowledge base ids to search. """

    def to_dict(self) -> dict[str, Any]:
        apps: list[str] | Unset = UNSET
        if not isinstance(self.apps, Unset):
            apps = self.apps

        kb: list[str] | Unset = UNSET
        if not isinstance(self.kb, Unset):
            kb = self.kb

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if apps is not UNSET:
            field_dict["apps"] = apps
        if kb is not UNSET:
            field_dict["kb"] = kb

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        apps = cast(list[str], src_dict.get("apps", UNSET))

        kb = cast(list[str], src_dict.get("kb", UNSET))

        filters = cls(
            apps,
            kb,
        )

        return filters
