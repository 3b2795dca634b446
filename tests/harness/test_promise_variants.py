"""Every promise of the contract's annotations is caught, alone, when a server breaks it.

One reference server, one child process (`promise_server`): each variant gets a tenant of its
own, and a dispatcher sends each request through the middleware of the variant whose API key
it carries. For each variant the promise checks run in full; exactly the variant's promise
must fail. A control tenant without middleware must pass every promise, each exercised.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from parley_contract.checks import ApiClient, CheckContext, Credential
from parley_contract.promises import PromisesReport, check_promises, inventory
from parley_contract.promises.convention import fuzz_judges
from parley_contract.runner import harness_checks
from parley_server.testing import build_app
from parley_spec import load_contract, spec_path

from tests.harness.broken import App, Receive, Scope, Send
from tests.harness.promise_variants import PROMISE_VARIANTS, PromiseVariant
from tests.harness.promise_variants_c import ALONE, FUZZ_JUDGED
from tests.harness.serving import serve
from tests.harness.variants import VARIANTS as SERVER_VARIANTS

pytestmark = pytest.mark.slow  # over 10 s: left out of scripts/test --quick

# Variants judged side by side (the server runs in a child process).
PARALLEL = 3


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[list[str]]]]:
    """The variants' server (`promise_server`, a child process): its URL and the keys of each
    variant's tenant (write, read-only, another tenant's), the control's last."""
    folder = tmp_path_factory.mktemp("promises")
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.harness.promise_server", str(folder)],
        cwd=Path(__file__).resolve().parents[2],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        started = json.loads(child.stdout.readline())
        # The first request waits for the server's lifespan (tenants seeded) to finish.
        httpx.get(f"{started['url']}/readyz", timeout=60).raise_for_status()
        yield started["url"], started["keys"]
    finally:
        if child.stdin is not None:
            child.stdin.close()  # the child stops when its input ends
        child.wait(timeout=30)


def judge(url: str, keys: list[str], variant: PromiseVariant | None) -> PromisesReport:
    """The promises' verdicts for the tenant of `keys` (write, read-only, another tenant's).

    A convention's variant and the control (None) are judged with every check of the harness
    (conventions are judged by them); the others by the promise checks alone, conventions
    left out.
    """
    contract = load_contract()
    writer, reader, other = (
        ApiClient(url, Credential.api_key(key, env))
        for key, env in zip(keys, ("PARLEY_API_KEY", "READ_KEY", "OTHER_KEY"), strict=True)
    )
    ctx = CheckContext(contract, contract.operations, writer)
    try:
        if variant is None or variant.promise.startswith("convention "):
            ctx = CheckContext(contract, contract.operations, writer, reader, other)
            report = harness_checks(ctx)[1]
            # Conventions judged on schemathesis' answers only are proven by `FUZZ_JUDGED`.
            fuzz = fuzz_judges()
            report.results = [
                r
                for r in report.results
                if r.promise.kind != "convention" or not set(r.promise.value.judge) <= fuzz
            ]
            return report
        report = check_promises(ctx)
        report.results = [r for r in report.results if r.promise.kind != "convention"]
        return report
    finally:
        for client in (writer, reader, other):
            client.close()


def test_every_promise_has_a_variant() -> None:
    keys = [p.key for p in inventory(load_contract())]
    assert len(keys) == len(set(keys))
    # Each promise has a variant; a promise whose check judges two sentences has one for each.
    proven = {v.promise for v in PROMISE_VARIANTS} | set(FUZZ_JUDGED) | set(ALONE)
    assert sorted(keys) == sorted(proven)
    names = [v.name for v in PROMISE_VARIANTS]
    assert len(names) == len(set(names))
    fuzz = fuzz_judges()
    for key in FUZZ_JUDGED:  # the others need a variant of the promise server
        value = next(p.value for p in inventory(load_contract()) if p.key == key)
        assert set(value.judge) <= fuzz or key in ALONE, key


def test_conventions_judged_by_schemathesis_reuse_a_broken_server_of_theirs() -> None:
    """Each convention judged only on schemathesis' answers names a broken server of
    `variants.py` (proven by `test_broken_servers.py`) that one of its judges catches."""
    conventions = {p.key: p.value for p in inventory(load_contract()) if p.kind == "convention"}
    servers = {v.name: v.check for v in SERVER_VARIANTS}
    for key, name in FUZZ_JUDGED.items():
        assert servers[name] in conventions[key].judge, (key, name)


def _verdict(variant: PromiseVariant, report: PromisesReport) -> str | None:
    failed = sorted(r.promise.key for r in report.failed)
    if failed != [variant.promise]:
        return f"{variant.name}: failed {failed}, expected [{variant.promise}]"
    unexercised = [f"{r.promise.key} ({r.detail})" for r in report.unexercised]
    if unexercised:
        return f"{variant.name}: not exercised {unexercised}"
    caught = report.result(variant.promise)
    if "curl -X" not in caught.curl:
        return f"{variant.name}: the failure has no curl line"
    return None


@pytest.mark.timeout(600)
def test_each_variant_fails_its_promise_alone(
    served: tuple[str, list[list[str]]],
) -> None:
    """Mutation score over the promises: every variant caught, by its promise only."""
    url, keys = served
    with ThreadPoolExecutor(PARALLEL) as pool:
        variants: list[PromiseVariant | None] = [*PROMISE_VARIANTS, None]
        reports = list(pool.map(lambda pair: judge(url, *pair), zip(keys, variants, strict=True)))
    control = reports[-1]

    assert not control.failed and not control.unexercised, [
        (r.promise.key, r.status, r.detail) for r in control.results if r.status != "passed"
    ]
    problems = [
        why
        for variant, report in zip(PROMISE_VARIANTS, reports, strict=False)
        if (why := _verdict(variant, report)) is not None
    ]
    assert not problems, "\n".join(problems)


RECENT = """  /v1/conversation/recent:
    get:
      operationId: listRecentConversations
      summary: List recently updated conversations
      description: The tenant's conversations, most recently updated first.
      tags: [conversations]
      x-parley-order:
        items: /items
        field: updated_at
        direction: desc
      security:
        - ApiKeyAuth: [read]
        - BearerAuth: [read]
      parameters:
        - $ref: '#/components/parameters/Page'
        - $ref: '#/components/parameters/PerPage'
        - name: agent_id
          in: query
          description: Only conversations with this agent.
          x-parley-filter:
            items: /items
            field: agent_id
          schema:
            type: string
            format: uuid
      responses:
        '200':
          description: One page of conversations.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ConversationPage'
"""


def recent(app: App, *, keep_filter: bool, direction: str) -> App:
    """Serves `GET /v1/conversation/recent` as `listConversations` sorted by `updated_at`."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/v1/conversation/recent":
            query = [
                part
                for part in scope.get("query_string", b"").decode().split("&")
                if part and (keep_filter or not part.startswith("agent_id="))
            ]
            query += ["sort_by=updated_at", f"sort_order={direction}"]
            scope = {**scope, "path": "/v1/conversation", "query_string": "&".join(query).encode()}
        await app(scope, receive, send)

    return wrapped


@pytest.mark.parametrize(
    ("keep_filter", "direction", "failed"),
    [
        (True, "desc", []),
        (False, "desc", ["filter listRecentConversations agent_id"]),
        (True, "asc", ["order listRecentConversations"]),
    ],
)
def test_a_new_annotated_list_is_checked_by_its_annotations_alone(
    tmp_path: Path, keep_filter: bool, direction: str, failed: list[str]
) -> None:
    """A list operation and its filter added to a copy of the spec get their checks, and the
    checks catch a server that breaks them (and pass one that keeps them)."""
    text = spec_path().read_text(encoding="utf-8")
    anchor = "  /v1/conversation/entity:\n"
    copy = tmp_path / "openapi.yaml"
    copy.write_text(text.replace(anchor, RECENT + "\n" + anchor, 1), encoding="utf-8")
    spec = load_contract(copy)
    server = build_app(f"sqlite:///{tmp_path / 'parley.db'}")
    with serve(recent(server.app, keep_filter=keep_filter, direction=direction)) as url:
        client = ApiClient(url, Credential.api_key(server.tenant.write_key, "PARLEY_API_KEY"))
        ctx = CheckContext(
            spec, spec.select(include_operation_ids=["listRecentConversations"]), client
        )
        try:
            report = check_promises(ctx)
        finally:
            client.close()
    # Conventions are judged from the run's checks (`harness_checks`), not here.
    report.results = [r for r in report.results if r.promise.kind != "convention"]
    keys = sorted(r.promise.key for r in report.results)
    # Its own order and filter, and the schema-level promises of the items it lists.
    assert keys == [
        "count listConversations Conversation.message_count",
        "filter listRecentConversations agent_id",
        "order listRecentConversations",
        "timestamps listConversations Conversation",
    ]
    assert not report.unexercised, [(r.promise.key, r.detail) for r in report.unexercised]
    assert sorted(r.promise.key for r in report.failed) == failed
