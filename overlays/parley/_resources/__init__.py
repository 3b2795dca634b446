"""The resource groups of the clients, one module per tag, sync and async."""

from .agent_conversations import AgentConversations
from .agents import Agents, AsyncAgents
from .analytics import Analytics, AsyncAnalytics
from .async_agent_conversations import AsyncAgentConversations
from .async_conversations import AsyncConversations
from .conversations import Conversations
from .messages import AsyncMessages, Messages
from .qa import AsyncQa, Qa

__all__ = [
    "AgentConversations",
    "Agents",
    "Analytics",
    "AsyncAgentConversations",
    "AsyncAgents",
    "AsyncAnalytics",
    "AsyncConversations",
    "AsyncMessages",
    "AsyncQa",
    "Conversations",
    "Messages",
    "Qa",
]
