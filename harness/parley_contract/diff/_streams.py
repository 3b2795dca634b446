"""Comparing ``text/event-stream`` schemas: event names and each event's payload.

Parley's convention (DESIGN.md): the stream schema is a ``oneOf``/``anyOf`` of event objects,
each naming its event in ``properties.event`` (``const`` or ``enum``) and carrying its payload
in ``properties.data`` (a JSON string with ``contentSchema``). A new event name is compatible:
Parley's client surfaces it as ``StreamUnknownEvent``.
"""

from __future__ import annotations

from typing import Any

from ._model import Context, Verdict
from ._schemas import compare_schema

__all__ = ["SSE", "compare_stream", "stream_events"]

SSE = "text/event-stream"


def stream_events(schema: Any) -> dict[str, tuple[int, Any]]:
    """Event name -> (variant index, payload schema) of a stream schema."""
    events: dict[str, tuple[int, Any]] = {}
    if not isinstance(schema, dict):
        return events
    for key in ("oneOf", "anyOf"):
        for index, variant in enumerate(schema.get(key) or []):
            if not isinstance(variant, dict):
                continue
            props = variant.get("properties") or {}
            name_schema = props.get("event") or {}
            names = name_schema.get("enum") or (
                [name_schema["const"]] if "const" in name_schema else []
            )
            data = props.get("data") or {}
            payload = data.get("contentSchema", data) if isinstance(data, dict) else data
            for name in names:
                events[str(name)] = (index, payload)
    return events


def compare_stream(old: Any, new: Any, ctx: Context) -> None:
    """Records event names added or removed, and payload differences of the common ones."""
    old_events, new_events = stream_events(old), stream_events(new)
    if not old_events and not new_events:
        compare_schema(old, new, ctx)
        return
    for name in sorted(old_events.keys() - new_events.keys()):
        ctx.at("oneOf").at(str(old_events[name][0])).add(
            "stream-event-removed",
            Verdict.CLIENT,
            f"The stream no longer sends `{name}` events.",
        )
    for name in sorted(new_events.keys() - old_events.keys()):
        ctx.at("oneOf").at(str(new_events[name][0])).add(
            "stream-event-added",
            Verdict.COMPATIBLE,
            f"The stream may now send `{name}` events (Parley clients surface them as "
            "StreamUnknownEvent).",
        )
    for name in sorted(old_events.keys() & new_events.keys()):
        index, payload = new_events[name]
        where = (
            ctx.at("oneOf")
            .at(str(index))
            .at("properties")
            .at("data")
            .at("contentSchema", f"`{name}` event data", kind="stream-event")
        )
        compare_schema(old_events[name][1], payload, where)
