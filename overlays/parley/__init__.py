"""Parley: ergonomic clients over the generated ``parley_client``.

``Parley`` and ``AsyncParley`` give the resource style (``client.conversations...``); the
``*Service`` classes give the service style; streams, pages and errors are typed. The
generated functional style stays available in ``parley_client.api``.
"""

from ._async_services import AsyncAnalyticsService, AsyncConversationService, AsyncMessageService
from ._base import RequestOptions, StreamOptions
from ._client import AsyncParley, Parley
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    ParleyError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from ._events import (
    StreamCompleteEvent,
    StreamDeltaEvent,
    StreamEvent,
    StreamStartEvent,
    StreamUnknownEvent,
)
from ._pagination import AsyncPage, SyncPage
from ._services import AnalyticsService, ConversationService, MessageService
from ._streaming import AsyncStream, Stream

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AnalyticsService",
    "AsyncAnalyticsService",
    "AsyncConversationService",
    "AsyncMessageService",
    "AsyncPage",
    "AsyncParley",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ConversationService",
    "InternalServerError",
    "MessageService",
    "NotFoundError",
    "Parley",
    "ParleyError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestOptions",
    "Stream",
    "StreamCompleteEvent",
    "StreamDeltaEvent",
    "StreamEvent",
    "StreamOptions",
    "StreamStartEvent",
    "StreamUnknownEvent",
    "SyncPage",
    "UnprocessableEntityError",
]
