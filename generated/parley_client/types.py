"""Contains some shared types for properties"""

from collections.abc import Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, Any, BinaryIO, Generic, Literal, TypeVar
from uuid import UUID, SafeUUID

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


# PARLEY fast uuid: what the models' from_dict calls for a `format: uuid` value.
_new_object = object.__new__
# The setters of the immutable class's `int` and `is_safe` slots (what `UUID.__init__` sets
# through `object.__setattr__`, reached here without that call's attribute lookup).
_set_int = UUID.__dict__["int"].__set__
_set_is_safe = UUID.__dict__["is_safe"].__set__
_UNKNOWN_SAFETY = SafeUUID.unknown
_PARSED: dict[str, UUID] = {}
"""The UUIDs `parse_uuid` built lately, by their text; emptied when it holds `_PARSED_AT_MOST`."""
_PARSED_AT_MOST = 1024


def parse_own_uuid(value: Any) -> UUID:
    """`UUID(value)`: the same result, or the same exception, about twice as fast.

    A string of 32 hex digits once its hyphens are removed (the form servers send) is read
    with `int(text, 16)`, as `UUID.__init__` reads it, and the UUID is built as that
    method builds it (the `int` and `is_safe` slots of the immutable class). Any other value
    (braces, a `urn:uuid:` prefix, a malformed string, a non-string) goes through `UUID()`
    itself. tests/unit/test_generated_decoding.py compares both on such inputs.

    What the models call for an object's own `id`, which no other object of an answer has:
    unlike `parse_uuid` it keeps nothing, so it pays no memo upkeep.
    """
    if value.__class__ is str:
        digits = value.replace("-", "")
        if len(digits) == 32:
            try:
                number = int(digits, 16)
            except ValueError:
                return UUID(value)
            uuid = _new_object(UUID)
            _set_int(uuid, number)
            _set_is_safe(uuid, _UNKNOWN_SAFETY)
            return uuid
    return UUID(value)


def parse_uuid(value: Any) -> UUID:
    """`parse_own_uuid(value)`, giving a text parsed lately the UUID built then.

    What the models call for every other `format: uuid` value: references to other objects,
    which repeat (a page of messages names one conversation id a hundred times). A UUID is
    immutable, so sharing one changes nothing a caller can see but identity. Only texts of 36
    characters (the canonical form) are kept, at most 1,024 of them (about 200 KB), all
    dropped when that many are held: memory stays bounded whatever the server sends.
    """
    if value.__class__ is str:
        known = _PARSED.get(value)
        if known is not None:
            return known
        uuid = parse_own_uuid(value)
        if len(value) == 36:
            if len(_PARSED) >= _PARSED_AT_MOST:
                _PARSED.clear()
            _PARSED[value] = uuid
        return uuid
    return UUID(value)


__all__ = [
    "UNSET",
    "File",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
    "parse_own_uuid",
    "parse_uuid",
]
