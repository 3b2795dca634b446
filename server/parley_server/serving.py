"""``parley serve --workers N``: the app factory each uvicorn worker process calls.

uvicorn's multi-process mode imports the app in every worker, so the options travel in the
environment variable :data:`CONFIG_ENV` (JSON), set by the ``serve`` command before it starts
the workers. Every worker shares the JWT secret, the database and the lease, so a request can
land on any of them.
"""

from __future__ import annotations

import json
import os
from typing import Any

from starlette.applications import Starlette

__all__ = ["CONFIG_ENV", "app_from_env", "config_env"]

CONFIG_ENV = "PARLEY_SERVE_CONFIG"


def config_env(database_url: str, **options: Any) -> str:
    """Returns the :data:`CONFIG_ENV` value for ``create_app(database_url, **options)``."""
    return json.dumps({"database_url": database_url, **options})


def app_from_env() -> Starlette:
    """Builds the app from :data:`CONFIG_ENV` (uvicorn calls this in each worker).

    Raises:
        RuntimeError: The variable is missing (the factory runs outside ``parley serve``).
    """
    from .app import create_app

    raw = os.environ.get(CONFIG_ENV)
    if not raw:
        raise RuntimeError(f"{CONFIG_ENV} is not set; start workers with `parley serve`")
    options = json.loads(raw)
    return create_app(options.pop("database_url"), **options)
