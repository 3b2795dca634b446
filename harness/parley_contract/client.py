"""An httpx client for the extra checks that can show each request as a curl command line."""

from __future__ import annotations

import json
import shlex
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["ApiClient", "Credential", "curl_line"]


@dataclass(frozen=True)
class Credential:
    """One credential and how a curl line names it without printing it.

    Attributes:
        header: The header that carries it, `X-API-Key` or `Authorization`.
        value: The header's value (`Bearer <jwt>` for a token).
        env: The environment variable a reproduction line reads it from.
    """

    header: str
    value: str
    env: str

    @classmethod
    def api_key(cls, key: str, env: str) -> Credential:
        """An `X-API-Key` credential."""
        return cls(header="X-API-Key", value=key, env=env)

    @classmethod
    def bearer(cls, token: str, env: str) -> Credential:
        """An `Authorization: Bearer` credential."""
        return cls(header="Authorization", value=f"Bearer {token}", env=env)

    @property
    def shown(self) -> str:
        """The header's value as a curl line spells it (an environment variable reference)."""
        prefix = "Bearer " if self.header == "Authorization" else ""
        return f"{prefix}${self.env}"


def curl_line(request: httpx.Request, credential: Credential | None = None) -> str:
    """`curl -X METHOD -H ... -d ... URL`, shell-quoted: `request` sent again.

    The value of `credential` (the one it carried, if any) is replaced by a reference to its
    environment variable, so the line can be pasted into a CI log.
    """
    parts = ["curl", "-X", request.method]
    skipped = {"host", "content-length", "accept-encoding", "connection", "user-agent"}
    for name, value in request.headers.items():
        if name.lower() in skipped or (name.lower() == "accept" and value == "*/*"):
            continue
        if credential is not None and name.lower() == credential.header.lower():
            parts += ["-H", f'"{credential.header}: {credential.shown}"']
            continue
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if request.content:
        parts += ["-d", shlex.quote(request.content.decode("utf-8", "replace"))]
    parts.append(shlex.quote(str(request.url)))
    return " ".join(parts)


def _content(
    body: Any, headers: Mapping[str, str] | None, raw: bytes | None = None
) -> dict[str, Any]:
    """The ``content`` (``raw``, else ``body`` as JSON) and ``headers`` arguments of a request."""
    content = raw if raw is not None else None if body is None else json.dumps(body).encode()
    all_headers = dict(headers or {})
    if content is not None:
        all_headers.setdefault("Content-Type", "application/json")
    return {"content": content, "headers": all_headers}


class ApiClient:
    """Sends requests to the server under test with one credential.

    Args:
        base_url: The server's base URL.
        credential: The credential every request carries (None: unauthenticated).
        timeout: Seconds to wait for each response.

    Attributes:
        base_url: The server's base URL, without a trailing slash.
        credential: The credential every request carries, or None.
        responses: Every response `request` returned, in order, bodies read (the
            `response_format` check validates them after the other checks ran).
    """

    def __init__(
        self, base_url: str, credential: Credential | None, *, timeout: float = 30.0
    ) -> None:
        headers = {credential.header: credential.value} if credential is not None else {}
        self.credential = credential
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)
        self.responses: list[httpx.Response] = []

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        raw: bytes | None = None,
    ) -> httpx.Response:
        """Send one request and read the whole response.

        Args:
            method: The HTTP method.
            path: The path, already filled in.
            body: A JSON body, or None for none.
            params: Query parameters.
            headers: Extra headers.
            raw: Bytes sent as the body as they are, instead of ``body`` (a compressed body:
                give its headers).
        """
        response = self._http.request(method, path, params=params, **_content(body, headers, raw))
        self.responses.append(response)
        return response

    @contextmanager
    def stream(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Iterator[httpx.Response]:
        """Send one request (arguments as `request`'s) and yield its response, body unread.

        Leaving the block closes the response: when its body was not read to the end, the
        connection is dropped (a client leaving a stream).

        Yields:
            The response, its body to read (``iter_lines``...).
        """
        with self._http.stream(method, path, params=params, **_content(body, headers)) as response:
            yield response

    def curl(self, response: httpx.Response) -> str:
        """The curl line that reproduces the request behind `response`."""
        return curl_line(response.request, self.credential)

    @staticmethod
    def new_key() -> str:
        """A fresh `Idempotency-Key`."""
        return str(uuid.uuid4())
