"""check-portability tolerates openapi-generator's unused-model warning only for payload schemas.

openapi-generator does not follow `contentSchema` (CONTRIBUTING.md, "Why that tolerance
stays"), so it calls the stream payload schemas unused. The check must accept exactly those
and still fail on any other unused model or warning. The tool's output is replayed here (the
real run, with Java, is `scripts/check-portability`); each test takes well under a second.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))  # for the driver's sibling modules
# Loaded by path: the repository's `portability/` folder (pinned node tools) shares the name.
_DRIVER = ROOT / "scripts" / "portability.py"
_SPEC = importlib.util.spec_from_file_location("portability_driver", _DRIVER)
assert _SPEC is not None and _SPEC.loader is not None
portability = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(portability)


def _validate_output(*models: str) -> subprocess.CompletedProcess[str]:
    lines = ["Validating spec (openapi.yaml)", "Warnings: "]
    lines += [f"\t- Unused model: {name}" for name in models]
    lines.append(f"[info] Spec has {len(models)} recommendation(s).")
    return subprocess.CompletedProcess([], 0, "\n".join(lines) + "\n", "")


@pytest.mark.parametrize(
    ("models", "expected"),
    [
        (("ChatStreamStart", "AgentStreamStart", "StreamDelta"), []),
        (("StreamDelta", "Orphan"), ["warnings: Unused model: Orphan"]),
        (("Conversation",), ["warnings: Unused model: Conversation"]),
    ],
)
def test_only_content_schema_payloads_are_tolerated(
    monkeypatch: pytest.MonkeyPatch, models: tuple[str, ...], expected: list[str]
) -> None:
    """Unused models named by a `contentSchema` pass; any other fails the check."""
    monkeypatch.setattr(portability, "run", lambda *_args, **_kw: _validate_output(*models))
    problems = portability.check_openapi_generator(ROOT / "openapi.yaml", ROOT)
    assert problems == expected
