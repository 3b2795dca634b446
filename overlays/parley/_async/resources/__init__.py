"""The resource groups of ``AsyncParley``, one module per tag of the contract.

Every module holds one resource class (``AsyncConversations``...); its ``with_raw_response`` and
``with_streaming_response`` twins are made from its methods (``parley._async.twins``).
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
