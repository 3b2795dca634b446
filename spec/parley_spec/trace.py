"""The trace: every sentence of the document's prose, and what formalises it.

Each sentence of each description (:mod:`parley_spec.prose`) is, in the document itself:

* **traced**: quoted in the ``says`` of at least one promise annotation (an order, an effect,
  an outcome, a convention...), which a check judges;
* **unchecked**: quoted only by ``x-parley-unchecked`` entries: a promise no client can
  observe, with the reason;
* **informative**: listed in the ``x-parley-informative`` of the object whose description holds
  it: it states no behaviour (a title, what a field is, how the document is modelled);
* **untraced**: none of these, which ``python -m parley_spec.lint`` refuses.

A reviewer's rule keeps the informative marks honest: a sentence that names a status code, or
says ``must``, ``never``, ``always``, ``is kept``/``are kept``, ``replace`` (any form) or
``answers``, reads as behaviour and cannot be marked informative (:data:`BEHAVIOUR_RULES`).
The rule is deliberately small: it catches the usual wording of a promise, not every one; the
quotes catch the rest, since an edited sentence no longer matches its mark or quote.

``python -m parley_spec.trace [PATH]`` prints the trace, sentence by sentence; the harness's
promises report pairs each sentence with the verdicts of its annotations' checks.

Example::

    from parley_spec import load_contract

    trace = load_contract().trace
    for line in trace.sentences:
        print(line.status, line.sentence.text, [note.pointer for note in line.annotations])
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ._pointer import pointer_get
from ._read import SpecError, read_document
from .annotations import INFORMATIVE, Annotation
from .prose import descriptions, normalise

if TYPE_CHECKING:
    from ._model import Contract

__all__ = [
    "BEHAVIOUR_RULES",
    "STATUSES",
    "Sentence",
    "Status",
    "Trace",
    "TracedSentence",
    "behaviour_in",
    "build_trace",
    "main",
]

Status = Literal["traced", "unchecked", "informative", "untraced"]
STATUSES: tuple[Status, ...] = ("traced", "unchecked", "informative", "untraced")

_STATUS_CODES = (
    "200|201|202|204|301|302|303|304|307|308|400|401|403|404|405|406|409|410|412|413|415|"
    "422|428|429|431|500|501|502|503|504"
)
BEHAVIOUR_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a status code", re.compile(rf"(?<![\w.-])(?:{_STATUS_CODES})(?![\w-])")),
    ("must, never or always", re.compile(r"\b(?:must|never|always)\b", re.IGNORECASE)),
    ("is kept or are kept", re.compile(r"\b(?:is|are)\s+kept\b", re.IGNORECASE)),
    ("replace", re.compile(r"\breplac(?:e|es|ed|ing)\b", re.IGNORECASE)),
    ("answers", re.compile(r"\banswers\b", re.IGNORECASE)),
)
"""The reviewer's rule: (what it looks for, pattern). A sentence one matches reads as behaviour."""


def behaviour_in(text: str) -> str | None:
    """What makes ``text`` read as behaviour (``a status code: "404"``), or ``None``."""
    for name, pattern in BEHAVIOUR_RULES:
        found = pattern.search(text)
        if found:
            return f'{name}: "{found.group(0)}"'
    return None


@dataclass(frozen=True)
class Sentence:
    """One sentence of the prose.

    Attributes:
        at: The JSON Pointer of the object whose ``description`` holds it.
        index: Its position in that description, from 0.
        text: The sentence, whitespace collapsed.
    """

    at: str
    index: int
    text: str

    @property
    def pointer(self) -> str:
        """The JSON Pointer of the description that holds it."""
        return f"{self.at}/description"


@dataclass(frozen=True)
class TracedSentence:
    """A sentence and what the document binds it to.

    Attributes:
        sentence: The sentence.
        annotations: The promise annotations whose ``says`` quote it (checks judge them).
        unchecked: The ``x-parley-unchecked`` entries that quote it.
        informative: Whether its object's ``x-parley-informative`` lists it.
    """

    sentence: Sentence
    annotations: tuple[Annotation[Any], ...] = ()
    unchecked: tuple[Annotation[Any], ...] = ()
    informative: bool = False

    @property
    def status(self) -> Status:
        """``traced``, ``unchecked``, ``informative`` or ``untraced`` (in that precedence)."""
        if self.annotations:
            return "traced"
        if self.unchecked:
            return "unchecked"
        return "informative" if self.informative else "untraced"


@dataclass(frozen=True)
class Trace:
    """The whole document's trace.

    Attributes:
        sentences: Every sentence, in document order.
        problems: What breaks the trace's rules, one line each, with its JSON Pointer.
        silent: Promise annotations that quote no sentence (a promise the prose does not
            state: listed for review, not an error).
    """

    sentences: tuple[TracedSentence, ...]
    problems: tuple[str, ...]
    silent: tuple[Annotation[Any], ...] = ()

    def count(self, status: Status) -> int:
        """How many sentences have ``status``."""
        return sum(1 for line in self.sentences if line.status == status)

    def summary(self) -> str:
        """``267 sentences: 180 traced, 80 informative, 7 unchecked, 0 untraced``."""
        counts = ", ".join(f"{self.count(status)} {status}" for status in STATUSES)
        return f"{len(self.sentences)} sentences: {counts}"

    def of(self, annotation: Annotation[Any]) -> tuple[Sentence, ...]:
        """The sentences ``annotation`` formalises."""
        return tuple(
            line.sentence
            for line in self.sentences
            if any(note.pointer == annotation.pointer for note in line.annotations + line.unchecked)
        )

    def render(self) -> str:
        """The trace as text, for ``python -m parley_spec.trace``.

        Each description's pointer, then each of its sentences' status and text and the
        annotations bound to it; then the annotations that quote nothing; the summary last.
        """
        lines: list[str] = []
        current = None
        for line in self.sentences:
            if line.sentence.pointer != current:
                current = line.sentence.pointer
                lines.append(current)
            lines.append(f"  {line.status:<11} {line.sentence.text}")
            for note in line.annotations + line.unchecked:
                lines.append(f"{'':14}<- {note.kind} {note.pointer}")
        for note in self.silent:
            lines.append(f"quotes no sentence: {note.kind} {note.pointer}")
        lines.append(self.summary())
        return "\n".join(lines)


def _unique(notes: Iterable[Annotation[Any]]) -> list[Annotation[Any]]:
    """The annotations, each once (one on a shared parameter is listed per operation)."""
    seen: dict[str, Annotation[Any]] = {}
    for note in notes:
        seen.setdefault(note.pointer, note)
    return list(seen.values())


def _marks(document: Mapping[str, Any], at: str) -> list[str]:
    node = pointer_get(document, at)
    marks = node.get(INFORMATIVE) if isinstance(node, Mapping) else None
    return [normalise(str(mark)) for mark in marks or ()]


def build_trace(contract: Contract) -> Trace:
    """The trace of ``contract``: every sentence with its bindings, and the rules' problems.

    Args:
        contract: The contract (its annotations must be valid: see
            :attr:`~parley_spec.Contract.annotations`).

    Returns:
        The trace; ``problems`` lists each untraced sentence, each quote or informative mark
        that is not a sentence of its description, each informative mark on a sentence that
        reads as behaviour, and each sentence both marked informative and quoted.

    Raises:
        SpecError: An annotation breaks the vocabulary.
    """
    document = contract.document
    notes = _unique(contract.annotations)
    texts = {d.at: d.sentences for d in descriptions(document)}
    bound: dict[tuple[str, str], list[Annotation[Any]]] = {}
    problems: list[str] = []
    for note in notes:
        for quote in note.says:
            if quote.text not in texts.get(quote.at, ()):
                where = f"{quote.at}/description" if quote.at in texts else quote.at
                missing = "has no description" if quote.at not in texts else ""
                problems.append(
                    f'{quote.pointer}: "{quote.text}" is not a sentence of {where}'
                    if not missing
                    else f'{quote.pointer}: "{quote.text}" quotes {where}, which {missing}'
                )
                continue
            bound.setdefault((quote.at, quote.text), []).append(note)
    lines: list[TracedSentence] = []
    for at, sentences in texts.items():
        marks = _marks(document, at)
        for index, mark in enumerate(marks):
            here = f"{at}/{INFORMATIVE}/{index}"
            if mark not in sentences:
                problems.append(f'{here}: "{mark}" is not a sentence of {at}/description')
            elif (rule := behaviour_in(mark)) is not None:
                problems.append(
                    f'{here}: "{mark}" is marked informative but reads as behaviour ({rule}); '
                    "quote it in the says of the annotation that formalises it"
                )
            elif (at, mark) in bound:
                problems.append(
                    f'{here}: "{mark}" is marked informative but '
                    f"{bound[(at, mark)][0].pointer} formalises it"
                )
        for index, text in enumerate(sentences):
            found = bound.get((at, text), [])
            line = TracedSentence(
                Sentence(at, index, text),
                tuple(n for n in found if n.kind != "unchecked"),
                tuple(n for n in found if n.kind == "unchecked"),
                text in marks,
            )
            if line.status == "untraced":
                problems.append(
                    f'{at}/description: sentence {index + 1} is untraced: "{text}" '
                    f"(quote it in the says of the annotation that formalises it, or list it "
                    f"in {INFORMATIVE})"
                )
            lines.append(line)
    silent = tuple(n for n in notes if not n.says and n.kind not in ("given", "unchecked"))
    return Trace(tuple(lines), tuple(problems), silent)


def main(argv: list[str] | None = None) -> int:
    """``python -m parley_spec.trace [PATH]``: prints the trace; 1 when it has problems."""
    from ._model import Contract

    args = sys.argv[1:] if argv is None else argv
    try:
        path = Path(args[0]) if args else None
        trace = Contract(read_document(path), path).trace
    except (SpecError, FileNotFoundError) as exc:
        print(f"parley_spec.trace: {exc}", file=sys.stderr)
        return 2
    print(trace.render())
    for problem in trace.problems:
        print(problem, file=sys.stderr)
    return 1 if trace.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
