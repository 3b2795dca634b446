"""The public surface of ``parley`` is exactly its sorted ``__all__``.

Sorted as ruff's RUF022 sorts it: constants (``NOT_GIVEN``) first, then classes, each by name.
"""

from __future__ import annotations

import inspect

import parley


def test_all_is_sorted_and_unique() -> None:
    constants = [name for name in parley.__all__ if name.isupper()]
    assert constants == sorted(constants) == ["NOT_GIVEN"]
    assert parley.__all__ == constants + sorted(set(parley.__all__) - set(constants))
    assert len(set(parley.__all__)) == len(parley.__all__)


def test_every_name_in_all_exists() -> None:
    for name in parley.__all__:
        assert getattr(parley, name) is not None, name


def test_every_public_object_is_in_all() -> None:
    public = {
        name
        for name, value in vars(parley).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert public == set(parley.__all__)


def test_clients_and_services_are_exported() -> None:
    for name in ["Parley", "AsyncParley", "ConversationService", "MessageService"]:
        assert name in parley.__all__
