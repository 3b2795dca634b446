"""The agent: a small ``Responder`` protocol and a deterministic default implementation.

A responder receives at most ``max_context_length`` previous messages and the new input, and
yields the reply as text pieces (tokens). The same context and input always give the same reply
from :class:`DeterministicResponder`, which makes replays and tests exact. Plug in a real model
by passing any object with the same ``reply`` method to ``create_app(responder=...)``.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Protocol

_OPENERS = (
    "Thanks for asking.",
    "Good question.",
    "Here is what I can tell you.",
    "Let me help with that.",
    "Happy to explain.",
)
_BODIES = (
    "The short answer is that it depends on your plan and settings.",
    "Most teams start with the defaults and adjust them after a week of use.",
    "The documentation covers this under configuration and limits.",
    "You can change this at any time from the dashboard.",
    "This works the same way on every surface of the product.",
)


@dataclass(frozen=True)
class ContextMessage:
    """One earlier message given to the responder.

    Attributes:
        role: ``user``, ``assistant`` or ``system``.
        content: The message text.
    """

    role: str
    content: str


class Responder(Protocol):
    """Produces a reply to ``message`` given the earlier ``history`` (oldest first)."""

    def reply(self, history: Sequence[ContextMessage], message: str) -> AsyncIterator[str]:
        """Yields the reply's text in pieces; joining them gives the whole reply."""
        ...


class DeterministicResponder:
    """A responder whose reply is a pure function of (history, message).

    Args:
        token_delay_seconds: Pause before each piece after the first, in seconds, to make
            streaming look realistic (0 for none).
    """

    def __init__(self, token_delay_seconds: float = 0.0) -> None:
        self.token_delay_seconds = max(0.0, token_delay_seconds)

    @staticmethod
    def compose(history: Sequence[ContextMessage], message: str) -> str:
        """Returns the whole reply text for this context and input (pure, never empty)."""
        digest = hashlib.sha256()
        for item in history:
            digest.update(f"{item.role}\x00{item.content}\x01".encode())
        digest.update(message.encode("utf-8", "surrogatepass"))
        seed = digest.digest()
        topic = " ".join(message.split())[:80] or "your message"
        return (
            f'{_OPENERS[seed[0] % len(_OPENERS)]} You asked about "{topic}". '
            f"{_BODIES[seed[1] % len(_BODIES)]} "
            f"(I considered {len(history)} earlier message{'s' if len(history) != 1 else ''}.)"
        )

    async def reply(self, history: Sequence[ContextMessage], message: str) -> AsyncIterator[str]:
        """Yields the reply of :meth:`compose` word by word, pausing between pieces."""
        pieces = re.findall(r"\S+\s*", self.compose(history, message))
        for i, piece in enumerate(pieces):
            if i and self.token_delay_seconds:
                await asyncio.sleep(self.token_delay_seconds)
            yield piece


async def collect(pieces: AsyncIterator[str]) -> str:
    """Joins every piece of a reply."""
    return "".join([p async for p in pieces])


def sources_for(question: str) -> list[dict[str, str | None]]:
    """Returns deterministic Q&A sources for a question (``QaSource`` objects)."""
    seed = hashlib.sha256(question.encode("utf-8", "surrogatepass")).hexdigest()
    return [
        {
            "title": f"Reference note {seed[:6]}",
            "snippet": "A passage the answer is based on.",
            "url": f"https://example.com/notes/{seed[:12]}",
        }
    ]
