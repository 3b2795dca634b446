"""What the suite keys on: whether it runs in CI, and the fixed fuzzing seed.

``.ci/run`` exports ``CI=true``. In CI a test that needs a tool (Java, Chromium, Node,
PostgreSQL) fails when the tool is missing, since ``.ci/run`` installs or starts every one;
elsewhere it skips with the reason in pytest's summary (``-ra``).

Fuzzing seeds: ``PARLEY_FUZZ_SEED`` when set; else :data:`CI_FUZZ_SEED` in CI (reproducible)
and a random one per session elsewhere (more variety on a developer's machine). The root
``conftest.py`` fixes it once per session, so every xdist worker uses the same seed, and
prints it in the session header with the command that replays it.
"""

from __future__ import annotations

import os
import random

import pytest

CI_FUZZ_SEED = 1
"""The fuzzing seed of every CI run."""
SEED_ENV = "PARLEY_FUZZ_SEED"


def in_ci() -> bool:
    """Whether the suite runs in CI: ``CI`` is ``true`` or ``1`` (any case), as runners set it."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true"}


def tool_missing(reason: str) -> None:
    """Skips the calling test with ``reason``; fails it in CI, where every tool is provided.

    Raises:
        pytest.fail.Exception: In CI.
        pytest.skip.Exception: Elsewhere.
    """
    if in_ci():
        pytest.fail(f"{reason} (CI=true: .ci/run provides it, so this is a failure)")
    pytest.skip(reason)


def choose_fuzz_seed() -> int:
    """Fixes the session's fuzzing seed in ``PARLEY_FUZZ_SEED`` (kept when set) and returns it."""
    given = os.environ.get(SEED_ENV, "").strip()
    seed = int(given) if given else CI_FUZZ_SEED if in_ci() else random.randrange(2**32)
    os.environ[SEED_ENV] = str(seed)
    return seed


def fuzz_seed() -> int:
    """The session's fuzzing seed (see :func:`choose_fuzz_seed`)."""
    given = os.environ.get(SEED_ENV, "").strip()
    return int(given) if given else choose_fuzz_seed()
