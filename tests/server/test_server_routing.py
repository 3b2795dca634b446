"""The path-template router: same choices as a scan in spec order, extra routes still served."""

from __future__ import annotations

import re
from typing import Any

import pytest
from parley_server.app import create_app
from parley_server.routing import PathTable
from parley_spec import load_contract
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route, compile_path
from starlette.testclient import TestClient


def _scan_choice(templates: list[str], path: str) -> str | None:
    """What the router did before: the first matching template, fewest parameters first."""
    for template in sorted(templates, key=lambda p: (p.count("{"), p)):
        if compile_path(template)[0].match(path):
            return template
    return None


def _probe_paths(templates: list[str]) -> list[str]:
    """Every template with its parameters replaced by each literal segment of the spec (and x)."""
    words = sorted({s for t in templates for s in t.split("/") if s and "{" not in s} | {"x"})
    paths = set()
    for template in templates:
        filled = [template]
        for _ in range(template.count("{")):
            filled = [
                re.sub(r"\{[^}]+\}", w, f, count=1) for f in filled for w in words if "{" in f
            ]
        paths.update(filled)
    return sorted(paths)


def test_lookup_picks_what_the_ordered_scan_picked_for_every_spec_path() -> None:
    templates = sorted({op.path for op in load_contract().operations})
    table: PathTable[str] = PathTable()
    for template in templates:
        table.add(template, template)
    probes = _probe_paths(templates)
    assert len(probes) > 1000
    for path in [*probes, "/v1/conversation/a/b/c", "/v1", "/", "/nope"]:
        found = table.find(path)
        assert (found[0] if found else None) == _scan_choice(templates, path), path


def test_a_literal_segment_wins_and_the_lookup_backtracks_to_a_parameter() -> None:
    table: PathTable[str] = PathTable()
    for template in ("/a/{p}", "/a/lit", "/a/lit/{q}/z", "/a/{p}/y/w"):
        table.add(template, template)
    assert table.find("/a/lit") == ("/a/lit", {})
    assert table.find("/a/other") == ("/a/{p}", {"p": "other"})
    assert table.find("/a/lit/1/z") == ("/a/lit/{q}/z", {"q": "1"})
    # The literal branch /a/lit/... has no /y/w: the parameter branch must still be tried.
    assert table.find("/a/lit/y/w") == ("/a/{p}/y/w", {"p": "lit"})
    assert table.find("/a//y/w") is None  # a parameter never matches an empty segment
    assert table.find("/a/lit/") is None
    assert table.find("a/lit") is None
    with pytest.raises(ValueError, match="twice"):
        table.add("/a/{p}", "again")
    with pytest.raises(ValueError, match="starts with"):
        table.add("a", "no slash")


async def _health(_request: Request) -> Response:
    return PlainTextResponse("ok")


async def _docs(scope: Any, receive: Any, send: Any) -> None:
    await PlainTextResponse("docs " + scope["path"])(scope, receive, send)


def test_extra_routes_and_mounts_are_served_after_the_spec_paths() -> None:
    app = create_app(extra_routes=[Route("/status", _health), Mount("/manual", app=_docs)])
    app.routes.append(Route("/late", _health))  # added after the app was built
    with TestClient(app) as client:
        assert client.get("/status").text == "ok"
        assert client.get("/manual/index.html").text == "docs /manual/index.html"
        assert client.get("/late").text == "ok"
        assert client.post("/status").status_code == 405
        r = client.get("/v1/agent")  # a spec path: the API's own 401, not an extra route
        assert r.status_code == 401
        r = client.get("/v1/agent/", follow_redirects=False)  # Starlette's slash redirect
        assert r.status_code == 307
        assert r.headers["location"].endswith("/v1/agent")
        r = client.get("/elsewhere")
        assert r.status_code == 404
        assert r.headers["content-type"] == "application/problem+json"


def test_a_method_a_path_lacks_answers_405_with_its_allow(api) -> None:  # type: ignore[no-untyped-def]
    cid = api.conversation()["id"]
    r = api.client.post(f"/v1/conversation/{cid}", headers=api.write)
    assert r.status_code == 405
    assert r.headers["allow"] == "DELETE, GET, PATCH"
    assert r.json()["type"] == "https://parley.dev/problems/method-not-allowed"
    r = api.client.head(f"/v1/conversation/{cid}", headers=api.write)
    assert r.status_code == 405
