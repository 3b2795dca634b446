"""Serve an ASGI app with uvicorn on a free 127.0.0.1 port, in a thread, for one test."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


@contextmanager
def serve(app: Any, *, timeout: float = 20.0, log_level: str = "warning") -> Iterator[str]:
    """Serve `app` until the block ends; yields its base URL.

    `log_level="error"` silences uvicorn's "Invalid HTTP request received" warnings, for apps
    that leave HTTP parsing to uvicorn while schemathesis probes it with invalid requests.
    """
    # IPPROTO_TCP: asyncio then sets TCP_NODELAY on each accepted connection (it skips a
    # socket of protocol 0), so a response written in two pieces is not held 40 ms by Nagle.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level=log_level, lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
