"""The promises of the ``x-parley-*`` annotations, compared between two contracts.

The annotations come typed from ``parley_spec`` (:attr:`Document.annotations`, one kind per
module of ``parley_spec.annotations``, registered in ``KINDS``), and are compared without
knowing any kind: a kind added there is compared here with no code. Annotations are matched
by kind and subject (the operation, parameter, schema or property they stand on); the check
ids are the key without ``x-parley-`` and ``-added``, ``-removed``, ``-changed``:

- a promise changed or taken away breaks clients (they relied on it: a list read newest
  first, a filter that narrows, a count that means what it said);
- a new promise breaks servers (they must now keep it), and so does a promise that kept
  every member and gained only members the vocabulary marks ``x-parley-tightens`` (where an
  order puts nulls): ``<key>-tightened``;
- a promise whose only change is its quoted prose (``says``) is ``<key>-quote-changed``,
  compatible.

A promise whose subject came or went with it (a removed operation, a new property) is left to
the checks of that subject. A schema or property promise that moved to another schema with
the same meaning (``Conversation`` split into ``allOf`` parts) is the same promise; one left
alone on each side for the same kind and property name is that promise, changed.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from parley_spec import SpecError
from parley_spec.annotations import KINDS, Annotation, vocabulary

from ._checks import promise_check
from ._load import Document
from ._model import Change, Verdict

__all__ = ["compare_promises"]

Subject = tuple[str, str, str, str, str]
"""(kind, operation_id, parameter, schema, property_name)."""


def _key(name: str) -> str:
    """The annotation key of a kind (``x-parley-effects`` for ``effect``), read from KINDS."""
    return next((kind.key for kind in KINDS.values() if kind.name == name), name)


def _subject(note: Annotation[Any]) -> Subject:
    return (note.kind, note.operation_id, note.parameter, note.schema, note.property_name)


def _says(note: Annotation[Any]) -> Any:
    """The prose an annotation quotes (``says``), wherever the kind keeps it; None without.

    Quotes are compared by their text (a quote object's ``text``), not where they are written.
    """
    holders: tuple[Any, ...] = (note, note.value)
    found = [getattr(h, "says", None) for h in holders]
    value = next((v for v in found if v), None)  # an empty tuple: no quote there
    if value is None and isinstance(note.raw, Mapping):
        value = note.raw.get("says")
    if isinstance(value, list | tuple):
        return tuple(getattr(quote, "text", quote) for quote in value)
    return value


def _meaning(note: Annotation[Any]) -> str:
    """What the annotation promises, its quoted prose left out, as comparable text."""
    value = note.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if any(f.name == "says" for f in dataclasses.fields(value)):
            value = dataclasses.replace(value, says=None)
        value = dataclasses.asdict(value)
    return json.dumps(value, sort_keys=True, default=repr)


def _show(note: Annotation[Any]) -> str:
    raw = note.raw
    if isinstance(raw, Mapping):
        raw = {k: v for k, v in raw.items() if k != "says"}
    return json.dumps(raw, sort_keys=True, default=str)


def _stands(document: Document, note: Annotation[Any]) -> bool:
    """Whether the subject the annotation stands on exists in ``document``."""
    if note.operation_id:
        op = document.contract.get(note.operation_id)
        return op is not None and (not note.parameter or op.parameter(note.parameter) is not None)
    if note.schema:
        schemas = (document.raw.get("components") or {}).get("schemas") or {}
        schema = schemas.get(note.schema)
        if not isinstance(schema, Mapping):
            return False
        return not note.property_name or note.property_name in (schema.get("properties") or {})
    return True


def _change(check: str, verdict: Verdict, note: Annotation[Any], message: str) -> Change:
    return Change(check, verdict, note.operation_id, note.pointer, message)


def compare_promises(old: Document, new: Document, changes: list[Change]) -> None:
    """Records every promise changed, removed or added (see the module docstring).

    Args:
        old: The OLD document.
        new: The NEW document.
        changes: Where the findings are appended.

    A document whose annotations break the vocabulary (``scripts/lint-spec`` says so too)
    gets an ``annotations-invalid`` policy error naming each problem, and no promise is
    compared.
    """
    olds: dict[Subject, list[Annotation[Any]]] = defaultdict(list)
    news: dict[Subject, list[Annotation[Any]]] = defaultdict(list)
    try:
        for note in old.annotations:
            olds[_subject(note)].append(note)
        for note in new.annotations:
            news[_subject(note)].append(note)
    except SpecError as exc:
        lines = str(exc).splitlines()
        first = next((line.split(":", 1)[0] for line in lines[1:] if line.startswith("/")), "")
        message = "; ".join(lines).removesuffix(".")
        changes.append(Change("annotations-invalid", Verdict.POLICY, "", first, f"{message}."))
        return
    gone: list[Annotation[Any]] = []
    fresh: list[Annotation[Any]] = []
    for subject in [*olds, *(s for s in news if s not in olds)]:
        before, after = list(olds.get(subject, [])), list(news.get(subject, []))
        for note in list(before):
            twin = next((n for n in after if _meaning(n) == _meaning(note)), None)
            if twin is not None:
                before.remove(note)
                after.remove(twin)
                _quote(note, twin, changes)
        for was, now in zip(before, after, strict=False):
            _changed(was, now, changes)
        gone += before[len(after) :]
        fresh += after[len(before) :]
    _moved(gone, fresh, changes)
    for note in gone:
        if _stands(new, note):
            key = _key(note.kind)
            changes.append(
                _change(
                    promise_check(_key(note.kind), "removed"),
                    Verdict.CLIENT,
                    note,
                    f"No longer promised ({key}): {_show(note)}.",
                )
            )
    for note in fresh:
        if _stands(old, note):
            key = _key(note.kind)
            changes.append(
                _change(
                    promise_check(_key(note.kind), "added"),
                    Verdict.SERVER,
                    note,
                    f"Now promised ({key}); servers must keep it.",
                )
            )


def _tightening(key: str, was: Any, now: Any) -> list[str]:
    """The members a promise gained, if they only tighten it; empty otherwise.

    They tighten it when ``now`` keeps every member of ``was`` and the vocabulary marks each
    added one ``x-parley-tightens``.
    """
    if not isinstance(was, Mapping) or not isinstance(now, Mapping):
        return []
    kept = all(name == "says" or now.get(name) == value for name, value in was.items())
    added = sorted(set(now) - set(was) - {"says"})
    members = (vocabulary()["$defs"].get(key) or {}).get("properties") or {}
    tightens = all((members.get(name) or {}).get("x-parley-tightens") for name in added)
    return added if kept and added and tightens else []


def _changed(was: Annotation[Any], now: Annotation[Any], changes: list[Change]) -> None:
    key = _key(now.kind)
    added = _tightening(key, was.raw, now.raw)
    if added:
        said = ", ".join(f"{name}: {json.dumps(now.raw[name])}" for name in added)
        changes.append(
            _change(
                promise_check(key, "tightened"),
                Verdict.SERVER,
                now,
                f"The {key} promise now also says {said}; servers must keep it.",
            )
        )
        return
    changes.append(
        _change(
            promise_check(_key(now.kind), "changed"),
            Verdict.CLIENT,
            now,
            f"The {key} promise changed from {_show(was)} to {_show(now)}.",
        )
    )


def _quote(was: Annotation[Any], now: Annotation[Any], changes: list[Change]) -> None:
    if _says(was) != _says(now):
        key = _key(now.kind)
        changes.append(
            _change(
                promise_check(_key(now.kind), "quote-changed"),
                Verdict.COMPATIBLE,
                now,
                f"Only the prose the {key} promise quotes (says) changed.",
            )
        )


def _moved(
    gone: list[Annotation[Any]], fresh: list[Annotation[Any]], changes: list[Change]
) -> None:
    """Pairs schema promises that moved between schemas (same kind and property name)."""
    for note in list(gone):
        if not note.schema:
            continue
        same = [n for n in fresh if n.kind == note.kind and n.property_name == note.property_name]
        equal = [n for n in same if n.schema and _meaning(n) == _meaning(note)]
        partners = equal or (same if len(same) == 1 else [])
        peers = [n for n in gone if n.kind == note.kind and n.property_name == note.property_name]
        if not partners or (not equal and len(peers) != 1):
            continue
        partner = partners[0]
        gone.remove(note)
        fresh.remove(partner)
        if equal:
            _quote(note, partner, changes)
        else:
            _changed(note, partner, changes)
