"""Fail a run in which every operation answered schemathesis only 401 or 403.

schemathesis reports such a run as passed with a warning ("N operations returned only 401/403
responses"): nothing behind authentication was tested. The run's `Tally` counts, per operation,
the responses schemathesis received and how many were 401/403; :func:`only_rejected` turns
that count into the error that makes `parley contract-test` exit 1, with or without the extra
checks.
"""

from __future__ import annotations

from parley_contract.results import Tally
from parley_contract.wording import counted

__all__ = ["only_rejected"]


def only_rejected(tally: Tally) -> str | None:
    """The error for a run whose every answered operation got only 401/403, else None.

    Returns:
        One sentence naming how many operations and responses, or None when at least one
        operation got another status (or nothing was answered at all).
    """
    answered = [op for op in tally.operations.values() if op.responses]
    if not answered or any(op.rejected < op.responses for op in answered):
        return None
    total = sum(op.responses for op in answered)
    return (
        f"every operation answered only 401/403 ({counted(len(answered), 'operation')}, "
        f"{counted(total, 'response')}): the credential does not work, so nothing behind it "
        "was tested"
    )
