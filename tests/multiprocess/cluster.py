"""Several `parley serve` processes on one PostgreSQL database, and a round-robin proxy.

Every process binds 127.0.0.1 on port 0 (the port it got is read from its log, so no other
process can take it between a probe and the bind) and is stopped (SIGTERM, then SIGKILL) by the
fixture that started it.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from parley_server.testing import read_bound_port

PARLEY = [sys.executable, "-m", "parley_cli"]
READY_SECONDS = 20.0


def parley(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Runs the `parley` CLI; fails on a non-zero exit."""
    return subprocess.run(
        [*PARLEY, *args], capture_output=True, text=True, timeout=timeout, check=True
    )


@dataclass
class Server:
    """One `parley serve` process."""

    database_url: str
    log: Path
    secret: str
    token_delay: float
    lease_seconds: float
    workers: int = 1
    port: int = 0
    """0 until started: the server binds port 0 and this is the port it got (kept on restart)."""
    popen: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(
                [
                    *PARLEY,
                    "serve",
                    "--port",
                    str(self.port),
                    "--database-url",
                    self.database_url,
                    "--token-delay",
                    str(self.token_delay),
                    "--lease-seconds",
                    str(self.lease_seconds),
                    "--workers",
                    str(self.workers),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PARLEY_JWT_SECRET": self.secret},
                start_new_session=True,
            )
        self.port = read_bound_port(self.log, self.popen, offset=offset, timeout=READY_SECONDS)
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-3000:]}")
            with suppress(httpx.HTTPError):
                if httpx.get(self.url + "/readyz", timeout=1).status_code == 200:
                    return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"server not ready in time: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL to the whole process group (the uvicorn supervisor and its workers)."""
        if self.popen is not None and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)

    def stop(self, timeout: float = 20) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


@contextmanager
def servers(count: int, database_url: str, workdir: Path, **options: Any) -> Iterator[list[Server]]:
    """Starts ``count`` servers sharing a database and a JWT secret; stops them on exit."""
    started: list[Server] = []
    try:
        for i in range(count):
            server = Server(database_url, workdir / f"server-{i}.log", "s" * 40, **options)
            started.append(server)
            server.start()
        yield started
    finally:
        for server in started:
            server.stop()


def sse(text: str) -> list[dict[str, Any]]:
    """Parses a complete event stream into ``[{"id", "event", "data"}]``."""
    events = []
    for block in text.replace("\r\n", "\n").strip().split("\n\n"):
        if block.strip():
            fields = dict(line.split(": ", 1) for line in block.splitlines())
            data = json.loads(fields["data"])
            events.append({"id": int(fields["id"]), "event": fields["event"], "data": data})
    return events


def client(server: Server | str, key: str) -> httpx.Client:
    url = server if isinstance(server, str) else server.url
    return httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=30)


def conversation(server: Server, key: str) -> str:
    with client(server, key) as c:
        agent = c.post("/v1/agent", json={"name": "mp"}).json()["id"]
        made = c.post("/v1/conversation", json={"agent_id": agent, "max_context_length": 4})
        return str(made.json()["id"])


def messages(server: Server, key: str, cid: str) -> list[dict[str, Any]]:
    with client(server, key) as c:
        page = c.get(f"/v1/conversation/{cid}/messages", params={"per_page": 100}).json()
    items: list[dict[str, Any]] = page["items"]
    return items


class RoundRobinProxy:
    """A TCP proxy on 127.0.0.1 sending each new connection to the next backend in turn."""

    def __init__(self, backends: list[int]) -> None:
        self.backends = backends
        self.port = 0
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RoundRobinProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        backend = self.backends[self.connections % len(self.backends)]
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", backend)
        except OSError:
            writer.close()
            return

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with suppress(OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()

        # The client's side ending (or the backend refusing more of it: a 400 to a head too
        # large) half-closes the backend connection only: its answer is still relayed.
        async def upstream() -> None:
            await pipe(reader, up_writer)
            with suppress(OSError, RuntimeError):
                if up_writer.can_write_eof():
                    up_writer.write_eof()

        async def downstream() -> None:
            await pipe(up_reader, writer)
            for stream in (writer, up_writer):
                with suppress(OSError):
                    stream.close()

        await asyncio.gather(upstream(), downstream())
