"""Comparing ``text/event-stream`` schemas: event names and each event's payload.

Parley's convention (DESIGN.md): the stream schema is a ``oneOf``/``anyOf`` of event objects,
each naming its event in ``properties.event`` (``const`` or ``enum``) and carrying its payload
in ``properties.data`` (a JSON string with ``contentSchema``). A new event name is compatible:
Parley's client surfaces it as ``StreamUnknownEvent``.
"""

from __future__ import annotations

from typing import Any

from ._model import Context, Verdict
from ._normalise import ORIGIN
from ._schemas import compare_schema

__all__ = ["SSE", "compare_stream", "stream_events"]

SSE = "text/event-stream"


def stream_events(schema: Any) -> dict[str, tuple[tuple[str, ...], Any]]:
    """Event name -> (JSON-pointer tokens of its variant, payload schema) of a stream schema.

    Unions nest: the real spec's stream is ``oneOf: [event union, raw string]`` where the event
    union is itself a ``oneOf``. Every ``oneOf``/``anyOf`` level is walked (schemas arrive with
    their ``$ref`` already resolved and normalised by :func:`load_source`: a disjoint ``oneOf`` is
    an ``anyOf`` there, its branches still pointing at the ``oneOf``); a variant naming no event
    is skipped.
    """
    events: dict[str, tuple[tuple[str, ...], Any]] = {}
    _collect(schema, (), events)
    return events


def _collect(
    schema: Any, where: tuple[str, ...], events: dict[str, tuple[tuple[str, ...], Any]]
) -> None:
    if not isinstance(schema, dict):
        return
    for key in ("oneOf", "anyOf"):
        for index, variant in enumerate(schema.get(key) or []):
            if not isinstance(variant, dict):
                continue
            origin = variant.get(ORIGIN)  # where the normal form found it (a oneOf's index)
            path = (*where, *(origin if isinstance(origin, list) else (key, str(index))))
            if variant.get("oneOf") or variant.get("anyOf"):
                _collect(variant, path, events)
                continue
            props = variant.get("properties") or {}
            name_schema = props.get("event") or {}
            names = name_schema.get("enum") or (
                [name_schema["const"]] if "const" in name_schema else []
            )
            data = props.get("data") or {}
            payload = data.get("contentSchema", data) if isinstance(data, dict) else data
            for name in names:
                events[str(name)] = (path, payload)


def _at(ctx: Context, path: tuple[str, ...]) -> Context:
    for token in path:
        ctx = ctx.at(token)
    return ctx


def compare_stream(old: Any, new: Any, ctx: Context) -> None:
    """Records event names added or removed, and payload differences of the common ones."""
    old_events, new_events = stream_events(old), stream_events(new)
    if not old_events and not new_events:
        compare_schema(old, new, ctx)
        return
    for name in sorted(old_events.keys() - new_events.keys()):
        _at(ctx, old_events[name][0]).add(
            "stream-event-removed",
            Verdict.CLIENT,
            f"The stream no longer sends `{name}` events.",
        )
    for name in sorted(new_events.keys() - old_events.keys()):
        _at(ctx, new_events[name][0]).add(
            "stream-event-added",
            Verdict.COMPATIBLE,
            f"The stream may now send `{name}` events (Parley clients surface them as "
            "StreamUnknownEvent).",
        )
    for name in sorted(old_events.keys() & new_events.keys()):
        path, payload = new_events[name]
        where = (
            _at(ctx, path)
            .at("properties")
            .at("data")
            .at("contentSchema", f"`{name}` event data", kind="stream-event")
        )
        compare_schema(old_events[name][1], payload, where)
