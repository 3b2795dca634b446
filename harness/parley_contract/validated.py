"""`response_validated`: every selected operation had a 2xx body validated during the run.

Schemathesis validates the JSON body of every response it gets (`response_schema_conformance`);
the `stream_completion` check validates every event of one stream per streaming operation,
its final event included. An operation whose positive cases never answered 2xx, or whose
stream was never judged, had its success response checked by nothing: that is a failure. (An
operation with no positive case at all, as `--phases examples` leaves some, is listed as not
exercised instead.)
"""

from __future__ import annotations

from collections.abc import Sequence

from parley_spec import Operation

from parley_contract.checks.streams import COMPLETION
from parley_contract.results import CheckOutcome, Tally

__all__ = ["CHECK", "response_validated"]

CHECK = "response_validated"


def response_validated(
    tally: Tally,
    operations: Sequence[Operation],
    outcomes: Sequence[CheckOutcome],
    *,
    streams_checked: bool,
) -> list[CheckOutcome]:
    """One outcome per selected operation: was a 2xx body of it validated at least once?

    Args:
        tally: Schemathesis' cases per operation (`positive_2xx` counts validated 2xx bodies).
        operations: The operations selected for the run.
        outcomes: The extra checks' outcomes (a passed `stream_completion` validated a stream).
        streams_checked: Whether the extra checks ran; without them streams are not required.

    Returns:
        The outcomes, failed for each operation nothing validated a success body of.
    """
    streamed = {o.label for o in outcomes if o.check == COMPLETION and o.passed}
    results: list[CheckOutcome] = []
    for operation in operations:
        missing: list[str] = []
        stream_only = operation.streams and not operation.answers_json
        counted = tally.operation(operation.label)
        if not stream_only and counted.positive and not counted.positive_2xx:
            missing.append("no positive case answered 2xx, so no success response was validated")
        if operation.streams and streams_checked and operation.label not in streamed:
            missing.append("no stream of it was validated event by event")
        results.append(
            CheckOutcome(
                label=operation.label,
                check=CHECK,
                passed=not missing,
                message="; ".join(missing),
            )
        )
    return results
