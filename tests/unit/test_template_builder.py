"""generator-templates/build_templates.py: Parley's edits of the pinned generator's templates.

Every edit's anchor occurs exactly once in the installed generator's template it edits; a
template missing or repeating one anchor stops the build, naming the template, the anchor and
the generator version; run as a script, the build writes every override or nothing.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _builder() -> Any:
    """generator-templates/build_templates.py, imported from its path (not a package)."""
    path = ROOT / "generator-templates" / "build_templates.py"
    spec = importlib.util.spec_from_file_location("build_templates", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILDER = _builder()
EDITS = [(name, index) for name, edits in BUILDER.TEMPLATES.items() for index in range(len(edits))]
MARKS = {
    "model.py.jinja": [
        "PARLEY open enum",
        "PARLEY straight union",
        "PARLEY positional",
        "PARLEY read without copying",
    ],
    "endpoint_module.py.jinja": ["PARLEY public builder and parser"],
    "types.py.jinja": ["PARLEY fast uuid"],
}


def test_every_template_is_edited_and_tested() -> None:
    assert set(BUILDER.TEMPLATES) == set(MARKS)
    assert len(EDITS) == 20  # the parametrised failure test below covers each one


@pytest.mark.parametrize("name", sorted(MARKS))
def test_every_anchor_occurs_once_in_the_installed_template(name: str) -> None:
    """Each edit's anchor is found exactly once in the pinned generator's template."""
    upstream = BUILDER.upstream_template(name).read_text()
    for edit in BUILDER.TEMPLATES[name]:
        assert upstream.count(edit.anchor) == 1, edit.name
    built = BUILDER.build(upstream, "installed", name)
    for mark in MARKS[name]:
        assert mark in built, mark
    assert hashlib.sha256(upstream.encode()).hexdigest() in built


@pytest.mark.parametrize(("name", "index"), EDITS)
def test_the_build_fails_loudly_on_an_unknown_template(name: str, index: int) -> None:
    """A template missing (or repeating) one anchor stops the build naming all of it."""
    upstream = BUILDER.upstream_template(name).read_text()
    edit = BUILDER.TEMPLATES[name][index]
    for broken in (upstream.replace(edit.anchor, ""), upstream + edit.anchor):
        with pytest.raises(BUILDER.AnchorError) as error:
            BUILDER.build(broken, "9.9.9", name)
        assert repr(edit.name) in str(error.value)
        assert f"openapi-python-client 9.9.9's templates/{name}" in str(error.value)


def test_the_build_step_writes_every_override(tmp_path: Path) -> None:
    assert BUILDER.main(["build_templates.py", str(tmp_path)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(MARKS)


def test_the_build_step_exits_1_with_the_error_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run as a script on one unknown template: exit 1, the error on stderr, nothing written."""
    fake = tmp_path / "endpoint_module.py.jinja"
    fake.write_text("{# not the generator's template #}\n")
    real = BUILDER.upstream_template
    monkeypatch.setattr(
        BUILDER,
        "upstream_template",
        lambda name="model.py.jinja": fake if name == fake.name else real(name),
    )
    out = tmp_path / "out"
    assert BUILDER.main(["build_templates.py", str(out)]) == 1
    assert not out.exists()
    assert "templates/endpoint_module.py.jinja has anchor 'header' 0 times" in (
        capsys.readouterr().err
    )
