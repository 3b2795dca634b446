"""Schemathesis, in-process, against the reference server: every phase, every check, no failure.

Settings (auth, example budget, per-operation check settings with reasons) come from the
repository's ``schemathesis.toml``, the same file ``parley contract-test`` uses. The seed is
the session's (``tests/ci.py``: fixed in CI, ``PARLEY_FUZZ_SEED`` sets it, printed in the
session header) and a failure names it with the command that replays it. A second run
authenticates as two tenants (Web Fuzzing Commons peers) so ``object_level_authorization``
probes every object one tenant creates with the other tenant's key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from parley_contract.depth import deepening
from parley_server.testing import InProcessApp, build_app
from parley_spec import load_contract
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from tests.ci import fuzz_seed
from tests.postgres import postgres_param

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = [pytest.param(":memory:", id="sqlite")]
BACKENDS.append(postgres_param())  # skipped, with the reason, when unset
PHASES = {"examples", "coverage", "fuzzing", "stateful"}
API_KEY_AUTH = '[auth.openapi.ApiKeyAuth]\napi_key = "${PARLEY_API_KEY}"\n'


@dataclass
class Outcome:
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    phases: dict[str, str] = field(default_factory=dict)
    checks: set[str] = field(default_factory=set)
    scenarios: int = 0
    seed: int = 0

    def assert_clean(self) -> None:
        again = (
            f"(seed {self.seed}: rerun with PARLEY_FUZZ_SEED={self.seed} "
            "pytest tests/contract/test_contract_schemathesis.py)"
        )
        assert not self.errors, f"{again}\n" + "\n".join(self.errors[:10])
        failures = sorted(set(self.failures))
        assert not failures, f"{len(failures)} failures {again}:\n" + "\n".join(failures[:20])
        assert {p: self.phases.get(p) for p in PHASES} == dict.fromkeys(PHASES, "success")
        assert self.scenarios > 100


def _describe(ev: events.ScenarioFinished, case_id: str, node: Any) -> str:
    case = ev.recorder.cases[case_id].value
    interaction = ev.recorder.interactions.get(case_id)
    status = interaction.response.status_code if interaction and interaction.response else None
    body = interaction.response.content[:300] if interaction and interaction.response else b""
    return (
        f"{node.name} on {case.operation.label}: {node.failure_info.failure.title}\n"
        f"  {case.as_curl_command()}\n  -> {status} {body!r}"
    )


def _run(built: InProcessApp, config_text: str) -> Outcome:
    seed = fuzz_seed()
    config = SchemathesisConfig.from_str(f"seed = {seed}\n{config_text}")
    schema = schemathesis.openapi.from_path(str(ROOT / "openapi.yaml"), config=config)
    schema.app = built.app
    outcome = Outcome(seed=seed)
    # Fresh Idempotency-Key per valid case, as `parley contract-test` sends them: a reused key
    # is answered 422 by design (the harness' idempotency check tests reuse).
    with deepening(load_contract(ROOT / "openapi.yaml")):
        _execute(schema, outcome)
    return outcome


def _execute(schema: Any, outcome: Outcome) -> None:
    for ev in from_schema(schema).execute():
        if isinstance(ev, events.ScenarioFinished):
            outcome.scenarios += 1
            for case_id, nodes in ev.recorder.checks.items():
                outcome.checks.update(n.name for n in nodes)
                outcome.failures += [_describe(ev, case_id, n) for n in nodes if n.failure_info]
        elif isinstance(ev, events.NonFatalError | events.FatalError):
            outcome.errors.append(repr(getattr(ev, "value", ev))[:500])
        elif isinstance(ev, events.PhaseFinished):
            outcome.phases[ev.phase.name.value] = ev.status.value


@pytest.mark.slow
@pytest.mark.parametrize("database_url", BACKENDS)
def test_schemathesis_all_phases_all_checks(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build_app(database_url, validate_responses=True)
    monkeypatch.setenv("PARLEY_API_KEY", built.tenant.write_key)
    outcome = _run(built, (ROOT / "schemathesis.toml").read_text())
    outcome.assert_clean()
    for check in (
        "not_a_server_error",
        "negative_data_rejection",
        "positive_data_acceptance",
        "ignored_auth",
        "use_after_free",
        "ensure_resource_availability",
        "response_schema_conformance",
        "status_code_conformance",
        "content_type_conformance",
        "unsupported_method",
    ):
        assert check in outcome.checks


@pytest.mark.slow
def test_schemathesis_two_tenants_cannot_see_each_other(tmp_path: Path) -> None:
    built = build_app(":memory:", validate_responses=True)
    peers = tmp_path / "peers.json"
    peers.write_text(
        json.dumps(
            {
                "auth": [
                    {
                        "name": name,
                        "fixedHeaders": [{"name": "X-API-Key", "value": creds.write_key}],
                    }
                    for name, creds in (
                        ("tenant-a", built.tenant),
                        ("tenant-b", built.other_tenant),
                    )
                ]
            }
        )
    )
    text = (ROOT / "schemathesis.toml").read_text()
    assert API_KEY_AUTH in text
    wfc = f'[auth.wfc]\npath = "{peers}"\npeers = ["tenant-a", "tenant-b"]\n'
    outcome = _run(built, text.replace(API_KEY_AUTH, wfc))
    outcome.assert_clean()
    assert "object_level_authorization" in outcome.checks
