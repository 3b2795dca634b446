"""A child process serving the reference server with every promise variant, one tenant each.

`python -m tests.harness.promise_server FOLDER` prints one JSON line, `{"url": ..., "keys":
[...]}` (for each variant's tenant in `PROMISE_VARIANTS` order, then the control tenant: its
write key, its read-only key and the write key of a second tenant of its own: all three reach
the variant), serves on 127.0.0.1 until its standard input closes (the parent ended), then stops.
Serving from another process than the checks' lets the two use both cores.
"""

from __future__ import annotations

import json
import logging
import socket
import sys
import threading
from pathlib import Path

import uvicorn
from parley_server.db import Database
from parley_server.provision import new_credentials, store_credentials
from parley_server.testing import create_app

from tests.harness.broken import App, Receive, Scope, Send
from tests.harness.promise_variants import PROMISE_VARIANTS


def by_key(base: App, apps: dict[bytes, App]) -> App:
    """Each request goes to the app of the API key it carries (lifespan and others: `base`)."""

    async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
        target = base
        if scope["type"] == "http":
            target = apps.get(dict(scope["headers"]).get(b"x-api-key", b""), base)
        await target(scope, receive, send)

    return dispatch


def main(folder: Path) -> None:
    """Serve until standard input closes."""
    tenants = [new_credentials() for _ in range(len(PROMISE_VARIANTS) + 1)]
    outsiders = [new_credentials() for _ in tenants]

    async def seed(db: Database) -> None:
        for index, tenant in enumerate(tenants):
            await store_credentials(db, tenant, f"tenant-{index}")
            await store_credentials(db, outsiders[index], f"outsider-{index}")

    base = create_app(f"sqlite:///{folder / 'parley.db'}", on_ready=[seed])
    apps: dict[bytes, App] = {}
    for tenant, outsider, variant in zip(tenants, outsiders, PROMISE_VARIANTS, strict=False):
        app = variant.wrap(base)
        for key in (tenant.write_key, tenant.read_key, outsider.write_key):
            apps[key.encode()] = app
    # IPPROTO_TCP: asyncio then sets TCP_NODELAY on each accepted connection (it skips a
    # socket of protocol 0), so a response written in two pieces is not held 40 ms by Nagle.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)  # connections wait in the backlog until uvicorn accepts them
    # Two warnings are the checks at work, so only errors are printed: uvicorn's "Invalid HTTP
    # request received" answers each of `malformed_http`'s requests, and asyncio's
    # "socket.send() raised exception." follows the connections the disconnect and refusal
    # checks reset while an answer is still being written.
    logging.getLogger("asyncio").setLevel(logging.ERROR)
    config = uvicorn.Config(by_key(base, apps), log_level="error", access_log=False)
    server = uvicorn.Server(config)

    def watch() -> None:
        sys.stdin.read()  # returns at end of input: the parent closed it or ended
        server.should_exit = True

    threading.Thread(target=watch, daemon=True).start()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    keys = [[t.write_key, t.read_key, o.write_key] for t, o in zip(tenants, outsiders, strict=True)]
    print(json.dumps({"url": url, "keys": keys}), flush=True)
    server.run(sockets=[sock])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
