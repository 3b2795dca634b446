"""The spec tooling catches what it exists to catch: lint violations and a stale client."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.tools

MUTATIONS = {
    "parley-operation-summary": ("      summary: Get an agent\n", ""),
    "parley-conventions": (
        "      parameters:\n        - $ref: '#/components/parameters/IdempotencyKey'\n"
        "      requestBody:\n        required: true\n        content:\n"
        "          application/json:\n            schema:\n"
        "              $ref: '#/components/schemas/QaChatRequest'\n",
        "      requestBody:\n        required: true\n        content:\n"
        "          application/json:\n            schema:\n"
        "              $ref: '#/components/schemas/QaChatRequest'\n",
    ),
    "parley-4xx-problem-json": (
        "        '404':\n          $ref: '#/components/responses/NotFound'\n",
        "        '404':\n          description: Not found.\n",
    ),
    "oas3-valid-media-example": ("                deleted: 4\n", "                deleted: four\n"),
    "parley-operation-security": (
        "        - ApiKeyAuth: [write]\n",
        "        - ApiKeyAuth: [admin]\n",
    ),
}


def lint_inputs_digest(repo_root: Path) -> str:
    """sha256 of what scripts/lint-spec reads, as scripts/test computes it after a pass."""
    names = ["openapi.yaml", ".spectral.yaml", "package-lock.json"]
    names += sorted(str(p.relative_to(repo_root)) for p in (repo_root / "spectral").rglob("*"))
    digest = hashlib.sha256()
    for name in names:
        if (repo_root / name).is_file():
            digest.update((repo_root / name).read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def spectral(repo_root: Path) -> Path:
    # scripts/lint-spec installs the pinned Spectral when needed, and the real spec must pass.
    # scripts/test ran it moments ago and exported the digest of exactly these inputs: then
    # the pass is not repeated (the mutation tests below still run Spectral each).
    binary = repo_root / "node_modules" / ".bin" / "spectral"
    if os.environ.get("PARLEY_SPEC_LINTED") == lint_inputs_digest(repo_root) and binary.exists():
        return binary
    result = subprocess.run(
        [repo_root / "scripts" / "lint-spec"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return binary


@pytest.mark.parametrize("rule", sorted(MUTATIONS))
def test_lint_spec_rejects_a_violation(
    rule: str, spectral: Path, repo_root: Path, tmp_path: Path
) -> None:
    old, new = MUTATIONS[rule]
    text = (repo_root / "openapi.yaml").read_text()
    assert old in text
    broken = tmp_path / "openapi.yaml"
    broken.write_text(text.replace(old, new, 1))
    result = subprocess.run(
        [
            spectral,
            "lint",
            broken,
            "--ruleset",
            repo_root / ".spectral.yaml",
            "--fail-severity=warn",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert rule in result.stdout


def test_check_generated_fails_on_a_stale_client_and_passes_after_regenerate(
    repo_root: Path, tmp_path: Path
) -> None:
    work = tmp_path / "repo"
    work.mkdir()
    for name in ("openapi.yaml", "generator-config.yml", "pyproject.toml", "README.md"):
        shutil.copy(repo_root / name, work / name)
    for folder in ("scripts", "generated", "generator-templates"):
        shutil.copytree(
            repo_root / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    env = {**os.environ, "PARLEY_VENV": os.environ.get("PARLEY_VENV", str(repo_root / ".venv"))}
    # Installs from the real checkout first, so the copy's bootstrap finds the venv up to date.
    subprocess.run([repo_root / "scripts" / "bootstrap"], env=env, capture_output=True, check=True)

    def run(script: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [work / "scripts" / script], capture_output=True, text=True, env=env, check=False
        )

    spec = work / "openapi.yaml"
    old = "description: A piece of the reply's text.\n"
    assert old in spec.read_text()
    spec.write_text(spec.read_text().replace(old, "description: One piece of the reply's text.\n"))

    stale = run("check-generated")
    assert stale.returncode == 1
    assert "differs:" in stale.stderr
    assert "generated/parley_client/models/stream_delta.py" in stale.stderr
    assert "generated/README.md" in stale.stderr

    assert run("regenerate").returncode == 0
    fresh = run("check-generated")
    assert fresh.returncode == 0, fresh.stderr
