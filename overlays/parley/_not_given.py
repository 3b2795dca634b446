"""``NOT_GIVEN``: the default of an argument whose ``None`` means something.

A write whose body accepts ``null`` for a field (``updateConversation``'s ``title``,
``endConversation``'s ``feedback``...) takes that field as ``title: str | None | NotGiven =
NOT_GIVEN``: leaving the argument out leaves the field out of the body (the server keeps what
it has), passing ``None`` sends ``null`` (the server clears it). ``with_options`` uses it the
same way for settings whose ``None`` is a value (no timeout, no idle limit).
"""

from __future__ import annotations

from typing import Final, Literal, TypeVar

from parley_client.types import UNSET, Unset

T = TypeVar("T")


class NotGiven:
    """The type of :data:`NOT_GIVEN`, for annotations: ``title: str | None | NotGiven``.

    There is one instance; it is falsy, and copies and pickles of it are itself.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"  # pickled by name: the module's NOT_GIVEN


NOT_GIVEN: Final = NotGiven()
"""An argument left out: the field is not sent (``None`` would send ``null``)."""


def given(value: T | NotGiven) -> T | Unset:
    """A nullable body field as the generated model takes it.

    Returns:
        ``UNSET`` (left out of the body) for :data:`NOT_GIVEN`, else ``value`` itself, so
        ``None`` is sent as ``null``.
    """
    return UNSET if isinstance(value, NotGiven) else value
