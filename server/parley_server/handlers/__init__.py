"""Operation handlers, one module per concept; ``HANDLERS`` maps operationId to handler."""

from __future__ import annotations

from ..context import Handler
from . import agent_conversations, agents, analytics, chat, conversations, history, messages, qa

HANDLERS: dict[str, Handler] = {
    **agents.HANDLERS,
    **conversations.HANDLERS,
    **history.HANDLERS,
    **chat.HANDLERS,
    **messages.HANDLERS,
    **analytics.HANDLERS,
    **qa.HANDLERS,
    **agent_conversations.HANDLERS,
}

__all__ = ["HANDLERS"]
