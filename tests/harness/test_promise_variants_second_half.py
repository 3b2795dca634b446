"""The second half of the promise variants, each caught by its promise alone.

Its own module, so pytest-xdist runs it on another worker than the first half
(`test_promise_variants.py`), against a server of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.harness.promise_judging import judge_half, variants_server

pytestmark = pytest.mark.slow  # over 10 s: left out of scripts/test --quick


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[list[str]]]]:
    """The variants' server: its URL and each tenant's keys (`variants_server`)."""
    with variants_server(tmp_path_factory.mktemp("promises")) as started:
        yield started


@pytest.mark.timeout(600)
def test_each_variant_of_the_second_half_fails_its_promise_alone(
    served: tuple[str, list[list[str]]],
) -> None:
    """Mutation score over the promises, the variants the first half leaves."""
    problems = judge_half(*served, half=1)
    assert not problems, "\n".join(problems)
