"""The tolerant copy of a released contract: what ``parley diff`` promises that release's clients.

A released contract, tested strictly, rejects a server that sends anything the release did not
name, although ``parley diff`` calls some of those additions compatible because Parley's
client survives them. ``scripts/check-compat`` runs the release's contract-test with
:func:`tolerant_copy` of it instead, so that it checks exactly what the diff promises: each
:class:`Tolerance` names the diff check ids it mirrors, and ``tests/diff/test_tolerant.py``
asserts that the diff calls each of them compatible.

Compatible response-side checks that need no tolerance, because the strict release already
accepts what they allow: ``response-property-added`` and ``stream-event-property-added``
(open schemas only: on a closed one the diff says ``...-property-added-closed``, breaking, so
a closed response schema stays closed), ``response-header-added`` (undeclared headers are not
checked). Not granted: ``response-media-type-added`` (breaking for clients: the generated client
sends no ``Accept`` header, so a new media type can reach it) and the ``x-sunset``
removals (nothing of the release carries ``x-sunset``; a release that does needs them here).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from parley_spec import HTTP_METHODS, Contract, resolve_refs

from ._deprecation import sunset_date
from ._streams import SSE

__all__ = ["STREAM_PROMISE_KEYS", "TOLERANCES", "Tolerance", "retired", "tolerant_copy"]

STREAM_PROMISE_KEYS = ("x-parley-stream", "x-parley-disconnect")
"""The stream promises the tolerant copy leaves out (see ``stream-promises-left-out``)."""

NOT_SCHEMAS = ("example", "examples", "default", "const", "enum")
"""Keys whose values are data, never schemas: an ``enum`` inside them is not a keyword."""
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
"""Keys whose values map names (any name, ``enum`` included) to schemas."""


@dataclass(frozen=True)
class Tolerance:
    """One thing the tolerant copy accepts beyond the release, and the diff checks behind it.

    Attributes:
        name: A short name for the output, e.g. ``open-response-enums``.
        checks: The ``parley diff`` check ids whose compatible verdict it mirrors.
        grants: What it accepts, in one phrase for the output.
    """

    name: str
    checks: tuple[str, ...]
    grants: str


OPEN_ENUMS = Tolerance(
    "open-response-enums",
    (
        "response-enum-value-added",
        "response-header-enum-value-added",
        "stream-event-enum-value-added",
    ),
    "any value of the enum's type where a response body, response header or stream event "
    "payload has an enum (Parley's client keeps an unknown value as the raw string)",
)
UNKNOWN_EVENTS = Tolerance(
    "unknown-stream-events",
    ("stream-event-added",),
    "stream events of names the release does not document, with any data (Parley's client "
    "surfaces them as StreamUnknownEvent)",
)
NEW_ERROR_STATUSES = Tolerance(
    "new-error-statuses",
    ("response-status-added",),
    "4XX and 5XX statuses the release does not document, with any body (Parley's client "
    "raises them as errors); a new 1xx, 2xx or 3xx status stays a failure",
)
AFTER_SUNSET = Tolerance(
    "removed-after-sunset",
    (
        "operation-removed-after-sunset",
        "parameter-removed-after-sunset",
        "property-removed-after-sunset",
    ),
    "the absence of operations, parameters and properties that the release deprecated with "
    "an x-sunset date that has passed",
)
STREAM_PROMISES = Tolerance(
    "stream-promises-left-out",
    ("stream-event-enum-value-added",),
    "a stream whose payloads differ from what the release's stream promises pin: their "
    "x-parley-stream and x-parley-disconnect are left out (they pin enum values, a role, and "
    "compare the stream with what is stored whole); today's contract judges them",
)
TOLERANCES = (OPEN_ENUMS, UNKNOWN_EVENTS, NEW_ERROR_STATUSES, AFTER_SUNSET, STREAM_PROMISES)
"""Every tolerance :func:`tolerant_copy` applies, in the order it applies them."""


def _passed(node: Any, today: str) -> str | None:
    """The node's ``x-sunset`` when it is deprecated and that date is on or before ``today``."""
    sunset = sunset_date(node)
    if isinstance(node, dict) and node.get("deprecated") is True and sunset and sunset <= today:
        return sunset
    return None


def _retired_properties(node: Any, today: str) -> list[str]:
    """Names of the properties under ``node`` (a resolved schema) past their sunset."""
    found: list[str] = []
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            if _passed(sub, today):
                found.append(str(name))
        for key, value in node.items():
            if key not in NOT_SCHEMAS:
                found += _retired_properties(value, today)
    elif isinstance(node, list):
        for item in node:
            found += _retired_properties(item, today)
    return found


def retired(document: dict[str, Any], today: str) -> dict[str, str]:
    """The release's operations that today's server may answer differently after a sunset.

    Args:
        document: The release as parsed.
        today: ``YYYY-MM-DD``.

    Returns:
        operationId -> why: the operation itself was deprecated with an ``x-sunset`` on or
        before ``today``, or one of its parameters or properties was.
    """
    found: dict[str, str] = {}
    for op in Contract(document).operations:
        sunset = _passed(op.node, today)
        if sunset:
            found[op.operation_id] = f"deprecated, x-sunset {sunset} has passed"
            continue
        params = [p.name for p in op.parameters if _passed(p.node, today)]
        messages = resolve_refs([op.node.get("requestBody"), op.node.get("responses")], document)
        gone = [f"parameter {n}" for n in params]
        gone += [f"property {n}" for n in _retired_properties(messages, today)]
        if gone:
            found[op.operation_id] = f"{', '.join(sorted(set(gone)))} past x-sunset"
    return found


def _drop_retired(node: Any, today: str, *, side: str) -> None:
    """Leaves out (requests) or makes optional (responses) the properties past sunset."""
    if isinstance(node, list):
        for item in node:
            _drop_retired(item, today, side=side)
        return
    if not isinstance(node, dict):
        return
    properties = node.get("properties")
    if isinstance(properties, dict):
        for name in [n for n, sub in properties.items() if _passed(sub, today)]:
            if side == "request":
                del properties[name]
            if isinstance(node.get("required"), list):
                node["required"] = [r for r in node["required"] if r != name]
    for key, value in node.items():
        if key not in NOT_SCHEMAS:
            _drop_retired(value, today, side=side)


def _retire(tolerant: dict[str, Any], document: dict[str, Any], today: str) -> None:
    """Applies ``removed-after-sunset`` to ``tolerant``, a copy of ``document``."""
    for item in (tolerant.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            if _passed(operation, today):
                del item[method]
                continue
            body = resolve_refs(operation.get("requestBody"), document)
            if _retired_properties(body, today):  # else left as written, $refs and all
                _drop_retired(body, today, side="request")
                operation["requestBody"] = body
            params = resolve_refs(operation.get("parameters") or [], document)
            kept = [p for p in params if not _passed(p, today)]
            if len(kept) != len(params):
                operation["parameters"] = kept
            _drop_retired(operation.get("responses"), today, side="response")
        shared = resolve_refs(item.get("parameters") or [], document)
        if any(_passed(p, today) for p in shared):
            item["parameters"] = [p for p in shared if not _passed(p, today)]


def tolerant_copy(document: dict[str, Any], today: str | None = None) -> dict[str, Any]:
    """A copy of a released contract that accepts what ``parley diff`` calls compatible for it.

    Every operation's ``responses`` are inlined (their local ``$ref``s resolved, so schemas
    shared with requests stay strict there: request bodies and parameters are not touched), and
    then, per :data:`TOLERANCES`:

    - ``open-response-enums`` (``response-enum-value-added``, ``response-header-enum-value-
      added``, ``stream-event-enum-value-added``): each ``enum``/``const`` in a response body
      schema, a response header schema or a stream event's payload (``contentSchema``) is
      dropped, keeping (or inferring) its ``type``; an event's name is not opened here.
    - ``unknown-stream-events`` (``stream-event-added``): each union of stream events gains a
      variant for any other event name, with ``data`` any string; the harness's stream checks
      skip events of that variant (:class:`parley_contract.checks.payloads.PayloadSchemas`).
    - ``new-error-statuses`` (``response-status-added``, compatible for non-success codes
      only): ``4XX`` and ``5XX`` responses without a schema, where the operation has neither
      them nor ``default``.
    - ``stream-promises-left-out`` (``stream-event-enum-value-added``): every operation's
      :data:`STREAM_PROMISE_KEYS` are dropped.
    - ``removed-after-sunset`` (``operation-``, ``parameter-``, ``property-removed-after-
      sunset``): operations and parameters deprecated with an ``x-sunset`` on or before
      ``today`` are left out, such properties are left out of request bodies and no longer
      required in responses.

    ``additionalProperties`` is left as the release has it. The inlined schemas lose the
    ``x-parley-*`` annotations of the components they copy (the components keep them).

    Args:
        document: The release's OpenAPI document as parsed (``$ref``s in place); not changed.
        today: ``YYYY-MM-DD`` that ``x-sunset`` dates are compared with (UTC today when
            None).

    Returns:
        The tolerant document, valid OpenAPI 3.1 when ``document`` is.
    """
    tolerant = copy.deepcopy(document)
    for item in (tolerant.get("paths") or {}).values():
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = resolve_refs(operation["responses"], document)
            for response in responses.values():
                _tolerate_response(response)
            if "default" not in responses:
                for code in ("4XX", "5XX"):
                    responses.setdefault(code, {"description": "Any error (tolerant copy)."})
            operation["responses"] = responses
            for key in STREAM_PROMISE_KEYS:
                operation.pop(key, None)
    _retire(tolerant, document, today or datetime.now(UTC).date().isoformat())
    return tolerant


def _without_annotations(node: Any) -> None:
    """Drops the ``x-parley-*`` keys of an inlined schema, in place.

    They are the component schemas' own (a count on a property, timestamps on a schema), which
    the vocabulary allows only where they are written; the components keep them.
    """
    if isinstance(node, dict):
        for key in [k for k in node if isinstance(k, str) and k.startswith("x-parley-")]:
            del node[key]
        for key, value in node.items():
            if key not in NOT_SCHEMAS:
                _without_annotations(value)
    elif isinstance(node, list):
        for item in node:
            _without_annotations(item)


def _tolerate_response(response: Any) -> None:
    if not isinstance(response, dict):
        return
    for media in (response.get("content") or {}).values():
        if isinstance(media, dict):
            _without_annotations(media.get("schema"))
    for header in (response.get("headers") or {}).values():
        if isinstance(header, dict):
            _open_enums(header.get("schema"))
    for media, content in (response.get("content") or {}).items():
        if not isinstance(content, dict):
            continue
        if media == SSE:
            _tolerate_stream(content.get("schema"))
        else:
            _open_enums(content.get("schema"))


def _tolerate_stream(schema: Any) -> None:
    """Opens the payload enums of every event, and lets each event union take any other name."""
    if not isinstance(schema, dict):
        return
    for key in ("oneOf", "anyOf"):
        variants = schema.get(key)
        if not isinstance(variants, list):
            continue
        names: list[Any] = []
        for variant in variants:
            event = _event_name(variant)
            if event is None:
                _tolerate_stream(variant)
                continue
            names += event
            data = variant["properties"].get("data")
            if isinstance(data, dict):
                _open_enums(data.get("contentSchema"))
        if names:
            variants.append(_other_event(names))


def _event_name(variant: Any) -> list[Any] | None:
    """The event names a stream variant declares, or None when it declares none."""
    if not isinstance(variant, dict) or not isinstance(variant.get("properties"), dict):
        return None
    event = variant["properties"].get("event")
    if not isinstance(event, dict):
        return None
    if "const" in event:
        return [event["const"]]
    values = event.get("enum")
    return list(values) if isinstance(values, list) else None


def _other_event(known: list[Any]) -> dict[str, Any]:
    """The variant of any event name but ``known``, its ``data`` any string."""
    return {
        "type": "object",
        "description": "Any other event (tolerant copy: stream-event-added).",
        "required": ["event", "data"],
        "properties": {
            "event": {"type": "string", "not": {"enum": sorted(set(known), key=str)}},
            "id": {"type": "string"},
            "data": {"type": "string"},
        },
    }


def _open_enums(schema: Any) -> None:
    """Drops every ``enum``/``const`` under ``schema`` in place, keeping the values' type."""
    if isinstance(schema, list):
        for item in schema:
            _open_enums(item)
        return
    if not isinstance(schema, dict):
        return
    values = schema.pop("enum", None)
    if "const" in schema:
        values = [schema.pop("const")]
    if isinstance(values, list) and "type" not in schema:
        types = sorted({_json_type(value) for value in values})
        if types:
            schema["type"] = types[0] if len(types) == 1 else types
    for key, value in schema.items():
        if key in SCHEMA_MAPS and isinstance(value, dict):
            _open_enums(list(value.values()))  # keyed by property name, any name
        elif key not in NOT_SCHEMAS and not key.startswith("x-"):
            _open_enums(value)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"
