"""One operation's request and answer, made by its generated module's builder and parser.

Every generated operation module (``parley_client.api.conversations.get_conversation``...)
exposes ``request_kwargs(*args, **kwargs)``, the keyword arguments of
``httpx.Client.request()`` for the call (method, path, query, JSON body, headers), and
``parse_response(client=..., response=...)``, the model an answer parses to (Parley's template
edits make them public: ``generator-templates/build_templates.py``). A call uses each once:

- :func:`describe` builds the :class:`RequestSpec` with the call's extras merged in;
- :func:`build_request` makes the ``httpx.Request`` from it, its URL given to httpx whole
  (the client's base URL, the path and the encoded query joined once), so httpx parses it
  once instead of parsing the path, re-parsing it joined to the base URL and again with the
  query, as ``httpx.Client.build_request`` does;
- :func:`parse` turns a 2xx answer into the model the contract promises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType, ModuleType
from typing import Any

import httpx
from parley_client import Client

from ._errors import APIResponseValidationError

Timeouts = Mapping[str, float | None]


@dataclass
class RequestSpec:
    """A request as a generated module builds it, with the per-call extras merged in.

    Attributes:
        method: The HTTP method, upper case, such as ``"POST"``.
        url: The path, relative to the client's base URL, such as ``/v1/conversation``.
        params: The query parameters.
        json: The JSON body, or None when the operation sends none.
        headers: Headers the generated module sets (Content-Type, a documented header).
    """

    method: str
    url: str
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class CallOptions:
    """The resolved options of one call, applied by :func:`build_request` to what it sends.

    Attributes:
        headers: Every header the call adds: the client's, then the call's own.
        timeout: The call's timeout.
        max_retries: How many times the call may be retried.
        timeouts: ``timeout`` as the request extension (computed when not given).
    """

    headers: dict[str, str]
    timeout: httpx.Timeout
    max_retries: int
    timeouts: Timeouts | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.timeouts is None:
            self.timeouts = timeout_extension(self.timeout)


def timeout_extension(timeout: httpx.Timeout) -> Timeouts:
    """``timeout`` as the read-only ``timeout`` request extension that httpx transports read."""
    return MappingProxyType(timeout.as_dict())


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
    """The request ``operation`` builds for these arguments, plus the extras.

    Args:
        operation: A generated operation module.
        args: Its positional arguments (path parameters).
        kwargs: Its keyword arguments (``body``, query parameters).
        extra_query: Query parameters to add (names the method does not send).
        extra_body: JSON members to add to the body (names the body does not have).

    Returns:
        The request to send.

    Raises:
        ValueError: An extra names a parameter or member the method already sends, or
            ``extra_body`` is given for an operation whose body is not a JSON object.
    """
    request = operation.request_kwargs(*args, **kwargs)
    body = request.get("json")
    if extra_body:
        if body is not None and not isinstance(body, Mapping):
            raise ValueError("extra_body needs an operation whose body is a JSON object")
        body = _merge(body or {}, extra_body, "extra_body")
    params = request.get("params") or {}
    return RequestSpec(
        method=request["method"].upper(),
        url=request["url"],
        params=_merge(params, extra_query, "extra_query") if extra_query else params,
        json=body,
        headers=request.get("headers") or {},
    )


_last_base: tuple[httpx.URL, str | None] = (httpx.URL(), None)


def _prefix(base: httpx.URL) -> str | None:
    """What a path is appended to: ``base`` as text ending in ``/``, as httpx joins them.

    None for a base URL with a query or a fragment, which httpx joins its own way. The
    answer is kept for the last base URL seen (a client's base URL rarely changes).
    """
    global _last_base
    last = _last_base
    if last[0] is not base:
        text: str | None = None
        if not base.query and not base.fragment:
            text = str(base)
            text = text if text.endswith("/") else text + "/"
        last = _last_base = (base, text)
    return last[1]


def build_request(
    http: httpx.Client | httpx.AsyncClient, spec: RequestSpec, call: CallOptions
) -> httpx.Request:
    """The request to send for ``spec`` through ``http``, with the call's headers and timeout.

    What ``http.build_request`` would make (the client's base URL, headers and cookies; then
    the operation's headers, then the call's, each replacing the one before), its URL handed
    over joined. A client with default query parameters of its own, or a base URL with a
    query, goes through ``http.build_request``, which merges them.
    """
    prefix = _prefix(http.base_url)
    if prefix is None or http.params:
        request = http.build_request(
            spec.method, spec.url, params=spec.params or None, json=spec.json
        )
    else:
        url = prefix + spec.url.lstrip("/")
        if spec.params:
            url += "?" + str(httpx.QueryParams(spec.params))
        request = httpx.Request(spec.method, url, json=spec.json, headers=http.headers)
        if http.cookies:
            http.cookies.set_cookie_header(request)
    headers = request.headers
    for name, value in spec.headers.items():
        headers[name] = value  # one by one: far cheaper than Headers.update
    for name, value in call.headers.items():
        headers[name] = value
    request.extensions["timeout"] = call.timeouts
    return request


PARSER_CLIENT = Client(base_url="")
"""What ``parse_response`` takes for a client: it only reads ``raise_on_unexpected_status``."""


def parse(operation: ModuleType, answer: httpx.Response) -> Any:
    """The model ``operation``'s parser makes of a 2xx ``answer`` (None for no content).

    Raises:
        APIResponseValidationError: The body is not what the contract describes.
    """
    try:
        return operation.parse_response(client=PARSER_CLIENT, response=answer)
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
    return operation.__name__.rpartition(".")[2]
