"""The ``parley`` logger: ``PARLEY_LOG=debug`` (or ``info``) logs requests and retries.

Secrets never reach the log: the values of credential headers are replaced by ``<redacted>``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable

logger = logging.getLogger("parley")

SECRET_HEADERS = frozenset({"authorization", "x-api-key", "cookie", "proxy-authorization"})


def redact(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Return the headers as a dict with every credential value replaced by ``<redacted>``."""
    return {
        name: "<redacted>" if name.lower() in SECRET_HEADERS else value for name, value in headers
    }


def setup_logging() -> None:
    """Attach a stderr handler to the ``parley`` logger when ``PARLEY_LOG`` asks for one."""
    level = os.environ.get("PARLEY_LOG", "").strip().lower()
    if level not in ("debug", "info") or logger.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if level == "debug" else logging.INFO)
