"""The Prism check: a mock of the contract must answer every operation with its 2xx."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from parley_spec import read_document
from portability_common import (
    NOTES,
    QUIET_ENV,
    SAMPLE_ID,
    node_tool,
    operations,
    parse_sse,
    resolve,
    stream_media,
)


def check_prism(spec: Path, work: Path) -> list[str]:
    document = read_document(spec)
    log = work / "prism.log"
    with prism(["mock", spec], log) as base:
        if base is None:
            return [f"prism did not start: {log.read_text()[-800:]}"]
        with httpx.Client(base_url=base, timeout=30) as client:
            calls = operations(document)
            problems = [p for op in calls for p in probe(client, document, *op)]
    streams = len(stream_media(document))
    NOTES.append(f"called {len(calls)} operations ({streams} streaming) on the mock")
    return problems


@contextmanager
def prism(args: list[str | Path], log_path: Path) -> Iterator[str | None]:
    """Runs ``prism ARGS`` on a free 127.0.0.1 port, output in ``log_path``, stopped on exit.

    Yields:
        Its base URL, or None when it did not listen within 60 s (the log says why).
    """
    port = free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(a) for a in [*node_tool("prism"), *args, "-h", "127.0.0.1", "-p", str(port)]],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **QUIET_ENV},
            start_new_session=True,
        )
        try:
            started = wait_for_port(port, process, seconds=60)
            yield f"http://127.0.0.1:{port}" if started else None
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def probe(
    client: httpx.Client, document: dict[str, Any], path: str, method: str, op: dict[str, Any],
    shared: list[Any],
) -> list[str]:  # fmt: skip
    """Calls one operation on the mock with a valid request; returns what was wrong."""
    url = path
    for parameter in [resolve(document, p) for p in [*shared, *op.get("parameters", [])]]:
        if parameter["in"] == "path":
            url = url.replace("{" + parameter["name"] + "}", SAMPLE_ID)
    headers = {"X-API-Key": "pk_portability"}
    success = sorted(s for s in op["responses"] if s.startswith("2"))[0]
    content = resolve(document, op["responses"][success]).get("content", {})
    streams = "text/event-stream" in content
    headers["Accept"] = "text/event-stream" if streams else "application/json"
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("example")
    label = f"{op['operationId']} ({method.upper()} {path})"
    try:
        response = client.request(method.upper(), url, headers=headers, json=body)
    except httpx.HTTPError as error:
        return [f"{label}: {error!r}"]
    problems = []
    if str(response.status_code) != success:
        problems.append(
            f"{label}: answered {response.status_code}, not {success}: {response.text[:300]}"
        )
    media = response.headers.get("content-type", "")
    if streams:
        if not media.startswith("text/event-stream"):
            problems.append(f"{label}: answered {media!r}, not text/event-stream")
        names = [event.get("event") for event in parse_sse(response.text)]
        if not names or names[0] != "start" or names[-1] != "complete":
            problems.append(f"{label}: the streamed events are {names}")
    return problems


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.25)
    return False
