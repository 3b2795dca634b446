"""The payload schema of each Server-Sent Event name, read from the spec's stream schemas.

A streaming operation's `text/event-stream` schema is a `oneOf` of event objects (possibly
nested: an event union beside the raw-text branch) whose `event` property names the event
(`const` or a one-value `enum`) and whose `data` property carries a `contentSchema`: the schema
its JSON text must match. A variant whose `event` property names no event (no `const`, no
`enum`: the tolerant copy of a release, see `parley_diff.tolerant`) admits events of
any other name, with any data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from parley_spec import Contract, load_contract

__all__ = ["PayloadSchemas"]


class PayloadSchemas:
    """Validators for the `data:` of each event name one streaming operation documents.

    Args:
        contract: The contract, or the path of its document.
        method: The operation's HTTP method (upper case).
        path: The operation's path template.
        status: The success status whose `text/event-stream` content is read.

    Raises:
        KeyError: The contract has no such operation, status or event stream.
    """

    def __init__(self, contract: Contract | Path, method: str, path: str, status: int) -> None:
        self._contract = contract if isinstance(contract, Contract) else load_contract(contract)
        operation = self._contract.by_label(f"{method} {path}")
        if operation is None:
            raise KeyError(f"{method} {path}")
        schema = operation.responses[str(status)].content["text/event-stream"].schema
        self.payloads: dict[str, Any] = {}
        self.other_events = False
        """Whether events of names without a payload schema are allowed, with any data."""
        for branch in self._leaves(schema):
            properties = branch.get("properties", {}) if isinstance(branch, dict) else {}
            event = properties.get("event", {})
            names = [event["const"]] if "const" in event else event.get("enum", [])
            if "event" in properties and not names:
                self.other_events = True
            content = properties.get("data", {}).get("contentSchema")
            for name in names:
                if content is not None:
                    self.payloads[name] = content

    def _leaves(self, schema: Any) -> list[Any]:
        """The schemas under `schema`'s `oneOf`/`anyOf`, nested unions flattened, refs resolved."""
        schema = self._resolve(schema)
        union = schema.get("oneOf", schema.get("anyOf")) if isinstance(schema, dict) else None
        if union is None:
            return [schema]
        return [leaf for branch in union for leaf in self._leaves(branch)]

    def _resolve(self, node: Any) -> Any:
        return self._contract.resolve(node)

    def problem(self, event: str, data: str, *, formats: bool = False) -> str | None:
        """What is wrong with the `data:` of one `event`, or None when it matches its schema.

        Args:
            event: The event's name.
            data: Its `data:` text.
            formats: Assert `format` keywords (date-time, uuid...) and report only their
                errors; otherwise `format` is an annotation and every other error counts.
        """
        import jsonschema_rs

        if event not in self.payloads:
            if self.other_events:
                return None
            return f"event {event!r} is not one the spec documents ({sorted(self.payloads)})"
        try:
            payload = json.loads(data)
        except ValueError:
            return f"the data of event {event!r} is not JSON: {data[:100]!r}"
        # The payload schema with the document's components beside it, so its `$ref`s resolve.
        components = self._contract.document.get("components", {})
        schema = {"components": components, **self.payloads[event]}
        validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=formats)
        errors = [
            error.message
            for error in validator.iter_errors(payload)
            if not formats or type(error.kind).__name__ == "Format"
        ]
        if errors:
            return f"the data of event {event!r} does not match its schema: {errors[0]}"
        return None
