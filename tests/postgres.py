"""The PostgreSQL backend as a test parameter: always collected, skipped with a reason when unset.

``PARLEY_TEST_DATABASE_URL`` (``postgresql+asyncpg://user@host:port/db``) points the tests at a
PostgreSQL database; without it every PostgreSQL case is reported as skipped, so a run's
summary says what was not tested instead of silently collecting fewer tests.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

PG_URL = os.environ.get("PARLEY_TEST_DATABASE_URL")
SKIP_REASON = "PostgreSQL not configured: set PARLEY_TEST_DATABASE_URL to run this case"


def postgres_param() -> Any:
    """Returns ``pytest.param(url, id="postgres")``, marked ``postgres`` and skipped when unset."""
    return pytest.param(
        PG_URL,
        id="postgres",
        marks=[pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason=SKIP_REASON)],
    )


def require_postgres(suite: str) -> str:
    """Returns the PostgreSQL URL, or skips the calling module (reason shown) when it is unset.

    Call it at module level: ``PG_URL = require_postgres("multi-process suite")``.
    """
    if not PG_URL:
        pytest.skip(
            f"{suite} needs PostgreSQL: set PARLEY_TEST_DATABASE_URL", allow_module_level=True
        )
    return PG_URL
