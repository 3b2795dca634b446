"""`run_contract_test` from Python: a typed result, the CLI's run, `os.environ` left alone."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from parley_contract import (
    CheckReport,
    CheckRow,
    ContractTestOptions,
    ContractTestResult,
    OptionError,
    PreflightError,
    cli,
    run_contract_test,
)
from parley_contract.fuzz import FuzzSettings, load_configuration, run_schemathesis
from parley_server.testing import InProcessApp, build_app
from parley_spec import load_contract

from tests.harness.serving import serve
from tests.harness.variants import VARIANTS

# The variables the shared `schemathesis.toml` reads; a run must not export them.
CREDENTIAL_VARIABLES = ("PARLEY_API_KEY", "PARLEY_BEARER_TOKEN")


def test_embedded_server_passes_with_a_row_for_every_operation() -> None:
    lines: list[str] = []
    result = run_contract_test(
        ContractTestOptions(phases=("examples",), seed=5), progress=lines.append
    )

    assert result.passed and result.exit_status == 0, result.summary
    assert result.seed == 5 and result.phases == ("examples",)
    assert result.failures == () and result.errors == () and result.reproduce == ()
    spec_ids = [op.operation_id for op in load_contract().operations]
    assert [row.operation_id for row in result.operations] == spec_ids
    for row in result.operations:
        assert row.cases > 0 and row.failures == 0 and row.first_failure is None, row
    # Rows are what the printed table says.
    table = [line.split() for line in result.summary.splitlines() if line.strip()]
    for row in result.operations:
        printed = next(cells for cells in table if cells[0] == row.operation_id)
        assert printed[1:4] == [str(row.cases), str(row.failures), str(row.positive)]
    get_agent = result.row("getAgent")
    assert get_agent.positive > 0 and get_agent.share_2xx is not None
    assert "33 operations" in result.summary and ", 0 failures" in result.summary
    # The extra checks ran with the embedded server's second tenant and read-only key.
    checked = {outcome.check for outcome in result.checks}
    assert {"tenant_isolation", "write_scope_required", "response_validated"} <= checked
    assert all(outcome.passed for outcome in result.checks)
    # Progress went to the callback, not to the result.
    assert lines[0].startswith("Contract-testing http://127.0.0.1:")
    assert "seed 5" in lines[0]
    assert "  response_validated: 33 passed, 0 failed" in lines
    with pytest.raises(KeyError):
        result.row("noSuchOperation")


@pytest.fixture
def listing_without_pages(
    tmp_path: Path,
) -> Iterator[tuple[str, InProcessApp, list[dict[str, str]]]]:
    """The reference server whose listConversations page lacks `pages`, by URL.

    Also yields, for each request it answered, the credential variables `os.environ` held at
    that moment: the server runs in this process, so it sees what the run exported.
    """
    variant = next(v for v in VARIANTS if v.name == "field missing from a response")
    server = build_app(f"sqlite:///{tmp_path / 'parley.db'}")
    app = variant.wrap(server)
    seen: list[dict[str, str]] = []

    async def observed(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            seen.append(
                {name: os.environ[name] for name in CREDENTIAL_VARIABLES if name in os.environ}
            )
        await app(scope, receive, send)

    with serve(observed) as url:
        yield url, server, seen


def test_broken_server_fails_with_a_replay_command_and_never_exports_the_key(
    listing_without_pages: tuple[str, InProcessApp, list[dict[str, str]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, server, seen = listing_without_pages
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    before = dict(os.environ)
    key = server.tenant.write_key
    options = ContractTestOptions(
        url=url,
        api_key=key,
        include_operation_ids=("listConversations",),
        phases=("examples",),
        seed=3,
        extra_checks=False,
    )

    result = run_contract_test(options)

    assert dict(os.environ) == before
    # schemathesis' requests carried the key, yet no request saw it in the environment.
    assert seen and all(environment == {} for environment in seen)
    assert not result.passed and result.exit_status == 1
    row = result.row("listConversations")
    assert row.failures >= 1 and row.first_failure is not None
    assert "response_schema_conformance" in row.failed_checks
    (failure,) = result.failures
    assert failure.operation_id == "listConversations"
    assert failure.label == "GET /v1/conversation"
    assert "response_schema_conformance" in failure.failed_checks
    assert failure.command == (
        f'parley contract-test {url} --api-key "$PARLEY_API_KEY" --phases examples '
        "--no-extra-checks --seed 3 --include-operation-id listConversations"
    )
    assert result.reproduce[-1] == f"  {failure.command}"
    assert "$PARLEY_API_KEY" in failure.curl and key not in failure.curl
    assert key not in result.summary


def test_options_no_run_can_use_are_refused_before_anything_starts() -> None:
    with pytest.raises(OptionError, match="phases are examples, coverage") as bad_phase:
        run_contract_test(ContractTestOptions(phases=("examples", "smoke")))
    assert bad_phase.value.option == "--phases"
    with pytest.raises(OptionError, match=r"unknown report format \['pdf'\]"):
        run_contract_test(ContractTestOptions(report_formats=("pdf",)))
    with pytest.raises(PreflightError, match="testing a URL needs --api-key or --bearer-token"):
        run_contract_test(ContractTestOptions(url="http://127.0.0.1:1"))
    with pytest.raises(PreflightError, match="leave no operation"):
        run_contract_test(ContractTestOptions(include_tags=("no-such-tag",)))


def _result(*reports: CheckReport) -> ContractTestResult:
    return ContractTestResult(
        base_url="http://127.0.0.1:1",
        spec_path=Path("openapi.yaml"),
        seed=1,
        phases=("examples",),
        operations=(),
        failures=(),
        checks=(),
        errors=(),
        report_files=(),
        elapsed=0.0,
        reports=reports,
    )


def test_a_failed_row_of_a_joined_report_fails_the_run() -> None:
    unchecked = CheckReport(
        "promises", (CheckRow("order", "passed"), CheckRow("counts", "unchecked", "no list"))
    )
    assert _result(unchecked).exit_status == 0
    failed = CheckReport("promises", (CheckRow("order", "failed", "newest last"),))
    assert _result(unchecked, failed).exit_status == 1
    assert (failed.count("failed"), unchecked.count("unchecked"), unchecked.passed) == (1, 1, True)


def test_configuration_takes_the_credential_without_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PARLEY_API_KEY", raising=False)
    monkeypatch.setenv("PARLEY_TEST_REGION", "eu")
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        'headers = { X-Region = "${PARLEY_TEST_REGION}", X-Literal = "$${PARLEY_API_KEY}" }\n'
        '[auth.openapi.ApiKeyAuth]\napi_key = "${PARLEY_API_KEY}"\n'
        '[parameters]\n"query.page" = "1"\n'
    )
    settings = FuzzSettings(
        base_url="http://127.0.0.1:1",
        spec_path=Path("openapi.yaml"),
        headers={},
        config_file=config,
        environment={"PARLEY_API_KEY": "k$${x}$"},
    )
    before = dict(os.environ)

    loaded = load_configuration(settings)

    assert dict(os.environ) == before
    project = loaded.projects.get_default()
    # The value is taken literally: its `$${` and a trailing `$` are not placeholders.
    assert project.auth.openapi.schemes["ApiKeyAuth"].api_key == "k$${x}$"
    # Other placeholders still come from the environment; escapes stay literal.
    assert project.headers == {"X-Region": "eu", "X-Literal": "${PARLEY_API_KEY}"}
    assert project.parameters == {"query.page": "1"}
    assert loaded.config_path == str(config.resolve())


def test_a_configuration_that_does_not_load_is_reported_by_schemathesis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text("[generation\n")
    settings = FuzzSettings(
        base_url="http://127.0.0.1:1",
        spec_path=Path("openapi.yaml"),
        headers={},
        config_file=config,
        environment={"PARLEY_API_KEY": "k"},
    )

    code, tally = run_schemathesis(settings)

    assert code == 2 and tally.errors == ["schemathesis exited with 2"]
    output = capsys.readouterr().out
    assert f"Failed to load configuration file from {config}" in output
    assert "not valid TOML" in output


def test_the_command_prints_a_joined_report_with_the_rows_that_did_not_pass(
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = CheckReport(
        "promises",
        (
            CheckRow("listConversations order", "passed"),
            CheckRow("message_count", "failed", "5 counted, 4 listed"),
            CheckRow("analytics flow", "unchecked", "no annotation the harness reads"),
        ),
    )
    cli._print_report(report)
    assert capsys.readouterr().out.splitlines() == [
        "",
        "promises: 1 passed, 1 failed, 1 unchecked",
        "  failed: message_count: 5 counted, 4 listed",
        "  unchecked: analytics flow: no annotation the harness reads",
    ]
