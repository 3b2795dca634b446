"""/openapi.yaml, /openapi.json and /docs: the contract and its reference page, no key needed."""

from __future__ import annotations

import copy
import datetime
import importlib.util
import json
import re
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from parley_server import reference
from parley_server.app import create_app
from parley_server.testing import build_app
from parley_spec import Contract, load_contract, spec_path

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

NO_KEY: dict[str, str] = {}
BAD_KEY = {"X-API-Key": "pk_not-a-key"}
BAD_TOKEN = {"Authorization": "Bearer not.a.jwt"}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(build_app(":memory:").app) as test_client:
        yield test_client


@pytest.mark.parametrize("headers", [NO_KEY, BAD_KEY, BAD_TOKEN], ids=["none", "key", "jwt"])
@pytest.mark.parametrize("path", reference.REFERENCE_PATHS)
def test_served_outside_the_api_auth(
    client: TestClient, path: str, headers: dict[str, str]
) -> None:
    assert client.get("/v1/agent", headers=headers).status_code == 401  # the API still needs one
    r = client.get(path, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-cache"


def test_yaml_is_the_file_byte_for_byte(client: TestClient) -> None:
    r = client.get("/openapi.yaml")
    assert r.headers["content-type"] == "application/yaml"
    assert r.content == spec_path().read_bytes()


def test_json_is_the_same_document(client: TestClient) -> None:
    r = client.get("/openapi.json")
    assert r.headers["content-type"] == "application/json"
    assert r.json() == _jsonable(load_contract().document)
    assert len(r.json()["paths"]) == len(load_contract().document["paths"])


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    head, get = client.head("/openapi.json"), client.get("/openapi.json")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]


def test_docs_page_loads_only_its_own_assets(client: TestClient) -> None:
    r = client.get("/docs", headers=BAD_KEY)
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "<title>Parley conversation APIs - API reference</title>" in r.text
    assert 'data-spec-url="/openapi.json"' in r.text
    links = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assets = [link for link in links if link.startswith("/docs/assets/")]
    assert sorted(assets) == [
        "/docs/assets/favicon-32x32.png",
        "/docs/assets/reference.js",
        "/docs/assets/swagger-ui-bundle.js",
        "/docs/assets/swagger-ui.css",
    ]
    assert set(links) - set(assets) == {"/openapi.yaml", "/openapi.json"}
    kinds = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
    for link in assets:
        asset = client.get(link)
        assert asset.status_code == 200, link
        assert asset.headers["content-type"].startswith(kinds[link[link.rfind(".") :]]), link
        assert "etag" in asset.headers and len(asset.content) > 500, link
    assert b"SwaggerUIBundle" in client.get("/docs/assets/swagger-ui-bundle.js").content


def test_page_paths_follow_the_mount_point() -> None:
    with TestClient(build_app(":memory:").app, root_path="/parley") as mounted:
        page = mounted.get("/docs").text
    assert 'data-spec-url="/parley/openapi.json"' in page
    assert 'src="/parley/docs/assets/reference.js"' in page


@pytest.mark.parametrize(
    "path", ["/docs/assets/index.css", "/docs/assets/..%2Fswagger-ui.css", "/docs/assets/"]
)
def test_only_the_listed_assets_are_served(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"


def test_other_methods_get_a_405_problem(client: TestClient) -> None:
    r = client.post("/openapi.json", json={})
    assert r.status_code == 405
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["status"] == 405


def test_a_contract_given_as_a_document_is_served_as_that_document() -> None:
    document = copy.deepcopy(load_contract().document)
    document["info"]["title"] = "Changed <title>"
    document["info"]["x-released"] = datetime.date(2026, 12, 2)  # an unquoted YAML date
    with TestClient(create_app(contract=Contract(document))) as changed:
        as_yaml = yaml.safe_load(changed.get("/openapi.yaml").content)
        as_json = changed.get("/openapi.json").json()
        page = changed.get("/docs").text
    assert as_yaml == document
    assert as_json["info"]["x-released"] == "2026-12-02"
    assert as_json == _jsonable(document)
    assert "<title>Changed &lt;title&gt; - API reference</title>" in page


def test_json_refuses_a_value_it_cannot_represent() -> None:
    with pytest.raises(TypeError, match="set has no JSON form"):
        reference._json_value({1})


def test_missing_swagger_ui_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda _name: None)
    with pytest.raises(RuntimeError, match="swagger-ui-py is not installed"):
        create_app()


def _jsonable(document: dict[str, Any]) -> Any:
    def value(item: object) -> str:
        assert isinstance(item, datetime.date)
        return item.isoformat()

    return json.loads(json.dumps(document, default=value))


def test_serve_help_names_the_endpoints() -> None:
    from click.testing import CliRunner
    from parley_cli.commands import main

    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for path in reference.REFERENCE_PATHS:
        assert path in result.output
