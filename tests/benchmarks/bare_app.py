"""The throughput ceiling: a bare Starlette endpoint returning a fixed JSON body.

Run by the server benchmark as ``uvicorn tests.benchmarks.bare_app:app``. ``PARLEY_BENCH_BODIES``
names a folder of ``NAME.json`` files: ``GET /NAME`` answers that file's bytes. The process
exits by itself after ``PARLEY_BENCH_TTL`` seconds.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

_folder = os.environ.get("PARLEY_BENCH_BODIES")
BODIES = {p.stem: p.read_bytes() for p in Path(_folder).glob("*.json")} if _folder else {}
TTL = float(os.environ.get("PARLEY_BENCH_TTL", "600"))


async def bare(request: Request) -> Response:
    """Answers ``/NAME`` with the body of ``NAME.json`` (``{}`` for unknown names)."""
    return Response(BODIES.get(request.path_params["name"], b"{}"), media_type="application/json")


_timer = threading.Timer(TTL, lambda: os._exit(0))
_timer.daemon = True
_timer.start()
app = Starlette(routes=[Route("/{name}", bare, methods=["GET", "POST"])])
