"""Parley: ergonomic clients over the generated ``parley_client``.

``Parley`` and ``AsyncParley`` give the resource style (``client.conversations...``); the
``*Service`` classes give the service style; streams, pages and errors are typed. The
generated functional style stays available in ``parley_client.api``.

The async half (``_async/``) is written by hand; the sync half (``_sync/``) is made from it by
``scripts/unasync``.
"""

from ._async.client import AsyncParley
from ._async.pagination import AsyncPage
from ._async.response import AsyncAPIResponse, AsyncResponseContextManager
from ._async.services import AsyncAnalyticsService, AsyncConversationService, AsyncMessageService
from ._async.streaming import AsyncStream
from ._base import RequestOptions, StreamOptions
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
from ._not_given import NOT_GIVEN, NotGiven
from ._sync.client import Parley
from ._sync.pagination import SyncPage
from ._sync.response import APIResponse, ResponseContextManager
from ._sync.services import AnalyticsService, ConversationService, MessageService
from ._sync.streaming import Stream

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AnalyticsService",
    "AsyncAPIResponse",
    "AsyncAnalyticsService",
    "AsyncConversationService",
    "AsyncMessageService",
    "AsyncPage",
    "AsyncParley",
    "AsyncResponseContextManager",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ConversationService",
    "InternalServerError",
    "MessageService",
    "NotFoundError",
    "NotGiven",
    "Parley",
    "ParleyError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestOptions",
    "ResponseContextManager",
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
