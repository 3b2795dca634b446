"""Pre-flight: refuse, in one line and before any fuzzing, a target the run cannot test.

`parley contract-test` checks, in this order, and stops at the first problem with exit code 2
(a usage error: nothing was tested):

1. the URL is an http(s) URL with a host (no network);
2. the spec file exists and is an OpenAPI document the harness can read (no network);
3. something answers HTTP at the URL, and a read operation accepts the credential (not 401/403);
4. the read-only and other-tenant keys, when given, are accepted by the same read operation;
5. with up to two create operations linked to a read-by-id operation (a POST without path
   parameters whose link passes an id of its answer to a GET of one path parameter), one
   resource each is created with the main
   credential; a read-only key that gets 404 reading every one belongs to another tenant, one
   that is not refused creating through every one can write, and an other-tenant key that
   reads every one sees this tenant's data (or is a key of the same tenant). Needing every
   probe to agree tells a wrong key from a server bug on one operation, which the extra checks
   report instead.

Every probe has a short timeout, so the whole pre-flight takes well under two seconds against
a server that answers (or refuses connections) promptly.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import yaml
from parley_spec import MISSING, Contract, Exchange, Operation, SpecError, parse_document

from parley_contract.client import Credential
from parley_contract.target import Target

__all__ = ["PROBE_TIMEOUT", "PreflightError", "check_spec", "check_target", "check_url"]

PROBE_TIMEOUT = httpx.Timeout(1.5, connect=1.0)
"""Per-request timeout of the probes: 1 s to connect, 1.5 s for the answer."""

_REJECTED = (401, 403)
MAX_PROBES = 2
"""Create -> read-by-id pairs the tenant and scope probes use (when the spec has them)."""


class PreflightError(Exception):
    """The target cannot be tested; the message is one line saying why and what to do."""


def check_url(url: str) -> str:
    """The base URL without a trailing slash, when it is an http(s) URL with a host.

    Raises:
        PreflightError: Another scheme, no host, a bad port, a query or a fragment.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise PreflightError(f"{url!r} is not a valid URL ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PreflightError(
            f"{url!r} is not an http(s) URL with a host, e.g. http://127.0.0.1:8080"
        )
    if port == 0:
        raise PreflightError(f"{url!r} has port 0, which nothing listens on")
    if parts.query or parts.fragment:
        raise PreflightError(f"{url!r}: a base URL takes no query or fragment")
    if not _plausible_host(parts.hostname):
        raise PreflightError(f"{url!r}: {parts.hostname!r} is not a host name or IP address")
    return url.rstrip("/")


def _plausible_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        labels = host.rstrip(".").split(".")
        return all(label and all(c.isalnum() or c == "-" for c in label) for label in labels)


def check_spec(path: Path) -> Contract:
    """Load the spec, turning every way it can be unusable into one line.

    Raises:
        PreflightError: The file is missing, unreadable, not YAML/JSON or not an OpenAPI
            document with operations.
    """
    if not path.exists():
        raise PreflightError(f"spec file {path} does not exist")
    if not path.is_file():
        raise PreflightError(f"spec file {path} is not a file")
    try:
        document = parse_document(path.read_text(encoding="utf-8"), str(path))
        if "openapi" not in document:
            raise PreflightError(f"spec file {path} is not an OpenAPI document (no 'openapi' key)")
        if not isinstance(document.get("paths"), dict):
            raise PreflightError(f"spec file {path} has no 'paths' object")
        contract = Contract(document, path)
        contract.annotations  # noqa: B018 - an annotation that breaks the vocabulary stops here
    except PreflightError:
        raise
    except UnicodeDecodeError as exc:
        raise PreflightError(f"spec file {path} is not UTF-8 text ({exc.reason})") from exc
    except SpecError as exc:
        if "x-parley-*" in str(exc):
            raise PreflightError(f"spec file {path}: {exc}".replace("\n", "; ")) from exc
        if not isinstance(exc.__cause__, yaml.YAMLError):  # a scalar or a list, not a mapping
            raise PreflightError(
                f"spec file {path} is not an OpenAPI document (no 'openapi' key)"
            ) from exc
        mark = getattr(exc.__cause__, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise PreflightError(f"spec file {path} is not valid YAML or JSON{where}") from exc
    except OSError as exc:
        raise PreflightError(f"spec file {path} cannot be read ({exc.strerror or exc})") from exc
    except Exception as exc:  # yaml errors, missing keys, wrong shapes
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PreflightError(
            f"spec file {path} is not a usable OpenAPI document ({first})"
        ) from exc
    if not contract.operations:
        raise PreflightError(f"spec file {path} describes no operation")
    return contract


def check_target(target: Target, contract: Contract, operations: Sequence[Operation]) -> None:
    """Probe the live target with each credential (see the module docstring for the order).

    Args:
        target: The server and its credentials.
        contract: The whole contract (links may lead outside the selected operations).
        operations: The operations selected for the run; probes prefer them.

    Raises:
        PreflightError: The first problem found.
    """
    read = _read_probe(contract, operations)
    # Plain http needs no CA bundle: loading one costs a quarter of the pre-flight's CPU.
    verify = target.base_url.startswith("https:")
    with httpx.Client(base_url=target.base_url, timeout=PROBE_TIMEOUT, verify=verify) as client:
        if read is None:
            _reach(client, target.base_url)
            return
        named = [("credential", target.credential)]
        if target.read_only is not None:
            named.append(("read-only key", target.read_only))
        if target.other_tenant is not None:
            named.append(("other-tenant key", target.other_tenant))
        for role, credential in named:
            status = _send(client, target.base_url, "GET", read.path, credential).status_code
            if status in _REJECTED:
                raise PreflightError(
                    f"the server rejected the {role} in ${credential.env}: GET {read.path} "
                    f"answered {status}; pass a valid one"
                )
        if target.read_only is not None or target.other_tenant is not None:
            _check_tenancy(client, target, contract, operations)


def _reach(client: httpx.Client, base_url: str) -> None:
    try:
        client.get("/")
    except httpx.HTTPError as exc:
        raise _unreachable(base_url, exc) from exc


def _send(
    client: httpx.Client,
    base_url: str,
    method: str,
    path: str,
    credential: Credential,
    body: Any = None,
) -> httpx.Response:
    try:
        return client.request(
            method, path, headers={credential.header: credential.value}, json=body
        )
    except httpx.HTTPError as exc:
        raise _unreachable(base_url, exc) from exc


def _unreachable(base_url: str, exc: httpx.HTTPError) -> PreflightError:
    if isinstance(exc, httpx.ConnectError):
        reason = str(exc) or "connection refused"
        return PreflightError(f"nothing answers at {base_url} ({reason}); is the server running?")
    if isinstance(exc, httpx.TimeoutException):
        return PreflightError(f"{base_url} did not answer within {PROBE_TIMEOUT.read} s")
    return PreflightError(f"{base_url} does not answer HTTP ({type(exc).__name__}: {exc})")


def _read_probe(contract: Contract, operations: Sequence[Operation]) -> Operation | None:
    """A GET that needs only the `read` scope and no path parameter: selected ones first."""
    for candidates in (operations, contract.operations):
        for op in candidates:
            if op.method == "GET" and not op.path_parameters and not op.needs_write:
                return op
    return None


def _pairs(contract: Contract, operations: Sequence[Operation]) -> list[tuple[Operation, Any]]:
    """(create, link to a read-by-id) from the contract's links; selected ones first."""
    selected = set(operations)
    found: list[tuple[Operation, Any]] = []
    for create in contract.operations:
        if create.method != "POST" or create.path_parameters or create.example_body() is None:
            continue
        for link in create.links:
            reader = contract.get(link.operation_id)
            if (
                reader is not None
                and reader.method == "GET"
                and len(reader.path_parameters) == 1
                and len(link.parameters) == 1
                and str(next(iter(link.parameters.values()))).startswith("$response.body#")
            ):
                found.append((create, link))
    found.sort(key=lambda pair: not {pair[0], contract.by_id(pair[1].operation_id)} <= selected)
    return found


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return MISSING


def _check_tenancy(
    client: httpx.Client, target: Target, contract: Contract, operations: Sequence[Operation]
) -> None:
    """Tell a wrong key from a server bug: a verdict needs every probe (up to two) to agree.

    A read-only key that writes through every probed create operation is a read-and-write
    key; one that writes through only one of them is a scope bug of that operation, which the
    `write_scope_required` check reports. Likewise for the tenant probes. A probe request that
    times out (a slow create) gives no verdict either way.
    """

    def answer(
        method: str, path: str, credential: Credential, body: Any = None
    ) -> httpx.Response | None:
        try:
            return client.request(
                method, path, headers={credential.header: credential.value}, json=body
            )
        except httpx.TimeoutException:
            return None
        except httpx.HTTPError as exc:
            raise _unreachable(target.base_url, exc) from exc

    def status(method: str, path: str, credential: Credential, body: Any = None) -> int | None:
        response = answer(method, path, credential, body)
        return None if response is None else response.status_code

    probes: list[tuple[Operation, Operation, str]] = []
    for create, link in _pairs(contract, operations):
        if len(probes) == MAX_PROBES or any(create is done for done, _, _ in probes):
            continue
        made = answer("POST", create.path, target.credential, create.example_body())
        if made is None or not made.is_success:
            continue  # unimplemented, needs data or slow: try the next
        linked = contract.follow(link, Exchange(response_body=_json(made)))
        values = linked.in_location("path")
        if set(values) == set(linked.operation.path_parameters) and all(
            isinstance(v, str | int) for v in values.values()
        ):
            probes.append((create, linked.operation, linked.operation.fill_path(values)))
    if not probes:
        return

    def everywhere(verdict: Callable[[Operation, str], bool]) -> bool:
        return all(verdict(create, path) for create, _, path in probes)

    first_create, first_reader, _ = probes[0]
    read_only, other = target.read_only, target.other_tenant
    if read_only is not None:
        if everywhere(lambda _c, path: status("GET", path, read_only) == 404):
            raise PreflightError(
                f"the read-only key in ${read_only.env} belongs to another tenant: "
                f"GET {first_reader.path} of a resource the main credential created answered 404"
            )
        if everywhere(
            lambda create, _p: (
                status("POST", create.path, read_only, create.example_body())
                not in (*_REJECTED, None)
            ),
        ):
            raise PreflightError(
                f"the read-only key in ${read_only.env} can write: POST {first_create.path} "
                "was not refused with 403; pass a key with only the read scope"
            )
    if other is not None and everywhere(
        lambda _c, path: 200 <= (status("GET", path, other) or 0) < 300
    ):
        raise PreflightError(
            f"the other-tenant key in ${other.env} sees this tenant's data: GET "
            f"{first_reader.path} answered 2xx (expected 404); is it a key of the same tenant?"
        )
