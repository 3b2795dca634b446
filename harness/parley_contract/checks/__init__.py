"""Checks beyond schemathesis: what a fuzzer cannot know about this contract.

Each check is a function of a `CheckContext` returning `CheckOutcome`s, reported next to
schemathesis' own checks (operation, check name, pass or fail, a curl line). The counts, orders,
filters, effects and soft deletes the document annotates are checked by
`parley_contract.promises`.
"""

from __future__ import annotations

from parley_contract.checks.answers import unsupported_methods
from parley_contract.checks.context import CheckContext, ExtraCheck
from parley_contract.checks.deleted_reads import deleted_is_gone
from parley_contract.checks.follow import stream_follow
from parley_contract.checks.idempotency import idempotency
from parley_contract.checks.in_flight import idempotency_in_flight
from parley_contract.checks.malformed import malformed_http
from parley_contract.checks.pagination import pagination_consistency
from parley_contract.checks.parents import wrong_parent
from parley_contract.checks.payloads_large import compressed_body, payload_too_large
from parley_contract.checks.rejected import rejected_write_no_trace
from parley_contract.checks.restores import soft_delete_restore
from parley_contract.checks.scopes import read_scope_allowed, write_scope_required
from parley_contract.checks.streams import streams
from parley_contract.checks.tenancy import tenant_isolation
from parley_contract.checks.tenant_writes import tenant_writes_leave_no_trace
from parley_contract.checks.unauthenticated import unauthenticated
from parley_contract.checks.unknown_ids import unknown_id
from parley_contract.client import ApiClient, Credential, curl_line
from parley_contract.results import CheckOutcome

__all__ = [
    "EXTRA_CHECKS",
    "ApiClient",
    "CheckContext",
    "Credential",
    "ExtraCheck",
    "curl_line",
    "run_extra_checks",
]

EXTRA_CHECKS: tuple[ExtraCheck, ...] = (
    write_scope_required,
    read_scope_allowed,
    tenant_isolation,
    idempotency,
    idempotency_in_flight,
    streams,
    pagination_consistency,
    deleted_is_gone,
    unsupported_methods,
    unknown_id,
    unauthenticated,
    malformed_http,
    stream_follow,
    payload_too_large,
    compressed_body,
    soft_delete_restore,
    rejected_write_no_trace,
    wrong_parent,
    tenant_writes_leave_no_trace,
)


def run_extra_checks(
    ctx: CheckContext, checks: tuple[ExtraCheck, ...] = EXTRA_CHECKS
) -> list[CheckOutcome]:
    """Run each of ``checks`` in turn; every outcome, in check order."""
    return [outcome for check in checks for outcome in check(ctx)]
