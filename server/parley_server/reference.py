"""The contract and an interactive API reference, served beside the API.

Routes (``GET`` and ``HEAD``; no credential needed, a credential sent is ignored):

* ``/openapi.yaml``: the contract as written (``application/yaml``), byte for byte the file the
  server loaded; a contract given as a document is dumped as YAML instead.
* ``/openapi.json``: the same document as JSON (YAML dates become ISO 8601 strings).
* ``/docs``: Swagger UI showing ``/openapi.json``. Its scripts and styles come from the
  ``swagger-ui-py`` package installed with the server, so the page needs no network. The page
  lists its own origin first among the servers, so "Try it out" calls the server that serves
  the page (same origin: no CORS needed) with the key entered under "Authorize".
* ``/docs/assets/{name}``: the page's scripts, styles and icon.

Register with :func:`mount_reference`.
"""

from __future__ import annotations

import datetime
import html
import importlib.util
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from parley_spec import SpecError, parse_document
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from .problems import ProblemError
from .spec import CompiledContract

__all__ = ["REFERENCE_PATHS", "mount_reference", "reference_routes", "swagger_ui_dir"]

REFERENCE_PATHS = ("/openapi.yaml", "/openapi.json", "/docs")
"""The paths served outside the API's authentication (besides ``/docs/assets/...``)."""

_OWN_ASSETS = Path(__file__).with_name("reference.js")
_SWAGGER_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")
_MEDIA = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
# Swagger UI sets inline styles (React), so styles need 'unsafe-inline'; nothing else leaves
# the origin: a script, style, font or call to another host is blocked by the browser.
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'"
)
_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - API reference</title>
<link rel="icon" type="image/png" href="{root}/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="{root}/docs/assets/swagger-ui.css">
</head>
<body>
<noscript>This reference needs JavaScript. The contract itself:
<a href="{root}/openapi.yaml">openapi.yaml</a>, <a href="{root}/openapi.json">openapi.json</a>.
</noscript>
<div id="swagger-ui" data-spec-url="{root}/openapi.json" data-base-path="{root}"></div>
<script src="{root}/docs/assets/swagger-ui-bundle.js"></script>
<script src="{root}/docs/assets/reference.js"></script>
</body>
</html>
"""


def swagger_ui_dir() -> Path:
    """Returns the folder of Swagger UI's static files shipped by ``swagger-ui-py``.

    Raises:
        RuntimeError: ``swagger-ui-py`` is not installed, or lacks a file the page uses.
    """
    spec = importlib.util.find_spec("swagger_ui")  # located, not imported (no jinja2 needed)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("swagger-ui-py is not installed: pip install 'parley[server]'")
    folder = Path(next(iter(spec.submodule_search_locations))) / "static"
    missing = [name for name in _SWAGGER_FILES if not (folder / name).is_file()]
    if missing:
        raise RuntimeError(f"swagger-ui-py at {folder} lacks {', '.join(missing)}")
    return folder


def mount_reference(app: Starlette, contract: CompiledContract) -> None:
    """Adds the contract and API reference routes after ``app``'s routes.

    After, so an API request never tries them first; no API path matches theirs.

    Args:
        app: The reference server's app (see ``create_app``).
        contract: The contract the app serves; its document is what the routes show.

    Raises:
        RuntimeError: Swagger UI's files are missing (see :func:`swagger_ui_dir`).
    """
    app.router.routes.extend(reference_routes(contract))


def reference_routes(contract: CompiledContract) -> list[Route]:
    """Returns the routes of ``/openapi.yaml``, ``/openapi.json``, ``/docs`` and its assets.

    Args:
        contract: The contract to show.

    Raises:
        RuntimeError: Swagger UI's files are missing (see :func:`swagger_ui_dir`).
    """
    folder = swagger_ui_dir()
    assets = {name: folder / name for name in _SWAGGER_FILES}
    assets["reference.js"] = _OWN_ASSETS
    documents = _Documents(contract)
    title = html.escape(str(contract.document.get("info", {}).get("title", "API")))

    async def openapi_yaml(_request: Request) -> Response:
        body = await run_in_threadpool(documents.yaml)  # the first build parses YAML: off the loop
        return Response(body, media_type="application/yaml", headers=_NO_CACHE)

    async def openapi_json(_request: Request) -> Response:
        body = await run_in_threadpool(documents.json)
        return Response(body, media_type="application/json", headers=_NO_CACHE)

    async def page(request: Request) -> Response:
        root = html.escape(request.scope.get("root_path", "").rstrip("/"))
        return HTMLResponse(
            _PAGE.format(title=title, root=root),
            headers={"Content-Security-Policy": _CSP, **_NO_CACHE},
        )

    async def asset(request: Request) -> Response:
        path = assets.get(request.path_params["name"])
        if path is None:
            raise HTTPException(404)
        return _AssetResponse(path, media_type=_MEDIA[path.suffix])

    return [
        Route("/openapi.yaml", openapi_yaml, methods=["GET"]),
        Route("/openapi.json", openapi_json, methods=["GET"]),
        Route("/docs", page, methods=["GET"]),
        Route("/docs/assets/{name}", asset, methods=["GET"]),
    ]


_NO_CACHE = {"Cache-Control": "no-cache"}


class _AssetResponse(FileResponse):
    """Starlette's file response (``Range`` included) whose refusals are Problems.

    Starlette answers a malformed ``Range`` with ``400 text/plain`` and one past the file's end
    with an empty ``416``; these become ``400 malformed-range`` and ``416
    range-not-satisfiable`` Problems (the latter keeps ``Content-Range: bytes */size``).
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        refused: Message | None = None

        async def checked(message: Message) -> None:
            nonlocal refused
            if message["type"] == "http.response.start" and message["status"] in (400, 416):
                refused = message
            elif refused is None:
                await send(message)
            elif not message.get("more_body", False):
                await _range_problem(refused, scope["path"])(scope, receive, send)

        await super().__call__(scope, receive, checked)


def _range_problem(refused: Message, path: str) -> Response:
    if refused["status"] == 400:
        problem = ProblemError(
            400,
            "malformed-range",
            "Malformed Range header",
            "The Range header is not a list of byte ranges (bytes=first-last, ...).",
        )
    else:
        content_range = dict(refused.get("headers", [])).get(b"content-range", b"")
        problem = ProblemError(
            416,
            "range-not-satisfiable",
            "Range not satisfiable",
            "No range of the Range header lies within the file.",
            headers={"Content-Range": content_range.decode("latin-1")} if content_range else {},
        )
    return problem.to_response(path)


class _Documents:
    """The contract's YAML and JSON bytes, built on first request (tens of ms) and kept."""

    def __init__(self, contract: CompiledContract) -> None:
        self._document = contract.document
        self._path = contract.spec.path
        self._yaml: bytes | None = None
        self._json: bytes | None = None

    def yaml(self) -> bytes:
        if self._yaml is None:
            self._yaml = (
                _as_written(self._path, self._document)
                or yaml.safe_dump(self._document, sort_keys=False, allow_unicode=True).encode()
            )
        return self._yaml

    def json(self) -> bytes:
        if self._json is None:
            text = json.dumps(self._document, ensure_ascii=False, indent=2, default=_json_value)
            self._json = text.encode()
        return self._json


def _as_written(path: Path | None, document: Mapping[str, Any]) -> bytes | None:
    """Returns the bytes of the file the contract was read from when they hold ``document``.

    ``None`` for a contract built in memory, or a file that changed since.
    """
    if path is None:
        return None
    try:
        raw = path.read_bytes()
        return raw if parse_document(raw.decode()) == document else None
    except (OSError, UnicodeDecodeError, SpecError):  # no file (a contract built in memory)
        return None


def _json_value(value: object) -> str:
    """Turns the YAML-only values JSON lacks into strings (dates, as ISO 8601).

    Raises:
        TypeError: Any other value JSON cannot hold.
    """
    if isinstance(value, datetime.date):  # datetime.datetime is a date too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no JSON form")
