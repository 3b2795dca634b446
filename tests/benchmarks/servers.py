"""Servers and load for the benchmarks: the reference server, the bare ceiling, the driver.

Every server binds 127.0.0.1, runs in its own process and stops when its context exits (the
bare server also exits by itself after a time-to-live). Load runs in a second process,
:mod:`tests.benchmarks.loadgen`, bounded in time and request count.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from .common import ROOT


def server_available() -> str:
    """Returns "" when the reference server's testing entry point imports, else why not."""
    try:
        from parley_server.testing import start_server  # noqa: F401
    except ImportError as exc:
        return f"reference server not available: {exc}"
    return ""


@dataclass
class Api:
    """A reference server to talk to: base URL, keys, database URL and a sync client."""

    base_url: str
    write_key: str
    read_key: str
    database_url: str
    http: httpx.Client
    other: Api | None = None

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POSTs ``body`` with the write key; returns the decoded JSON answer."""
        r = self.http.post(path, json=body, headers={"X-API-Key": self.write_key})
        r.raise_for_status()
        out: dict[str, Any] = r.json()
        return out

    def create_conversation(self, agent_id: str, title: str = "bench") -> str:
        """Creates a conversation with ``agent_id``; returns its id."""
        body = {"agent_id": agent_id, "title": title, "max_context_length": 20}
        return str(self.post("/v1/conversation", body)["id"])


@contextmanager
def reference_server(
    database_url: str | None = None, token_delay_seconds: float = 0.0
) -> Iterator[Api]:
    """Starts the embedded reference server (its own uvicorn subprocess).

    Args:
        database_url: None for a fresh SQLite file, or a database URL.
        token_delay_seconds: Delay between streamed tokens.

    Yields:
        An :class:`Api` for the first tenant (``.other``: the second tenant), whose client is
        closed on exit.
    """
    from parley_server.testing import start_server

    with start_server(database_url, token_delay_seconds=token_delay_seconds) as srv:
        http = httpx.Client(base_url=srv.base_url, timeout=60)
        other = srv.other_tenant
        url = str(srv.database_url)
        try:
            yield Api(
                srv.base_url,
                srv.tenant.write_key,
                srv.tenant.read_key,
                url,
                http,
                Api(srv.base_url, other.write_key, other.read_key, url, http),
            )
        finally:
            http.close()


def free_port() -> int:
    """Returns a TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_listening(port: int, proc: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


@contextmanager
def bare_server(bodies: dict[str, bytes], ttl: float = 900) -> Iterator[int]:
    """Starts the bare Starlette + uvicorn ceiling; yields its port.

    Args:
        bodies: Name -> JSON body; ``GET /NAME`` answers it.
        ttl: Seconds after which the server exits by itself.
    """
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        for name, body in bodies.items():
            (Path(folder) / f"{name}.json").write_bytes(body)
        env = {**os.environ, "PARLEY_BENCH_BODIES": folder, "PARLEY_BENCH_TTL": str(ttl)}
        cmd = [
            sys.executable,
            "-m",
            "uvicorn",
            "tests.benchmarks.bare_app:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        try:
            _wait_listening(port, proc)
            yield port
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def load(
    port: int, requests: list[dict[str, Any]], conns: int, seconds: float, warmup: float = 0.3
) -> dict[str, Any]:
    """Runs the load generator against 127.0.0.1:``port`` and returns its summary.

    Args:
        port: The server's port.
        requests: ``{"method", "path", "headers", "body"}`` dicts; connections cycle them.
        conns: Concurrent keep-alive connections.
        seconds: Measured seconds (after ``warmup`` seconds that are not counted).
        warmup: Seconds of load before measuring.

    Returns:
        ``requests``, ``ok``, ``errors``, ``rps``, ``p50_ms``, ``p99_ms``, ``statuses``.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(requests, fh)
    cmd = [
        sys.executable,
        "-m",
        "tests.benchmarks.loadgen",
        fh.name,
        "--port",
        str(port),
        "--conns",
        str(conns),
        "--seconds",
        str(seconds),
        "--warmup",
        str(warmup),
    ]
    try:
        out = subprocess.run(
            cmd, cwd=ROOT, capture_output=True, check=True, timeout=seconds + warmup + 60
        )
    finally:
        Path(fh.name).unlink(missing_ok=True)
    result: dict[str, Any] = json.loads(out.stdout)
    return result
