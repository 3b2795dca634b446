"""The reference server's options, typed and frozen: what ``parley serve`` passes ``create_app``.

One :class:`ServerConfig` is built by the command line, serialised to JSON for the worker
processes of ``parley serve --workers N`` (:meth:`ServerConfig.to_json`), read back in each
worker (:meth:`ServerConfig.from_json`) and passed whole to
:func:`parley_server.app.create_app`. In-process hooks that cannot cross a process boundary (a
custom responder, start-up coroutines, extra routes, a contract built in memory) are separate
keyword arguments of ``create_app``.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_BODY_TIMEOUT_SECONDS",
    "DEFAULT_HEAD_TIMEOUT_SECONDS",
    "DEFAULT_KEEP_ALIVE_SECONDS",
    "DEFAULT_LEASE_SECONDS",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_MAX_HEAD_BYTES",
    "ServerConfig",
]

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
"""The largest request body accepted by default (1 MiB)."""

DEFAULT_LEASE_SECONDS = 3.0
"""How long a stream outlives its process's last heartbeat by default, in seconds."""

DEFAULT_HEAD_TIMEOUT_SECONDS = 10.0
"""Seconds a connection may take to send a request head (from its start or first byte)."""
DEFAULT_KEEP_ALIVE_SECONDS = 5.0
"""Seconds an idle connection is kept open between requests (uvicorn's default)."""
DEFAULT_BODY_TIMEOUT_SECONDS = 30.0
"""Seconds from the end of a request head to the end of its declared body."""
DEFAULT_MAX_CONNECTIONS = 1000
"""Open connections per process; one accepted beyond them is closed at once."""
DEFAULT_MAX_HEAD_BYTES = 16 * 1024
"""The largest request head (request line and header fields), in bytes: h11's default."""


@dataclass(frozen=True)
class ServerConfig:
    """Every option of the reference server that can be written down.

    Attributes:
        database_url: ``sqlite:///file.db``, ``:memory:`` or ``postgresql+asyncpg://...``.
        jwt_secret: The HS256 secret bearer tokens are checked with (random per start when
            ``None``, so no token works); at least 32 bytes.
        jwt_require_exp: Refuse bearer tokens without an ``exp`` claim (the default).
        token_delay_seconds: Seconds between the tokens the default responder streams.
        validate_responses: Check every response against the contract (tests switch it on);
            a mismatch answers a 500 problem naming the violation.
        max_body_bytes: The largest request body accepted, in bytes; a larger one gets a 413
            problem before the server reads past the limit.
        access_log: Log one JSON line per request on ``parley.access`` (written by a
            background thread, off the request path).
        lease_seconds: How long a stream (or keyed request) outlives its process's last
            heartbeat before other processes call it interrupted (taken over).
        head_timeout_seconds: Seconds a connection may take to send a request head, from its
            start or from the first byte of a later request; then it is closed.
        keep_alive_seconds: Seconds an idle connection stays open between requests.
        body_timeout_seconds: Seconds from the end of a request head to the end of its
            declared body; then the connection is closed.
        max_connections: Open connections per process; one accepted beyond them is closed
            at once (keep it under the process's file-descriptor limit).
        max_head_bytes: The largest request head (request line and header fields), in bytes,
            however it arrives; a larger one gets a 400 problem.
    """

    database_url: str = ":memory:"
    jwt_secret: str | None = None
    jwt_require_exp: bool = True
    token_delay_seconds: float = 0.0
    validate_responses: bool = False
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    access_log: bool = True
    lease_seconds: float = DEFAULT_LEASE_SECONDS
    head_timeout_seconds: float = DEFAULT_HEAD_TIMEOUT_SECONDS
    keep_alive_seconds: float = DEFAULT_KEEP_ALIVE_SECONDS
    body_timeout_seconds: float = DEFAULT_BODY_TIMEOUT_SECONDS
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_head_bytes: int = DEFAULT_MAX_HEAD_BYTES

    def to_json(self) -> str:
        """Returns the options as one JSON object (the secret included: keep it private)."""
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ServerConfig:
        """Reads options written by :meth:`to_json`.

        Raises:
            ValueError: The text is not a JSON object, names an unknown option, or gives an
                option a value of the wrong type.
        """
        try:
            raw: Any = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"server options are not JSON: {exc}") from exc
        if not isinstance(raw, dict):
            raise ValueError("server options must be a JSON object")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(raw) - set(fields))
        if unknown:
            raise ValueError(f"unknown server options: {', '.join(unknown)}")
        for name, value in raw.items():
            if not _fits(value, fields[name].type):
                raise ValueError(f"server option {name} has the wrong type: {value!r}")
        return cls(**raw)


_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "str | None": (str, type(None)),
    "bool": (bool,),
    "int": (int,),
    "float": (int, float),
}


def _fits(value: object, annotation: object) -> bool:
    allowed = _TYPES[str(annotation)]
    if isinstance(value, bool) and bool not in allowed:
        return False  # JSON true is not a number here
    return isinstance(value, allowed)
