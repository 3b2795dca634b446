"""The trace section: each behavioural sentence of the prose with the verdict of its checks.

`parley_spec.trace` binds every sentence of the document's descriptions to the annotations
that formalise it. This module pairs each sentence that states behaviour (``traced`` or
``unchecked``; informative ones state none) with the verdicts the run gave the promises of
those annotations:

* ``failed`` when one of them failed;
* ``passed`` when every one the run judged passed and none was left not exercised;
* ``not exercised`` when one was not exercised and none failed;
* ``not selected`` when none of them concerns the run's operations (``--include-...``);
* ``unchecked`` for a sentence only ``x-parley-unchecked`` quotes (no client can observe it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parley_spec import Contract
from parley_spec.trace import Sentence

from parley_contract.promises.report import FAILED, PASSED, UNEXERCISED, PromiseResult

__all__ = ["NOT_SELECTED", "UNCHECKED", "SentenceVerdict", "render_trace", "trace_verdicts"]

NOT_SELECTED, UNCHECKED = "not selected", "unchecked"


@dataclass(frozen=True)
class SentenceVerdict:
    """One behavioural sentence and what the run found of it.

    Attributes:
        sentence: The sentence (its description's JSON Pointer, position and text).
        verdict: ``passed``, ``failed``, ``not exercised``, ``not selected`` or
            ``unchecked`` (see the module docstring).
        results: The verdicts on the promises of the annotations that quote it, in the
            report's order.
        why: For ``unchecked``, the reason the document gives.
    """

    sentence: Sentence
    verdict: str
    results: tuple[PromiseResult, ...] = ()
    why: str = ""


def _verdict(results: Sequence[PromiseResult]) -> str:
    statuses = {result.status for result in results}
    if not statuses:
        return NOT_SELECTED
    if FAILED in statuses:
        return FAILED
    return UNEXERCISED if UNEXERCISED in statuses else PASSED


def trace_verdicts(
    contract: Contract, results: Sequence[PromiseResult]
) -> tuple[SentenceVerdict, ...]:
    """Each ``traced`` or ``unchecked`` sentence of ``contract``, with its promises' verdict.

    In document order; the verdicts are among ``results`` (the kinds' and the extra checks').
    """
    by_pointer: dict[str, list[PromiseResult]] = {}
    for result in results:
        if result.promise.note is not None:
            by_pointer.setdefault(result.promise.note.pointer, []).append(result)
    found = []
    for line in contract.trace.sentences:
        if line.status == "traced":
            pointers = dict.fromkeys(note.pointer for note in line.annotations)
            own = tuple(r for pointer in pointers for r in by_pointer.get(pointer, ()))
            found.append(SentenceVerdict(line.sentence, _verdict(own), own))
        elif line.status == "unchecked":
            why = "; ".join(dict.fromkeys(str(note.value.reason) for note in line.unchecked))
            found.append(SentenceVerdict(line.sentence, UNCHECKED, why=why))
    return tuple(found)


def trace_summary(verdicts: Sequence[SentenceVerdict]) -> str:
    """One line: ``Trace: 184 behavioural sentences: 170 passed, 0 failed, ...``."""
    order = (PASSED, FAILED, UNEXERCISED, NOT_SELECTED, UNCHECKED)
    counts = ", ".join(f"{sum(v.verdict == s for v in verdicts)} {s}" for s in order)
    return f"Trace: {len(verdicts)} behavioural sentences of the prose: {counts}"


def render_trace(verdicts: Sequence[SentenceVerdict]) -> str:
    """The trace section of what `trace_verdicts` found, lines joined with newlines.

    Per description pointer, ``verdict  sentence`` and under it ``<- promise key: verdict``
    (or ``why:``); the summary line last.
    """
    lines = ["Trace (sentence -> promise -> verdict)"]
    current = ""
    for item in verdicts:
        if item.sentence.pointer != current:
            current = item.sentence.pointer
            lines.append(current)
        lines.append(f"  {item.verdict:<13} {item.sentence.text}")
        lines += [f"{'':16}<- {r.promise.key}: {r.status}" for r in item.results]
        if item.why:
            lines.append(f"{'':16}why: {item.why}")
    lines.append(trace_summary(verdicts))
    return "\n".join(lines)
