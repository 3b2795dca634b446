"""`unauthenticated`: a request without a valid credential answers 401, a Problem and the schemes.

As CONTRIBUTING.md's `authentication` convention says, for every selected operation whose
security lists roles, with each of `wrong_credentials` (the document's `Unauthorized` answer).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from parley_spec import Contract, Operation

from parley_contract.checks.context import PROBLEM, CheckContext, judge, media_type
from parley_contract.client import ApiClient, Credential
from parley_contract.data import World
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "unauthenticated", "wrong_credentials"]

CHECK = "unauthenticated"


def wrong_credentials(contract: Contract) -> list[Credential | None]:
    """No credential, then one no server issued per security scheme the document declares."""
    schemes = contract.document.get("components", {}).get("securitySchemes", {})
    found: list[Credential | None] = [None]
    for scheme in (contract.resolve(s) for s in schemes.values()):
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            found.append(Credential(scheme["name"], f"unissued-{uuid.uuid4()}", "UNISSUED_KEY"))
        elif scheme.get("type") == "http" and str(scheme.get("scheme")).lower() == "bearer":
            found.append(Credential.bearer("not-a-jwt", "NOT_A_JWT"))
    return found


def unauthenticated(ctx: CheckContext) -> list[CheckOutcome]:
    """Send each selected operation that needs a role with each wrong credential.

    Returns:
        One outcome per (operation, credential), and a failed one per setup failure.
    """
    if not ctx.promised(CHECK):
        return []
    clients = [ApiClient(ctx.writer.base_url, c) for c in wrong_credentials(ctx.contract)]
    operations = [op for op in ctx.operations if op.scopes]
    try:
        return ctx.probe(
            CHECK, operations, lambda world, op: _check(world, op, clients), shared=True
        )
    finally:
        for client in clients:
            client.close()


def _check(world: World, op: Operation, clients: list[ApiClient]) -> Iterator[CheckOutcome]:
    path = op.fill_path(world.path_values(op))
    body = world.body_for(op)
    for client in clients:
        response = client.request(op.method, path, body=body)
        media = media_type(response)
        problem = None
        if response.status_code != 401 or media != PROBLEM:
            problem = f"answered {response.status_code} {media}, not 401 {PROBLEM}"
        elif "www-authenticate" not in response.headers:
            problem = "answered 401 without a WWW-Authenticate header"
        if problem is not None:
            given = client.credential.header if client.credential else "no credential"
            problem = (
                f"with {given} ({'none' if not client.credential else 'not issued'}): {problem}"
            )
        yield judge(op, CHECK, client, response, problem)
