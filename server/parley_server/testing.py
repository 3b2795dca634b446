"""Test helpers: the reference server with two provisioned tenants.

:func:`start_server` runs it in a subprocess, :func:`build_app` builds it in-process.

Used by this repository's tests, the client end-to-end tests, the contract-test harness and
the benchmarks.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
from starlette.applications import Starlette

from .config import ServerConfig
from .db import Database
from .provision import TenantCredentials, new_credentials, store_credentials

__all__ = [
    "EmbeddedServer",
    "InProcessApp",
    "TenantCredentials",
    "build_app",
    "create_app",
    "make_token",
    "read_bound_port",
    "start_server",
]

READY_TIMEOUT_SECONDS = 15.0


def make_token(
    secret: str,
    *,
    tenant_id: str,
    scopes: Sequence[str],
    entity_type: str = "USER",
    entity_id: str = "test-user",
    ttl_seconds: int = 3600,
) -> str:
    """Returns an HS256 JWT the server accepts, valid for ``ttl_seconds``.

    Claims: ``tenant_id``, ``entity_type``, ``entity_id`` (also ``sub``), ``scopes``, ``exp``.
    """
    issued = int(time.time())
    claims = {
        "sub": entity_id,
        "tenant_id": tenant_id,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "scopes": list(scopes),
        "iat": issued,
        "exp": issued + ttl_seconds,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


_HOOKS = ("responder", "on_ready", "contract", "extra_routes")


def create_app(database_url: str = ":memory:", **kwargs: Any) -> Starlette:
    """:func:`parley_server.app.create_app` with the options as keywords, for tests.

    Args:
        database_url: Defaults to in-memory SQLite.
        **kwargs: :class:`ServerConfig` fields (``validate_responses``, ``jwt_secret``...)
            and the in-process hooks (``responder``, ``on_ready``, ``contract``,
            ``extra_routes``).

    Raises:
        TypeError: A keyword is neither an option nor a hook.
    """
    from .app import create_app as _create_app

    hooks = {name: kwargs.pop(name) for name in _HOOKS if name in kwargs}
    return _create_app(ServerConfig(database_url, **kwargs), **hooks)


@dataclass(frozen=True)
class InProcessApp:
    """An app for in-process tests (httpx.ASGITransport, schemathesis) with two tenants."""

    app: Starlette
    tenant: TenantCredentials
    other_tenant: TenantCredentials
    jwt_secret: str

    def make_token(
        self,
        *,
        tenant_id: str,
        scopes: Sequence[str],
        entity_type: str = "USER",
        entity_id: str = "test-user",
    ) -> str:
        """Returns a JWT this app trusts (see :func:`make_token`)."""
        return make_token(
            self.jwt_secret,
            tenant_id=tenant_id,
            scopes=scopes,
            entity_type=entity_type,
            entity_id=entity_id,
        )


def build_app(database_url: str = ":memory:", **kwargs: Any) -> InProcessApp:
    """Builds the app with two tenants seeded at start-up (first request or lifespan).

    Args:
        database_url: Defaults to in-memory SQLite.
        **kwargs: Passed to ``create_app`` (``validate_responses``, ``token_delay_seconds``...).
    """
    tenant, other = new_credentials(), new_credentials()
    secret = kwargs.pop("jwt_secret", None) or uuid.uuid4().hex

    async def seed(db: Database) -> None:
        await store_credentials(db, tenant, "tenant-a")
        await store_credentials(db, other, "tenant-b")

    app = create_app(database_url, jwt_secret=secret, on_ready=[seed], **kwargs)
    return InProcessApp(app, tenant, other, secret)


_BOUND = re.compile(rb"Uvicorn running on https?://[^\s]*:(\d+)")


def read_bound_port(
    log_path: Path,
    popen: subprocess.Popen[bytes],
    *,
    offset: int = 0,
    timeout: float = READY_TIMEOUT_SECONDS,
) -> int:
    """Returns the TCP port a ``parley serve --port 0`` process bound, read from its log.

    The server binds port 0 itself and uvicorn logs the port the system gave it, so no other
    process can take the port between choosing and binding it (as with a port probed first).

    Args:
        log_path: The file the process writes its stdout and stderr to.
        popen: The server process.
        offset: Where in the log this start's output begins, in bytes (for a restart that
            appends to the same log).
        timeout: Seconds to wait for the line; a bound against a hang, not a performance test.

    Raises:
        RuntimeError: The process exited, or logged no bound port within ``timeout``.
    """
    deadline = time.monotonic() + timeout
    while True:
        with open(log_path, "rb") as log:
            log.seek(offset)
            found = _BOUND.search(log.read())
        if found:
            return int(found.group(1))
        if popen.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text()[-2000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"server bound no port in time: {log_path.read_text()[-2000:]}")
        time.sleep(0.02)


def _run_async(coro: Any) -> Any:
    """Runs a coroutine to completion in a fresh thread (works inside a running loop too)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


async def _provision(database_url: str) -> tuple[TenantCredentials, TenantCredentials]:
    db = Database(database_url)
    try:
        await db.create_schema()
        a, b = new_credentials(), new_credentials()
        await store_credentials(db, a, "tenant-a")
        await store_credentials(db, b, "tenant-b")
        return a, b
    finally:
        await db.close()


@dataclass
class _Process:
    command: list[str]
    env: dict[str, str]
    log_path: Path
    popen: subprocess.Popen[bytes] | None = None
    max_open_files: int | None = None

    def _limit_files(self) -> None:
        """Runs in the child before exec: lowers its file-descriptor limit (RLIMIT_NOFILE)."""
        import resource

        if self.max_open_files is not None:
            _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (self.max_open_files, hard))

    def start(self, port: int, key: str) -> int:
        """Starts the server on ``port`` (0: any free one); returns the port it bound."""
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed by the child's lifetime
        self.popen = subprocess.Popen(
            [*self.command, "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=self.env,
            start_new_session=True,
            preexec_fn=self._limit_files if self.max_open_files is not None else None,
        )
        log.close()
        port = read_bound_port(self.log_path, self.popen, offset=offset)
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                httpx.get(base_url + "/v1/agent", headers={"X-API-Key": key}, timeout=1.0)
                return port
            except httpx.HTTPError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"server did not answer in time: {self.log_path.read_text()[-2000:]}")

    def kill(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.send_signal(signal.SIGKILL)
            self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


@dataclass(frozen=True)
class EmbeddedServer:
    """A reference server running in a subprocess on ``base_url``.

    Attributes:
        base_url: ``http://127.0.0.1:<port>``.
        database_url: The database the server uses.
        tenant: The first tenant's credentials.
        other_tenant: A second tenant, for isolation checks.
        jwt_secret: The HS256 secret the server trusts.
    """

    base_url: str
    database_url: str
    tenant: TenantCredentials
    other_tenant: TenantCredentials
    jwt_secret: str
    _process: _Process = field(repr=False, compare=False)

    @property
    def log_path(self) -> Path:
        """The file the server writes its stdout and stderr to."""
        return self._process.log_path

    def make_token(
        self,
        *,
        tenant_id: str,
        scopes: Sequence[str],
        entity_type: str = "USER",
        entity_id: str = "test-user",
    ) -> str:
        """Returns a JWT this server trusts (see :func:`make_token`)."""
        return make_token(
            self.jwt_secret,
            tenant_id=tenant_id,
            scopes=scopes,
            entity_type=entity_type,
            entity_id=entity_id,
        )

    def kill(self) -> None:
        """Kills the server process with SIGKILL (no graceful shutdown)."""
        self._process.kill()

    def stop(self) -> None:
        """Stops the server gracefully (SIGTERM; SIGKILL after 10 s); :meth:`restart` revives it."""
        self._process.stop()

    def restart(self) -> None:
        """Starts the server again on the same port and database (after :meth:`kill`)."""
        self._process.stop()
        self._process.start(int(self.base_url.rsplit(":", 1)[1]), self.tenant.read_key)


@contextmanager
def start_server(
    database_url: str | None = None,
    *,
    token_delay_seconds: float = 0.0,
    serve_args: Sequence[str] = (),
    max_open_files: int | None = None,
) -> Iterator[EmbeddedServer]:
    """Runs ``python -m parley_server`` (= ``parley serve``) on a free port, with two tenants.

    The server binds port 0 and the port it got is read from its log (no probe-then-bind
    race); :meth:`EmbeddedServer.restart` binds that port again.

    Args:
        database_url: ``None`` for a temporary SQLite file; else any supported URL.
        token_delay_seconds: The responder's per-token delay, in seconds.
        serve_args: More ``parley serve`` options, e.g. ``["--head-timeout", "1"]``.
        max_open_files: The server process's file-descriptor limit (``RLIMIT_NOFILE``), to
            exhaust it in a test; the inherited limit when ``None``.

    Yields:
        The running server; on exit it is stopped (SIGTERM, then SIGKILL after 10 s) and
        temporary files are removed.

    Raises:
        RuntimeError: The server did not answer within 15 s.
    """
    workdir = Path(tempfile.mkdtemp(prefix="parley-server-"))
    try:
        url = database_url or f"sqlite:///{workdir / 'parley.db'}"
        tenant, other = _run_async(_provision(url))
        secret = uuid.uuid4().hex
        env = {**os.environ, "PARLEY_JWT_SECRET": secret}
        command = [
            sys.executable,
            "-m",
            "parley_server",  # = parley serve
            "--host",
            "127.0.0.1",
            "--database-url",
            url,
            "--token-delay",
            str(token_delay_seconds),
            *serve_args,
        ]
        process = _Process(command, env, workdir / "server.log", max_open_files=max_open_files)
        port = process.start(0, tenant.read_key)
        server = EmbeddedServer(f"http://127.0.0.1:{port}", url, tenant, other, secret, process)
        try:
            yield server
        finally:
            process.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
