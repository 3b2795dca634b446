"""Comparing request bodies and responses: status codes, media types, headers, bodies."""

from __future__ import annotations

from typing import Any

from ._model import Context, Verdict
from ._schemas import compare_schema
from ._streams import SSE, compare_stream

__all__ = ["compare_request_body", "compare_responses"]


def compare_request_body(old: Any, new: Any, ctx: Context) -> None:
    """Records the differences of an operation's ``requestBody``."""
    where = ctx.at("requestBody", "request body", side="request", kind="request")
    if not isinstance(old, dict) and not isinstance(new, dict):
        return
    if not isinstance(old, dict):
        assert isinstance(new, dict)
        required = bool(new.get("required"))
        where.add(
            "request-body-added-required" if required else "request-body-added",
            Verdict.CLIENT if required else Verdict.COMPATIBLE,
            f"A {'required' if required else 'optional'} request body was added.",
        )
        return
    if not isinstance(new, dict):
        where.add("request-body-removed", Verdict.CLIENT, "The request body was removed.")
        return
    was, now = bool(old.get("required")), bool(new.get("required"))
    if now and not was:
        where.add(
            "request-body-became-required", Verdict.CLIENT, "The request body became required."
        )
    elif was and not now:
        where.add(
            "request-body-became-optional", Verdict.SERVER, "The request body became optional."
        )
    old_content, new_content = old.get("content") or {}, new.get("content") or {}
    content = where.at("content")
    for media in old_content.keys() - new_content.keys():
        content.at(media).add(
            "request-media-type-removed",
            Verdict.CLIENT,
            f"The request body no longer accepts {media}.",
        )
    for media in new_content.keys() - old_content.keys():
        content.at(media).add(
            "request-media-type-added",
            Verdict.SERVER,
            f"The request body now also accepts {media}; servers must read it.",
        )
    for media in sorted(old_content.keys() & new_content.keys()):
        compare_schema(
            old_content[media].get("schema"),
            new_content[media].get("schema"),
            content.at(media).at("schema"),
        )


def _success(code: str) -> bool:
    return code.startswith(("1", "2", "3")) or code == "default"


def compare_responses(old: dict[str, Any], new: dict[str, Any], ctx: Context) -> None:
    """Records the differences of an operation's ``responses``."""
    responses = ctx.at("responses", side="response", kind="response")
    old_codes, new_codes = {str(c) for c in old}, {str(c) for c in new}
    old_by, new_by = {str(c): v for c, v in old.items()}, {str(c): v for c, v in new.items()}
    for code in sorted(old_codes - new_codes):
        success = _success(code)
        responses.at(code).add(
            "response-status-removed",
            Verdict.CLIENT if success else Verdict.SERVER,
            f"The {code} response was removed"
            + ("." if success else "; servers that still send it no longer conform."),
        )
    for code in sorted(new_codes - old_codes):
        success = _success(code)
        responses.at(code).add(
            "response-status-added",
            Verdict.CLIENT if success else Verdict.COMPATIBLE,
            f"A {code} response was added"
            + ("; clients do not expect it." if success else " (clients raise it as an error)."),
        )
    for code in sorted(old_codes & new_codes):
        _compare_response(old_by[code], new_by[code], responses.at(code, f"response {code} body"))


def _compare_response(old: Any, new: Any, ctx: Context) -> None:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return
    _compare_headers(old.get("headers") or {}, new.get("headers") or {}, ctx)
    old_content, new_content = old.get("content") or {}, new.get("content") or {}
    content = ctx.at("content")
    for media in sorted(old_content.keys() - new_content.keys()):
        stream = media == SSE
        content.at(media).add(
            "stream-removed" if stream else "response-media-type-removed",
            Verdict.CLIENT,
            f"The {ctx.label.removesuffix(' body')} is no longer sent as {media}.",
        )
    for media in sorted(new_content.keys() - old_content.keys()):
        stream = media == SSE
        content.at(media).add(
            "stream-added" if stream else "response-media-type-added",
            Verdict.SERVER if stream else Verdict.CLIENT,
            f"The {ctx.label.removesuffix(' body')} may now be sent as {media}"
            + (
                "; servers must stream it."
                if stream
                else "; a client built from OLD sends no Accept header for it and may get a "
                "body it cannot read."
            ),
        )
    for media in sorted(old_content.keys() & new_content.keys()):
        old_schema = old_content[media].get("schema")
        new_schema = new_content[media].get("schema")
        where = content.at(media).at("schema")
        if media == SSE:
            compare_stream(old_schema, new_schema, where)
        else:
            compare_schema(old_schema, new_schema, where)


def _compare_headers(old: dict[str, Any], new: dict[str, Any], ctx: Context) -> None:
    old_by = {str(k).lower(): (k, v) for k, v in old.items()}
    new_by = {str(k).lower(): (k, v) for k, v in new.items()}
    code = ctx.label.removesuffix(" body")
    for name in sorted(old_by.keys() - new_by.keys()):
        raw = old_by[name][0]
        ctx.at("headers").at(raw).add(
            "response-header-removed",
            Verdict.CLIENT,
            f"The {code} no longer carries the {raw} header.",
        )
    for name in sorted(new_by.keys() - old_by.keys()):
        raw, header = new_by[name]
        required = isinstance(header, dict) and bool(header.get("required"))
        ctx.at("headers").at(raw).add(
            "response-header-added-required" if required else "response-header-added",
            Verdict.SERVER if required else Verdict.COMPATIBLE,
            f"The {code} now carries the {raw} header ({'required' if required else 'optional'}).",
        )
    for name in sorted(old_by.keys() & new_by.keys()):
        (_, was), (raw, now) = old_by[name], new_by[name]
        if not isinstance(was, dict) or not isinstance(now, dict):
            continue
        where = ctx.at("headers").at(raw, f"{raw} header of the {code}", kind="response-header")
        if was.get("required") and not now.get("required"):
            where.add(
                "response-header-became-optional",
                Verdict.CLIENT,
                f"The {where.label} became optional.",
            )
        elif now.get("required") and not was.get("required"):
            where.add(
                "response-header-became-required",
                Verdict.SERVER,
                f"The {where.label} became required.",
            )
        compare_schema(was.get("schema"), now.get("schema"), where.at("schema"))
