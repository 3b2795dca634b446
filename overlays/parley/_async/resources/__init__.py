"""The resource groups of ``AsyncParley``, one module per tag of the contract.

Every module has the same layout: the resource class (``AsyncConversations``...), then its
``with_raw_response`` and ``with_streaming_response`` views.
"""

from .agent_conversations import AsyncAgentConversations
from .agents import AsyncAgents
from .analytics import AsyncAnalytics
from .conversations import AsyncConversations
from .messages import AsyncMessages
from .qa import AsyncQa

__all__ = [
    "AsyncAgentConversations",
    "AsyncAgents",
    "AsyncAnalytics",
    "AsyncConversations",
    "AsyncMessages",
    "AsyncQa",
]
