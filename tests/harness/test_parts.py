"""The harness' parts that need no server: SSE parsing, curl, reports, summary, depth hook."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import httpx
import pytest
from click.testing import CliRunner
from parley_contract import ContractTestOptions, ContractTestResult, cli, options
from parley_contract.checks.deleted_reads import reads_of
from parley_contract.checks.idempotency import _changed
from parley_contract.checks.payloads import PayloadSchemas
from parley_contract.checks.streams import Event, completion_problem, parse_events
from parley_contract.client import Credential, curl_line
from parley_contract.data import Recipes
from parley_contract.depth import _Share, make_hook, make_unshadow
from parley_contract.fuzz import FuzzSettings, schemathesis_args
from parley_contract.reports import add_outcomes
from parley_contract.results import CheckOutcome, Tally
from parley_contract.validated import response_validated
from parley_contract.verdict import rows_of
from parley_spec import load_contract

CONTRACT = load_contract()


def test_parse_events_and_completion() -> None:
    body = (
        'id: 1\nevent: start\ndata: {"a": 1}\n\n'
        ": keep-alive\n\n"
        'id: 2\nevent: delta\ndata: {"content": "hi", "index": 0}\n\n'
        "id: 3\nevent: complete\ndata: {}\n\n"
    )
    events = parse_events(body)
    assert [e.event for e in events] == ["start", "delta", "complete"]
    assert events[1] == Event(id="2", event="delta", data='{"content": "hi", "index": 0}')
    ok = httpx.Response(200, headers={"content-type": "text/event-stream"}, text=body)
    assert completion_problem(ok, events) is None
    assert "ends with ['delta']" in str(completion_problem(ok, events[:2]))
    assert "ids are" in str(completion_problem(ok, events[1:]))
    renamed = [events[0], replace(events[1], event="progress"), events[2]]
    assert "only delta may" in str(completion_problem(ok, renamed))
    error_end = [events[0], replace(events[2], event="error")]
    assert "ids are" in str(completion_problem(ok, error_end))
    error_end[1] = replace(error_end[1], id="2")
    assert completion_problem(ok, error_end) is None


def test_stream_payloads_are_validated_against_the_event_schemas() -> None:
    send = CONTRACT.by_id("sendMessage")
    payloads = PayloadSchemas(CONTRACT, send.method, send.path, send.success_status)
    assert set(payloads.payloads) == {"start", "delta", "complete", "error"}
    assert payloads.problem("delta", '{"content": "hi", "index": 0}') is None
    assert '"index" is a required property' in str(payloads.problem("delta", '{"content": "x"}'))
    assert "not JSON" in str(payloads.problem("delta", "{"))
    assert "not one the spec documents" in str(payloads.problem("progress", "{}"))
    assert "does not match" in str(payloads.problem("complete", '{"id": 1}'))
    body = 'id: 1\nevent: delta\ndata: {"content": "x"}\n\nid: 2\nevent: complete\ndata: {}\n\n'
    ok = httpx.Response(200, headers={"content-type": "text/event-stream"}, text=body)
    start = Event(id="1", event="start", data="{}")
    events = [start, *[replace(e, id=str(int(e.id) + 1)) for e in parse_events(body)]]
    assert "event 1:" in str(completion_problem(ok, events, payloads))


def test_depth_pools_two_cases_in_three_per_operation() -> None:
    share = _Share()
    picks = [share.pick("GET /a") for _ in range(6)]
    assert picks == [True, True, False, True, True, False]
    assert share.pick("GET /b") is True


def test_cases_on_another_operations_literal_path_are_moved_off_it() -> None:
    unshadow = make_unshadow(CONTRACT)

    class Case:
        def __init__(self, template: str, params: dict[str, str]) -> None:
            self.operation = SimpleNamespace(path=template)
            self.path_parameters = params

        @property
        def formatted_path(self) -> str:
            return str(self.operation.path.format(**self.path_parameters))

    def sent(template: str, **params: str) -> str:
        case = Case(template, params)
        unshadow(case)
        return case.formatted_path

    template = "/v1/conversation/{conversation_id}"
    assert sent(template, conversation_id="deleted") == "/v1/conversation/deleted-0"
    assert sent(template, conversation_id="entity") == "/v1/conversation/entity-0"
    assert sent(template, conversation_id="0b9c") == "/v1/conversation/0b9c"
    assert sent("/v1/message/{message_id}", message_id="deleted") == "/v1/message/deleted-0"


def test_deleted_resources_are_read_by_the_operations_taking_their_id() -> None:
    recipes = Recipes(CONTRACT)

    def reads(operation_id: str) -> set[str]:
        found = reads_of(recipes, CONTRACT.by_id(operation_id), CONTRACT.operations)
        return {op.operation_id for op, _ in found}

    assert reads("deleteConversation") == {
        "getConversation",
        "listConversationMessages",
        "getConversationAnalytics",
    }
    assert reads("deleteQaConversation") == {"getQaConversation"}
    assert reads("deleteAgentConversation") == {"getAgentConversation"}
    assert reads("deleteConversationMessages") == set()
    assert reads("deleteMessage") == set()


def test_response_validated_needs_a_2xx_or_a_judged_stream() -> None:
    operations = CONTRACT.select(include_operation_ids=["getAgent", "streamAgentConversation"])
    get_agent, stream = operations
    tally = Tally()
    outcomes = [CheckOutcome(label=stream.label, check="stream_completion", passed=True)]
    results = response_validated(tally, operations, outcomes, streams_checked=True)
    assert [r.passed for r in results] == [True, True]  # no positive case: not exercised
    tally.operation(get_agent.label).add_positive(reached=False)
    results = response_validated(tally, operations, outcomes, streams_checked=True)
    assert [r.passed for r in results] == [False, True]
    tally.operation(get_agent.label).add_positive(reached=True)
    assert tally.operation(get_agent.label).share_2xx == 0.5
    results = response_validated(tally, operations, [], streams_checked=True)
    assert [r.passed for r in results] == [True, False]
    assert "no stream of it" in results[1].message


def test_curl_line_hides_the_credential_behind_its_environment_variable() -> None:
    credential = Credential.api_key("secret-key", "PARLEY_API_KEY")
    request = httpx.Request(
        "POST",
        "http://127.0.0.1:9/v1/agent",
        headers={"X-API-Key": "secret-key", "Content-Type": "application/json"},
        content=b'{"name": "it\'s"}',
    )
    line = curl_line(request, credential)
    assert "secret-key" not in line
    assert '-H "X-API-Key: $PARLEY_API_KEY"' in line
    assert line.startswith("curl -X POST") and line.endswith("http://127.0.0.1:9/v1/agent")
    bearer = Credential.bearer("tok", "PARLEY_BEARER_TOKEN")
    assert bearer.value == "Bearer tok" and bearer.shown == "Bearer $PARLEY_BEARER_TOKEN"


def test_a_reused_key_gets_a_body_with_one_free_text_changed() -> None:
    assert _changed({"agent_id": "x", "title": "t"}) == {"agent_id": "x", "title": "t (changed)"}
    assert _changed({"agent_id": "x"}) is None


def test_schemathesis_args_carry_every_option() -> None:
    settings = FuzzSettings(
        base_url="http://127.0.0.1:1",
        spec_path=Path("openapi.yaml"),
        headers={"X-API-Key": "k"},
        options=ContractTestOptions(
            include_tags=("qa",),
            exclude_tags=("agents",),
            include_operation_ids=("qaChat",),
            max_time=30,
            report_formats=("junit", "ndjson"),
            report_dir=Path("out"),
        ),
        config_file=Path("schemathesis.toml"),
        max_examples=5,
        seed=7,
        workers=2,
    )
    args = schemathesis_args(settings)
    assert args[:3] == ["--config-file", "schemathesis.toml", "run"]
    joined = " ".join(args)
    for expected in (
        "--url http://127.0.0.1:1",
        "--phases examples,coverage,fuzzing,stateful",
        "--include-tag qa",
        "--exclude-tag agents",
        "--include-operation-id qaChat",
        "--max-examples 5",
        "--seed 7",
        "--workers 2",
        "--max-time 30",
        "--report junit,ndjson",
        "--report-junit-path out/junit.xml",
        "--report-ndjson-path out/events.ndjson",
    ):
        assert expected in joined
    assert args[args.index("--header") + 1] == "X-API-Key: k"
    # Every check runs by default; `--checks` would override the per-operation switches.
    assert "--checks" not in args
    named = schemathesis_args(replace(settings, checks=("not_a_server_error",)))
    assert named[named.index("--checks") + 1] == "not_a_server_error"


OUTCOMES = [
    CheckOutcome("GET /v1/agent", "tenant_isolation", True, curl="curl a"),
    CheckOutcome("GET /v1/agent", "tenant_isolation", False, "leaked", "curl b"),
    CheckOutcome("POST /v1/agent", "idempotent_replay", True, curl="curl c"),
]


def test_reports_add_a_parley_suite_and_ndjson_lines(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    junit.write_text(
        '<?xml version="1.0"?>\n<testsuites tests="1" failures="0">'
        '<testsuite name="schemathesis" tests="1" failures="0"><testcase name="GET /x"/>'
        "</testsuite></testsuites>"
    )
    (tmp_path / "events.ndjson").write_text('{"EngineFinished": {}}\n')
    add_outcomes(tmp_path, ["junit", "ndjson"], OUTCOMES)
    root = ElementTree.parse(junit).getroot()
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"schemathesis", "parley"}
    assert suites["parley"].get("tests") == "2" and suites["parley"].get("failures") == "1"
    assert root.get("tests") == "3" and root.get("failures") == "1"
    failure = root.find(".//testcase[@name='GET /v1/agent [tenant_isolation]']/failure")
    assert failure is not None and "curl b" in (failure.text or "")
    lines = (tmp_path / "events.ndjson").read_text().splitlines()
    assert len(lines) == 4
    assert json.loads(lines[2])["ParleyCheck"]["message"] == "leaked"


@pytest.mark.parametrize("passing", [True, False])
def test_summary_table_rows_failures_and_curl(passing: bool) -> None:
    operations = CONTRACT.select(include_tags=["agents"])
    tally = Tally()
    tally.operation("POST /v1/agent").add(cases=10, failed=[])
    for reached in (True, False, False, False):
        tally.operation("POST /v1/agent").add_positive(reached=reached)
    tally.add_outcomes(OUTCOMES if not passing else OUTCOMES[::2])
    result = ContractTestResult("", Path(), 1, (), rows_of(tally, operations))
    text = result.summary
    lines = text.splitlines()
    header = ["Operation", "Cases", "Failures", "Positive", "2xx", "First", "failure"]
    assert lines[0].split() == header
    assert next(line for line in lines if line.startswith("createAgent")).split() == [
        "createAgent",
        "11",
        "0",
        "4",
        "!25%",
    ]
    assert "Under 30% of positive cases answered 2xx (barely exercised): createAgent (25%)" in text
    row = next(line for line in lines if line.startswith("listAgents"))
    if passing:
        assert row.split() == ["listAgents", "1", "0", "0", "-"]
        assert not tally.failed
    else:
        assert row.split() == ["listAgents", "2", "1", "0", "-", "tenant_isolation"]
        assert "    curl b" in lines
        assert tally.failed
    assert "Not exercised: getAgent" in text
    assert lines[-3].startswith("3 operations")


@pytest.mark.parametrize(
    ("version", "safe"),
    [
        ((3, 11, 7), False),
        ((3, 11, 8), True),
        ((3, 12, 1), False),
        ((3, 12, 2), True),
        ((3, 13, 0), True),
    ],
)
def test_worker_threads_are_safe_after_the_cpython_ast_fix(
    version: tuple[int, int, int], safe: bool
) -> None:
    assert cli.worker_threads_are_safe(version) is safe


def test_more_workers_are_refused_on_an_affected_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(options, "sys", SimpleNamespace(version_info=(3, 11, 7, "final", 0)))
    result = CliRunner().invoke(cli.contract_test, ["http://127.0.0.1:1", "--workers", "2"])
    assert result.exit_code == 2
    assert "--workers 2 needs CPython 3.11.8+ or 3.12.2+ (this is 3.11.7" in result.output


class _FakePool:
    """Hands out fake ids; records the operations it made path values for."""

    def __init__(self) -> None:
        self.contract = CONTRACT
        self.recipes = Recipes(CONTRACT)
        self.asked: list[str] = []

    def path_values(self, operation_id: str) -> dict[str, str]:
        self.asked.append(operation_id)
        names = self.contract.by_id(operation_id).path_parameters
        return {name: f"real-{name}" for name in names}

    def body_ids(self, operation_id: str) -> dict[str, str]:
        return {
            ref.pointer: "real-id" for ref in self.recipes.references(CONTRACT.by_id(operation_id))
        }


def _case(label: str, **parts: object) -> SimpleNamespace:
    return SimpleNamespace(
        operation=SimpleNamespace(label=label),
        meta=None,
        headers=parts.get("headers"),
        path_parameters=parts.get("path"),
        body=parts.get("body"),
        formatted_path="/generated",
    )


def test_depth_hook_fills_real_ids_and_fresh_idempotency_keys() -> None:
    pool = _FakePool()
    hook = make_hook(pool.contract, pool)  # type: ignore[arg-type]
    label = "DELETE /v1/conversation/{conversation_id}"
    cases = [_case(label, path={"conversation_id": f"gen-{i}"}) for i in range(3)]
    for case in cases:
        hook(None, case)
    assert [c.path_parameters["conversation_id"] for c in cases] == [
        "real-conversation_id",
        "real-conversation_id",
        "gen-2",
    ]
    send = _case(
        "POST /v1/conversation/{conversation_id}/chat",
        headers={"Idempotency-Key": "0"},
        path={"conversation_id": "gen"},
        body={"message": "hi"},
    )
    hook(None, send)
    assert send.headers["Idempotency-Key"] != "0" and len(send.headers["Idempotency-Key"]) == 36
    create = _case("POST /v1/conversation", body={"agent_id": "gen", "title": "t"})
    hook(None, create)
    assert create.body == {"agent_id": "real-id", "title": "t"}
    follow_up = _case("POST /api/v1/chat", body={"question": "q", "conversation_id": "gen"})
    hook(None, follow_up)
    assert follow_up.body == {"question": "q", "conversation_id": "real-id"}


def test_writes_that_move_what_they_address_to_a_stated_value_get_their_own() -> None:
    recipes = Recipes(CONTRACT)
    consuming = {op.operation_id for op in CONTRACT.operations if recipes.consumes(op)}
    with_path = {op for op in consuming if CONTRACT.by_id(op).path_parameters}
    assert with_path == {op.operation_id for op in CONTRACT.operations if op.method == "DELETE"} | {
        "endConversation",
        "updateConversation",
        "restoreConversation",
    }


def test_depth_hook_drops_made_up_framing_headers_of_valid_cases() -> None:
    hook = make_hook(CONTRACT, None)
    label = "GET /v1/conversation/{conversation_id}"
    made_up = {"content-length": "(PgG:", "Transfer-Encoding": "x", "I9": "BspuVc`"}
    case = _case(label, headers=dict(made_up), path={"conversation_id": "gen"})
    hook(None, case)
    assert case.headers == {"I9": "BspuVc`"}
    negative = _case(label, headers=dict(made_up), path={"conversation_id": "gen"})
    negative.meta = SimpleNamespace(is_negative_at=lambda location: True)
    hook(None, negative)
    assert negative.headers == made_up
