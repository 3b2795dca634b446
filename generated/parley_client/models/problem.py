from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_problem import FieldProblem


T = TypeVar("T", bound="Problem")


@_attrs_define
class Problem:
    """An RFC 9457 Problem Details document."""

    title: str
    """ A short summary of the problem type. """
    status: int
    """ The HTTP status code. """
    type_: str = "about:blank"
    """ A URI that identifies the problem type. """
    detail: str | Unset = UNSET
    """ What went wrong with this request. """
    instance: str | Unset = UNSET
    """ The request path this problem is about. """
    errors: list[FieldProblem] | Unset = UNSET
    """ One entry per invalid field or parameter. """
    request_id: str | Unset = UNSET
    """ The id of the request a response answers, as its `X-Request-ID` header carries it.
    In a Problem it equals the header of the response that carries the Problem; in a
    stream's `error` event, the id of the request that was being served when the problem
    arose (a replay of a stored stream repeats the event as it was stored).
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        title = self.title

        status = self.status

        detail = self.detail

        instance = self.instance

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "title": title,
                "status": status,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail
        if instance is not UNSET:
            field_dict["instance"] = instance
        if errors is not UNSET:
            field_dict["errors"] = errors
        if request_id is not UNSET:
            field_dict["request_id"] = request_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_problem import FieldProblem  # noqa: PLC0415

        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises
            src_dict = dict(src_dict)
        type_ = src_dict["type"]

        title = src_dict["title"]

        status = src_dict["status"]

        detail = src_dict.get("detail", UNSET)

        instance = src_dict.get("instance", UNSET)

        _errors = src_dict.get("errors", UNSET)
        errors: list[FieldProblem] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = FieldProblem.from_dict(errors_item_data)

                errors.append(errors_item)

        request_id = src_dict.get("request_id", UNSET)

        problem = cls(
            title,
            status,
            type_,
            detail,
            instance,
            errors,
            request_id,
        )

        extra = (
            {
                key: value
                for key, value in src_dict.items()
                if key
                not in {
                    "type",
                    "title",
                    "status",
                    "detail",
                    "instance",
                    "errors",
                    "request_id",
                }
            }
            if len(src_dict) > 3
            else {}
        )

        if extra:
            problem.additional_properties = extra
        return problem

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
