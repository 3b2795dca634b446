"""Reading a document's path items into :class:`~parley_spec.Operation`s (``$ref``s followed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._operation import (
    HTTP_METHODS,
    Link,
    MediaType,
    Operation,
    Parameter,
    RequestBody,
    Response,
)
from ._pointer import MISSING, join_pointer
from ._read import SpecError
from ._refs import resolve

__all__ = ["read_operations"]


def _parameters(
    document: Mapping[str, Any], raw: Any, base: str
) -> dict[tuple[str, str], Parameter]:
    found: dict[tuple[str, str], Parameter] = {}
    for index, node in enumerate(raw or []):
        pointer = f"{base}/{index}"
        if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            pointer = str(node["$ref"])[1:]
        param = resolve(document, node)
        if not isinstance(param, Mapping) or "name" not in param:
            continue
        location = str(param.get("in", ""))
        found[(location, str(param["name"]))] = Parameter(
            name=str(param["name"]),
            location=location,
            required=bool(param.get("required", location == "path")),
            schema=param.get("schema") or {},
            description=str(param.get("description", "")),
            example=param.get("example", MISSING),
            node=param,
            pointer=pointer,
        )
    return found


def _content(document: Mapping[str, Any], raw: Any) -> dict[str, MediaType]:
    content: dict[str, MediaType] = {}
    for name, media in (raw or {}).items():
        media = resolve(document, media) if isinstance(media, Mapping) else {}
        examples = {
            str(key): resolve(document, value).get("value", MISSING)
            for key, value in (media.get("examples") or {}).items()
            if isinstance(resolve(document, value), Mapping)
        }
        content[str(name)] = MediaType(
            media_type=str(name),
            schema=media.get("schema"),
            example=media.get("example", MISSING),
            examples={k: v for k, v in examples.items() if v is not MISSING},
        )
    return content


def _response(document: Mapping[str, Any], status: str, raw: Any, pointer: str) -> Response:
    node = resolve(document, raw)
    node = node if isinstance(node, Mapping) else {}
    links = tuple(
        Link(
            name=str(name),
            operation_id=str(link.get("operationId", "")),
            parameters=dict(link.get("parameters") or {}),
            description=str(link.get("description", "")),
            status=status,
        )
        for name, link in ((n, resolve(document, v)) for n, v in (node.get("links") or {}).items())
        if isinstance(link, Mapping)
    )
    return Response(
        status=status,
        description=str(node.get("description", "")),
        content=_content(document, node.get("content")),
        headers={str(k): resolve(document, v) for k, v in (node.get("headers") or {}).items()},
        links=links,
        pointer=pointer,
    )


def _operation(
    document: Mapping[str, Any],
    path: str,
    method: str,
    raw: Mapping[str, Any],
    item: Mapping[str, Any],
) -> Operation:
    pointer = join_pointer(["paths", path, method])
    params = {
        **_parameters(
            document, item.get("parameters"), join_pointer(["paths", path, "parameters"])
        ),
        **_parameters(document, raw.get("parameters"), f"{pointer}/parameters"),
    }
    body = resolve(document, raw["requestBody"]) if "requestBody" in raw else None
    request_body = None
    if isinstance(body, Mapping):
        request_body = RequestBody(
            required=bool(body.get("required", False)),
            content=_content(document, body.get("content")),
            description=str(body.get("description", "")),
        )
    security = raw.get("security", document.get("security", []))
    return Operation(
        operation_id=str(raw.get("operationId") or f"{method.upper()} {path}"),
        method=method.upper(),
        path=path,
        pointer=pointer,
        tags=tuple(str(t) for t in raw.get("tags") or ()),
        summary=str(raw.get("summary", "")),
        description=str(raw.get("description", "")),
        deprecated=raw.get("deprecated") is True,
        security=tuple(
            {str(k): tuple(str(r) for r in v or ()) for k, v in req.items()}
            for req in security or ()
            if isinstance(req, Mapping)
        ),
        parameters=tuple(params.values()),
        request_body=request_body,
        responses={
            str(status): _response(document, str(status), node, f"{pointer}/responses/{status}")
            for status, node in (raw.get("responses") or {}).items()
        },
        node=raw,
    )


def read_operations(document: Mapping[str, Any]) -> list[Operation]:
    """Every operation of ``document``, in document order (paths, then methods).

    Raises:
        SpecError: ``paths`` is not a mapping.
    """
    paths = document.get("paths")
    if paths is not None and not isinstance(paths, Mapping):
        raise SpecError("paths is not a mapping")
    found = []
    for path, item in (paths or {}).items():
        if not isinstance(item, Mapping):
            continue
        for method in HTTP_METHODS:
            raw = item.get(method)
            if isinstance(raw, Mapping):
                found.append(_operation(document, str(path), method, raw, item))
    return found
