"""Every promise of the contract's annotations is caught, alone, when a server breaks it.

One reference server, one child process (`promise_server`): each variant gets a tenant of its
own, and a dispatcher sends each request through the middleware of the variant whose API key
it carries. For each variant the promise checks run in full; exactly the variant's promise
must fail. A control tenant without middleware must pass every promise, each exercised. This
module judges the first half of the variants, `test_promise_variants_second_half.py` the
second, each against a server of its own (`promise_judging.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from parley_contract.checks import ApiClient, CheckContext, Credential
from parley_contract.promises import check_promises, inventory
from parley_contract.promises.convention import fuzz_judges
from parley_server.testing import build_app
from parley_spec import load_contract, spec_path

from tests.harness.broken import App, Receive, Scope, Send
from tests.harness.promise_judging import judge_half, variants_server
from tests.harness.promise_variants import PROMISE_VARIANTS
from tests.harness.promise_variants_c import ALONE, FUZZ_JUDGED
from tests.harness.serving import serve
from tests.harness.variants import VARIANTS as SERVER_VARIANTS

pytestmark = pytest.mark.slow  # over 10 s: left out of scripts/test --quick


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[list[str]]]]:
    """The variants' server: its URL and each tenant's keys (`variants_server`)."""
    with variants_server(tmp_path_factory.mktemp("promises")) as started:
        yield started


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


@pytest.mark.timeout(600)
def test_each_variant_of_the_first_half_fails_its_promise_alone(
    served: tuple[str, list[list[str]]],
) -> None:
    """Mutation score over the promises: every variant caught, by its promise only; the
    control passes every promise. The second half: `test_promise_variants_second_half.py`."""
    problems = judge_half(*served, half=0)
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
