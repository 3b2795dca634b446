"""Convention judges proven on broken servers of their own, outside the promise server.

The promise server routes a request to a variant by the tenant key it carries; the requests
of `unauthenticated` carry none (or one nobody issued), so its variant is served alone here.
"""

from __future__ import annotations

from pathlib import Path

from parley_contract.checks import ApiClient, CheckContext, Credential
from parley_contract.runner import harness_checks
from parley_server.testing import build_app
from parley_spec import load_contract

from tests.harness import broken
from tests.harness.serving import serve

AUTHENTICATION = "convention listAgents authentication"


def test_unauthenticated_catches_a_401_without_schemes(tmp_path: Path) -> None:
    """A 401 without `WWW-Authenticate` on one operation fails `authentication` alone."""
    server = build_app(f"sqlite:///{tmp_path / 'parley.db'}")
    app = broken.drop_response_header(server.app, "GET", "/v1/agent", b"www-authenticate")
    contract = load_contract()
    with serve(app) as url:
        client = ApiClient(url, Credential.api_key(server.tenant.write_key, "PARLEY_API_KEY"))
        try:
            ctx = CheckContext(
                contract, contract.select(include_operation_ids=["listAgents"]), client
            )
            _, report = harness_checks(ctx)
        finally:
            client.close()
    failed = [r.promise.key for r in report.failed]
    assert failed == [AUTHENTICATION], failed
    assert "WWW-Authenticate" in report.result(AUTHENTICATION).detail
