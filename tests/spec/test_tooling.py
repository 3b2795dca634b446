"""The spec tooling catches what it exists to catch: lint violations and a stale client."""

from __future__ import annotations

import hashlib
import os
import re
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
    "parley-response-request-id": (
        "          description: The agent was created.\n          headers:\n"
        "            X-Request-ID:\n              $ref: '#/components/headers/RequestId'\n",
        "          description: The agent was created.\n",
    ),
    # listAgents, the first list, loses its declared order.
    "parley-promise-order": (
        "      x-parley-order:\n        says:\n"
        "          - Lists the agents of the caller's tenant, newest first.\n"
        "        items: '/items'\n        field: created_at\n        direction: desc\n"
        "      security:\n",
        "      security:\n",
    ),
    "parley-promise-filter": (
        "          x-parley-filter:\n            says:\n"
        "              - Only conversations in this lifecycle state.\n"
        "            items: '/items'\n            field: status\n",
        "",
    ),
    # QaDeleteResult.deleted loses its definition.
    "parley-promise-count": (
        "            of: getQaConversation\n            items: '/messages'\n"
        "            parameters:\n              conversation_id: $request.path.conversation_id\n"
        "            times: 2\n            when: change\n",
        "            when: change\n",
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
    for folder in ("scripts", "generated", "generator-templates", "overlays"):
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

    derived = work / "overlays" / "parley" / "_sync" / "client.py"
    derived.write_text(derived.read_text().replace("max_retries", "retries", 1))

    stale = run("check-generated")
    assert stale.returncode == 1
    assert "differs:" in stale.stderr
    assert "generated/parley_client/models/stream_delta.py" in stale.stderr
    assert "generated/README.md" in stale.stderr
    assert "differs:  _sync/client.py" in stale.stderr

    assert run("regenerate").returncode == 0
    assert run("unasync").returncode == 0
    fresh = run("check-generated")
    assert fresh.returncode == 0, fresh.stderr


def test_unasync_check_fails_on_a_drifted_sync_half_and_passes_after_unasync(
    repo_root: Path, tmp_path: Path
) -> None:
    work = tmp_path / "repo"
    work.mkdir()
    shutil.copy(repo_root / "pyproject.toml", work / "pyproject.toml")  # ruff's settings
    for folder in ("scripts", "overlays"):
        shutil.copytree(
            repo_root / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    python = Path(os.environ.get("PARLEY_VENV", str(repo_root / ".venv"))) / "bin" / "python"

    def unasync(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [python, work / "scripts" / "unasync", *args],
            capture_output=True,
            text=True,
            check=False,
        )

    assert unasync("--check").returncode == 0
    sync_half = work / "overlays" / "parley" / "_sync"
    client = (sync_half / "client.py").read_text()
    assert not re.search(r"\b(async|await)\b", client) and "class Parley(" in client

    # A hand edit of a derived file, a change of its source, a deleted and an extra file.
    (sync_half / "client.py").write_text(client.replace("max_retries", "retries", 1))
    source = work / "overlays" / "parley" / "_async" / "services.py"
    source.write_text(source.read_text().replace('f"only role', 'f"only the role', 1))
    (sync_half / "retrying.py").unlink()
    (sync_half / "resources" / "stale.py").write_text("")
    stale = unasync("--check")
    assert stale.returncode == 1
    for line in (
        "differs:  _sync/client.py",
        "differs:  _sync/services.py",
        "missing:  _sync/retrying.py",
        "extra:    _sync/resources/stale.py",
    ):
        assert line in stale.stderr

    assert unasync().returncode == 0
    assert unasync("--check").returncode == 0
    assert 'f"only the role' in (sync_half / "services.py").read_text()
    assert not (sync_half / "resources" / "stale.py").exists()
