"""One operation's request and answer, taken from its generated module's public function.

Every generated operation module (``parley_client.api.conversations.get_conversation``...) has
a public ``sync_detailed(*args, client=AuthenticatedClient, **kwargs)`` that builds the
request, sends it through ``client.get_httpx_client().request(**request)`` and parses the
answer. The overlays use it twice, without I/O, through an :class:`_Exchange` standing in for
that httpx client:

- :func:`describe` runs it with an exchange that records the request (method, URL, query,
  JSON body, headers) and stops it there; the client then sends that request itself, with the
  call's options, extras and retries.
- :func:`parse` runs it again with an exchange that hands back the answer already received,
  so the generated parser turns it into the model the contract promises.

So the request shapes and the parsers stay the generator's, and nothing of ``parley_client``
that is private is touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, cast

import httpx
from parley_client import AuthenticatedClient

from ._errors import APIResponseValidationError


@dataclass
class RequestSpec:
    """A request as a generated function builds it, with the per-call extras merged in.

    Attributes:
        method: The HTTP method, such as ``"post"``.
        url: The path, relative to the client's base URL.
        params: The query parameters.
        json: The JSON body, or None when the operation sends none.
        headers: Headers the generated function sets (Content-Type, a documented header).
    """

    method: str
    url: str
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class _Described(Exception):
    def __init__(self, request: dict[str, Any]):
        super().__init__("request recorded")
        self.request = request


class _Exchange:
    """What a generated function takes for an httpx client: records, or replays an answer."""

    def __init__(self, answer: httpx.Response | None = None):
        self._answer = answer

    def request(self, **request: Any) -> httpx.Response:
        if self._answer is None:
            raise _Described(request)
        return self._answer


def _client(exchange: _Exchange) -> AuthenticatedClient:
    client = AuthenticatedClient(base_url="", token="")
    return client.set_httpx_client(cast(httpx.Client, exchange))


def _merge(built: Mapping[str, Any], extra: Mapping[str, Any] | None, what: str) -> dict[str, Any]:
    """``built`` with ``extra`` added; a name in both is refused.

    Raises:
        ValueError: ``extra`` names something the method already sends.
    """
    merged = dict(built)
    if not extra:
        return merged
    clash = sorted(name for name in extra if name in merged)
    if clash:
        raise ValueError(
            f"{what} sets {', '.join(map(repr, clash))}, which the method already sends;"
            " pass it as the method's argument instead"
        )
    merged.update(extra)
    return merged


def describe(
    operation: ModuleType,
    args: tuple[Any, ...],
    kwargs: Mapping[str, Any],
    *,
    extra_query: Mapping[str, Any] | None = None,
    extra_body: Mapping[str, Any] | None = None,
) -> RequestSpec:
    """The request ``operation.sync_detailed(*args, **kwargs)`` would send, plus the extras.

    Args:
        operation: A generated operation module.
        args: Its positional arguments (path parameters).
        kwargs: Its keyword arguments (``body``, query parameters), without ``client``.
        extra_query: Query parameters to add (names the method does not send).
        extra_body: JSON members to add to the body (names the body does not have).

    Returns:
        The request to send.

    Raises:
        ValueError: An extra names a parameter or member the method already sends.
    """
    try:
        operation.sync_detailed(*args, client=_client(_Exchange()), **kwargs)
    except _Described as described:
        request = described.request
    else:  # pragma: no cover - every generated function sends one request
        raise RuntimeError(f"{operation.__name__} sent no request")
    body = request.get("json")
    if extra_body:
        if body is not None and not isinstance(body, Mapping):
            raise ValueError("extra_body needs an operation whose body is a JSON object")
        body = _merge(body or {}, extra_body, "extra_body")
    return RequestSpec(
        method=request["method"].upper(),
        url=request["url"],
        params=_merge(request.get("params") or {}, extra_query, "extra_query"),
        json=body,
        headers=dict(request.get("headers") or {}),
    )


def parse(
    operation: ModuleType, args: tuple[Any, ...], kwargs: Mapping[str, Any], answer: httpx.Response
) -> Any:
    """The model the generated parser makes of a 2xx ``answer`` (None for no content).

    Raises:
        APIResponseValidationError: The body is not what the contract describes.
    """
    try:
        return operation.sync_detailed(*args, client=_client(_Exchange(answer)), **kwargs).parsed
    except (ValueError, KeyError, TypeError) as exc:
        request = answer.request
        raise APIResponseValidationError(
            f"{answer.status_code} answer to {request.method} {request.url.path} does not"
            f" match the contract: {type(exc).__name__}: {exc}",
            status_code=answer.status_code,
            headers=answer.headers,
            body=answer.content,
            response=answer,
        ) from exc


def label(operation: ModuleType) -> str:
    """The operation's module name, such as ``create_conversation`` (for the log)."""
    return operation.__name__.rsplit(".", 1)[-1]
