"""``python -m parley_spec.lint [PATH]``: the contract's own rules, beside Spectral's.

Every ``x-parley-*`` annotation is validated against the vocabulary's JSON Schema
(:mod:`parley_spec.annotations`): an unknown key, a key where its kind may not stand, a value
of the wrong shape, an operationId the document lacks. ``scripts/lint-spec`` runs it after
Spectral. Exit status: 0 when the document keeps every rule, 1 when it breaks one (each
problem printed on a line of its own, with its JSON Pointer), 2 when it cannot be read.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ._model import Contract
from ._read import SpecError, read_document

__all__ = ["lint", "main"]


def lint(contract: Contract) -> list[str]:
    """Every problem of ``contract`` under Parley's rules, one line each ([] when none)."""
    try:
        contract.annotations  # noqa: B018 - parsing validates
    except SpecError as exc:
        return str(exc).splitlines()[1:] or [str(exc)]
    return []


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
    print(f"{name}: {len(problems)} problem(s) under Parley's annotation rules", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
