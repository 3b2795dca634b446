"""``python -m parley_spec.lint [PATH]``: the contract's own rules, beside Spectral's.

1. Every ``x-parley-*`` annotation is validated against the vocabulary's JSON Schema
   (:mod:`parley_spec.annotations`): an unknown key, a key where its kind may not stand, a
   value of the wrong shape, an operationId the document lacks.
2. Every sentence of the prose is traced (:mod:`parley_spec.trace`): quoted in the ``says`` of
   an annotation, or marked ``x-parley-informative``; every quote and mark is a sentence of
   its description as it reads now; no sentence that reads as behaviour is marked
   informative, and none is both marked and quoted.

``scripts/lint-spec`` runs it after Spectral. Exit status: 0 when the document keeps every
rule, 1 when it breaks one (each problem printed on a line of its own, with its JSON Pointer),
2 when it cannot be read.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ._model import Contract
from ._read import SpecError, read_document

__all__ = ["lint", "main"]


def lint(contract: Contract) -> list[str]:
    """Every problem of ``contract`` under Parley's rules, one line each ([] when none).

    The trace is judged only once every annotation keeps the vocabulary.
    """
    try:
        contract.annotations  # noqa: B018 - parsing validates
    except SpecError as exc:
        return str(exc).splitlines()[1:] or [str(exc)]
    return list(contract.trace.problems)


def main(argv: list[str] | None = None) -> int:
    """Lints the document at ``argv[0]`` (or the default one); returns the exit status."""
    args = sys.argv[1:] if argv is None else argv
    try:
        path = Path(args[0]) if args else None
        contract = Contract(read_document(path), path)
    except (SpecError, FileNotFoundError) as exc:
        print(f"parley_spec.lint: {exc}", file=sys.stderr)
        return 2
    problems = lint(contract)
    for problem in problems:
        print(problem)
    name = path or "openapi.yaml"
    try:
        summary = f"; {contract.trace.summary()}"
    except SpecError:  # the annotations break the vocabulary: there is no trace to count
        summary = ""
    print(
        f"{name}: {len(problems)} problem(s) under Parley's annotation rules{summary}",
        file=sys.stderr,
    )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
