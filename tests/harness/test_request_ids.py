"""The `request_id` check: each way an answer can break the request-id promise, and its set-up."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from parley_contract.requestids import (
    CHECK,
    RequestIdPromise,
    judge_request_id,
    promise_of,
    request_ids_checked,
)
from parley_spec import Contract, load_contract, spec_path

PROMISE = RequestIdPromise(pattern="^[A-Za-z0-9._:+/=@-]{1,128}$")
PROBLEM = "application/problem+json"


def _problem(request_id: str | None) -> bytes:
    body: dict[str, object] = {"type": "about:blank", "title": "Nope", "status": 404}
    if request_id is not None:
        body["request_id"] = request_id
    return json.dumps(body).encode()


def test_the_promise_is_read_from_the_contract() -> None:
    promise = promise_of(load_contract())
    assert promise == RequestIdPromise(
        pattern="^[A-Za-z0-9._:+/=@-]{1,128}$", min_length=1, max_length=128
    )
    assert promise.well_formed("req_1") and promise.well_formed("x" * 128)
    assert not promise.well_formed("x" * 129) and not promise.well_formed("a b")


def test_a_contract_without_the_header_promises_nothing(tmp_path: Path) -> None:
    document = yaml.safe_load(spec_path().read_text().replace("RequestId", "TraceId"))
    copy = Contract(document)
    assert promise_of(copy) is None
    with request_ids_checked(copy) as promise:
        assert promise is None


@pytest.mark.parametrize(
    ("sent", "answered", "media", "body", "title"),
    [
        (None, [], "application/json", b"{}", "Response without X-Request-ID"),
        ("abc", [], PROBLEM, _problem(None), "Response without X-Request-ID"),
        (None, ["a", "b"], "application/json", b"{}", "Several X-Request-ID headers"),
        (None, ["two words"], "application/json", b"{}", "Malformed X-Request-ID"),
        ("bad id", ["bad id"], "application/json", b"{}", "Malformed X-Request-ID"),
        ("mine-1", ["req_other"], "application/json", b"{}", "X-Request-ID not echoed"),
        ("mine-1", ["mine-1"], PROBLEM, _problem("req_0"), "Problem request_id differs"),
        (None, ["req_1"], PROBLEM, _problem("req_2"), "Problem request_id differs"),
    ],
)
def test_each_broken_answer_is_named(
    sent: str | None, answered: list[str], media: str, body: bytes, title: str
) -> None:
    broken = judge_request_id(PROMISE, sent, answered, media, body)
    assert broken is not None and broken[0].startswith(title), broken


@pytest.mark.parametrize(
    ("sent", "answered", "media", "body"),
    [
        (None, ["req_1"], "application/json", b"{}"),  # made by the server
        ("mine-1", ["mine-1"], "application/json", b"{}"),  # echoed
        ("bad id", ["req_1"], "application/json", b"{}"),  # a malformed one replaced
        ("x" * 129, ["req_1"], PROBLEM, _problem("req_1")),  # too long: replaced
        (None, ["req_1"], PROBLEM, _problem(None)),  # request_id is optional
        (None, ["req_1"], PROBLEM, b"not json"),  # left to response_schema_conformance
    ],
)
def test_answers_that_keep_the_promise_pass(
    sent: str | None, answered: list[str], media: str, body: bytes
) -> None:
    assert judge_request_id(PROMISE, sent, answered, media, body) is None


def test_the_check_and_hook_live_only_while_the_block_lasts() -> None:
    from schemathesis.checks import CHECKS
    from schemathesis.core.failures import Failure
    from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

    before = list(GLOBAL_HOOK_DISPATCHER.get_all_by_name("before_call"))
    with request_ids_checked(load_contract()):
        assert CHECK in CHECKS.get_all_names()
        hooks = GLOBAL_HOOK_DISPATCHER.get_all_by_name("before_call")
        (hook,) = [h for h in hooks if h not in before]
        sent = []
        for _ in range(3):
            case = SimpleNamespace(headers={"X-API-Key": "k", "x-request-id": "stale"})
            hook(None, case)
            sent.append(case.headers.get("X-Request-ID"))
            assert "x-request-id" not in case.headers and case.headers["X-API-Key"] == "k"
        # In turn: none (the server makes one), well-formed (echoed), malformed (replaced).
        assert sent[0] is None
        assert PROMISE.well_formed(sent[1] or "") and sent[1] != sent[0]
        assert not PROMISE.well_formed(sent[2] or "x y")
        check: Any = CHECKS.get_one(CHECK)
        response = SimpleNamespace(
            request=SimpleNamespace(headers={"X-Request-ID": "mine"}),
            headers={"x-request-id": ["other"], "content-type": ["application/json"]},
            content=b"{}",
        )
        case = SimpleNamespace(operation=SimpleNamespace(label="GET /v1/agent"))
        with pytest.raises(Failure, match="X-Request-ID not echoed"):
            check(None, response, case)
    assert CHECK not in CHECKS.get_all_names()
    assert list(GLOBAL_HOOK_DISPATCHER.get_all_by_name("before_call")) == before
