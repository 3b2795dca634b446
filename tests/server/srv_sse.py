"""A tiny Server-Sent Events parser for the tests."""

from __future__ import annotations

import json
from typing import Any


def parse(text: str) -> list[dict[str, Any]]:
    """Returns ``[{"id": int, "event": str, "data": Any}]`` for a complete event stream."""
    events = []
    for block in text.replace("\r\n", "\n").strip().split("\n\n"):
        if not block.strip():
            continue
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append(
            {"id": int(fields["id"]), "event": fields["event"], "data": json.loads(fields["data"])}
        )
    return events
