"""parley_spec: where the contract is found, how it is read, how its $refs resolve."""

from __future__ import annotations

from pathlib import Path

import pytest
from parley_spec import (
    SpecError,
    follow_pointer,
    load_contract,
    load_document,
    read_document,
    resolve,
    resolve_refs,
    spec_path,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_checkout_copy_is_found_without_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PARLEY_OPENAPI", raising=False)
    assert spec_path() == ROOT / "openapi.yaml"


def test_parley_openapi_wins_for_the_server_and_the_harness_alike(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(
        "openapi: 3.1.1\ninfo: {title: t, version: '1'}\npaths:\n"
        "  /x:\n    get: {operationId: getX, responses: {'200': {description: ok}}}\n"
    )
    monkeypatch.setenv("PARLEY_OPENAPI", str(other))
    assert spec_path() == other
    assert [op.operation_id for op in load_contract().operations] == ["getX"]


def test_pointers_unescape_tilde_one_and_tilde_zero() -> None:
    document = {"paths": {"/v1/a~b": {"get": {"x": [10, 20]}}}}
    assert follow_pointer(document, "#/paths/~1v1~1a~0b/get/x/1") == 20
    assert follow_pointer(document, "#") is document


@pytest.mark.parametrize(
    "ref", ["#/paths/missing", "#/paths/~1v1~1a~0b/get/x/2", "other.yaml#/a", "#paths"]
)
def test_a_pointer_at_nothing_names_itself(ref: str) -> None:
    with pytest.raises(SpecError, match="\\$ref"):
        follow_pointer({"paths": {"/v1/a~b": {"get": {"x": [10, 20]}}}}, ref)


def test_resolve_follows_chains_and_refuses_loops() -> None:
    document = {"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"type": "string"}}
    assert resolve(document, {"$ref": "#/a"}) == {"type": "string"}
    looping = {"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}}
    with pytest.raises(SpecError, match="refers to itself"):
        resolve(looping, {"$ref": "#/a"})


def test_resolve_refs_copies_targets_keeps_siblings_and_stops_at_cycles() -> None:
    document = {
        "components": {
            "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/Node"}}},
            "Name": {"type": "string"},
        },
        "use": {"$ref": "#/components/Name", "description": "beside the ref"},
        "tree": {"$ref": "#/components/Node"},
    }
    resolved = resolve_refs(document, document, mark="x-ref")
    assert resolved["use"] == {"type": "string", "description": "beside the ref", "x-ref": "Name"}
    assert resolved["tree"]["properties"]["next"] == {"$ref": "#/components/Node"}
    resolved["use"]["type"] = "integer"
    assert document["components"]["Name"] == {"type": "string"}  # a copy, not the target


def test_bad_documents_raise_spec_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: [unclosed\n")
    with pytest.raises(SpecError, match=r"bad\.yaml is not valid YAML"):
        read_document(bad)
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n")
    with pytest.raises(SpecError, match="not a mapping"):
        read_document(listed)
    with pytest.raises(SpecError, match="cannot read"):
        read_document(tmp_path / "missing.yaml")


def test_load_document_is_read_once_per_path() -> None:
    assert load_document(ROOT / "openapi.yaml") is load_document(str(ROOT / "openapi.yaml"))
    assert read_document(ROOT / "openapi.yaml") is not read_document(ROOT / "openapi.yaml")
