"""Contains all the data models used in inputs/outputs"""

from .add_agent_message_request import AddAgentMessageRequest
from .agent import Agent
from .agent_complete_event import AgentCompleteEvent
from .agent_complete_event_event import AgentCompleteEventEvent
from .agent_conversation import AgentConversation
from .agent_message import AgentMessage
from .agent_message_type import AgentMessageType
from .agent_page import AgentPage
from .agent_start_event import AgentStartEvent
from .agent_start_event_event import AgentStartEventEvent
from .agent_stream_start import AgentStreamStart
from .bulk_message_result import BulkMessageResult
from .chat_complete_event import ChatCompleteEvent
from .chat_complete_event_event import ChatCompleteEventEvent
from .chat_response import ChatResponse
from .chat_start_event import ChatStartEvent
from .chat_start_event_event import ChatStartEventEvent
from .chat_stream_start import ChatStreamStart
from .chat_turn import ChatTurn
from .conversation import Conversation
from .conversation_analytics import ConversationAnalytics
from .conversation_flow import ConversationFlow
from .conversation_page import ConversationPage
from .conversation_sort_field import ConversationSortField
from .conversation_status import ConversationStatus
from .create_agent_conversation_request import CreateAgentConversationRequest
from .create_agent_request import CreateAgentRequest
from .create_conversation_request import CreateConversationRequest
from .delta_event import DeltaEvent
from .delta_event_event import DeltaEventEvent
from .end_conversation_request import EndConversationRequest
from .entity_type import EntityType
from .error_event import ErrorEvent
from .error_event_event import ErrorEventEvent
from .field_problem import FieldProblem
from .filters import Filters
from .message import Message
from .message_page import MessagePage
from .message_role import MessageRole
from .message_statistics import MessageStatistics
from .metadata import Metadata
from .problem import Problem
from .qa_chat_request import QaChatRequest
from .qa_chat_response import QaChatResponse
from .qa_conversation_list import QaConversationList
from .qa_conversation_summary import QaConversationSummary
from .qa_delete_result import QaDeleteResult
from .qa_message import QaMessage
from .qa_message_list import QaMessageList
from .qa_source import QaSource
from .quality_metrics import QualityMetrics
from .rate_message_request import RateMessageRequest
from .regenerate_agent_answer_request import RegenerateAgentAnswerRequest
from .send_message_request import SendMessageRequest
from .sort_order import SortOrder
from .stream_delta import StreamDelta
from .update_conversation_request import UpdateConversationRequest

__all__ = (
    "AddAgentMessageRequest",
    "Agent",
    "AgentCompleteEvent",
    "AgentCompleteEventEvent",
    "AgentConversation",
    "AgentMessage",
    "AgentMessageType",
    "AgentPage",
    "AgentStartEvent",
    "AgentStartEventEvent",
    "AgentStreamStart",
    "BulkMessageResult",
    "ChatCompleteEvent",
    "ChatCompleteEventEvent",
    "ChatResponse",
    "ChatStartEvent",
    "ChatStartEventEvent",
    "ChatStreamStart",
    "ChatTurn",
    "Conversation",
    "ConversationAnalytics",
    "ConversationFlow",
    "ConversationPage",
    "ConversationSortField",
    "ConversationStatus",
    "CreateAgentConversationRequest",
    "CreateAgentRequest",
    "CreateConversationRequest",
    "DeltaEvent",
    "DeltaEventEvent",
    "EndConversationRequest",
    "EntityType",
    "ErrorEvent",
    "ErrorEventEvent",
    "FieldProblem",
    "Filters",
    "Message",
    "MessagePage",
    "MessageRole",
    "MessageStatistics",
    "Metadata",
    "Problem",
    "QaChatRequest",
    "QaChatResponse",
    "QaConversationList",
    "QaConversationSummary",
    "QaDeleteResult",
    "QaMessage",
    "QaMessageList",
    "QaSource",
    "QualityMetrics",
    "RateMessageRequest",
    "RegenerateAgentAnswerRequest",
    "SendMessageRequest",
    "SortOrder",
    "StreamDelta",
    "UpdateConversationRequest",
)
