"""`parley contract-test` prints the promises report, and `--strict` fails on an unexercised one."""

from __future__ import annotations

from pathlib import Path

from parley_server.testing import build_app

from tests.harness.broken import App, rewrite_json
from tests.harness.promise_variants import PROMISE_VARIANTS, plain, when_query
from tests.harness.serving import serve
from tests.harness.test_broken_servers import contract_test

QUICK = ["--include-operation-id", "listConversations", "--phases", "examples"]
QUICK += ["--max-examples", "1", "--seed", "1"]
FILTER_ROW = ["listConversations", "filter", "status"]


def no_archived(app: App) -> App:
    """Plain reads of listConversations leave archived conversations out (filtered reads don't):
    the `status` filter's `archived` value is never seen on both sides."""

    def drop(document: dict[str, list[dict[str, str]]]) -> None:
        document["items"] = [c for c in document["items"] if c["status"] != "archived"]

    return when_query(app, plain, rewrite_json(app, "GET", "/v1/conversation", drop))


def promises_section(output: str) -> str:
    return output.split("Promises (x-parley-* annotations", 1)[1]


def test_strict_fails_a_run_in_which_a_promise_was_not_exercised(tmp_path: Path) -> None:
    server = build_app(f"sqlite:///{tmp_path / 'parley.db'}")
    key = ["--api-key", server.tenant.write_key, "--read-only-api-key", server.tenant.read_key]
    key += ["--other-tenant-api-key", server.other_tenant.write_key]
    with serve(no_archived(server.app)) as url:
        lenient = contract_test(url, *key, *QUICK, cwd=tmp_path, timeout=240)
        strict = contract_test(url, *key, *QUICK, "--strict", cwd=tmp_path, timeout=240)
    section = promises_section(lenient.stdout)
    assert lenient.returncode == 0, lenient.stdout[-3000:]
    line = next(x for x in section.splitlines() if x.split()[:3] == FILTER_ROW)
    assert line.split()[-2:] == ["not", "exercised"], section
    assert "why: the list showed no items on both sides of status=archived" in section
    assert "0 failed, 1 not exercised" in section
    assert strict.returncode == 1, strict.stdout[-3000:]


def test_a_broken_promise_fails_the_run_with_its_reproduction(tmp_path: Path) -> None:
    variant = next(v for v in PROMISE_VARIANTS if v.promise == "filter listConversations status")
    server = build_app(f"sqlite:///{tmp_path / 'parley.db'}")
    with serve(variant.wrap(server.app)) as url:
        result = contract_test(
            url, "--api-key", server.tenant.write_key, *QUICK, "--trace", cwd=tmp_path
        )
    assert result.returncode == 1, result.stdout[-3000:]
    section = promises_section(result.stdout)
    trace = section.split("Trace (sentence -> promise -> verdict)", 1)[1].splitlines()
    at = trace.index("/paths/~1v1~1conversation/get/parameters/3/description")
    assert trace[at + 1].split() == [
        "failed",
        "Only",
        "conversations",
        "in",
        "this",
        "lifecycle",
        "state.",
    ]
    assert trace[at + 2].strip() == "<- filter listConversations status: failed"
    summary = next(line for line in trace if line.startswith("Trace: "))
    assert " 1 failed, " in summary
    lines = section.splitlines()
    at = next(i for i, x in enumerate(lines) if x.split()[:3] == FILTER_ROW)
    assert lines[at].endswith("failed")
    assert "listed" in lines[at + 1] and "whose status differs" in lines[at + 1]
    assert lines[at + 2].strip().startswith("curl -X GET")
    assert "status=" in lines[at + 2]
    assert lines[at + 3].strip().startswith("parley contract-test ")
    assert "--include-operation-id listConversations" in lines[at + 3]
    assert "promise_filter" in result.stdout.split("parley contract-test summary", 1)[1]


def test_promises_the_extra_checks_judge_are_listed_not_exercised_without_their_keys(
    tmp_path: Path,
) -> None:
    server = build_app(f"sqlite:///{tmp_path / 'parley.db'}")
    with serve(server.app) as url:
        result = contract_test(url, "--api-key", server.tenant.write_key, *QUICK, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    lines = promises_section(result.stdout).splitlines()
    summary = next(line for line in lines if line.startswith("Trace: "))
    assert " 0 failed, " in summary and "Trace (sentence" not in result.stdout, lines[-3:]
    rows = {tuple(x.split()[:2]): i for i, x in enumerate(lines) if x.startswith("listConv")}
    for kind, why in (
        ("scope", "no --read-only-api-key was given"),
        ("tenancy", "no --other-tenant-api-key was given"),
    ):
        at = rows[("listConversations", kind)]
        assert lines[at].endswith("not exercised"), lines[at]
        assert lines[at + 1].strip() == f"why: {why}"
    for kind in ("pagination", "format"):
        assert lines[rows[("listConversations", kind)]].endswith("passed")
