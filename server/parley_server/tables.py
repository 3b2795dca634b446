"""The relational schema (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Timestamps are ISO 8601 UTC strings with microseconds (``2025-03-15T14:30:00.123456+00:00``),
so they sort as text on every backend. Counters that lists need (``message_count`` per
conversation, per-tenant totals) are denormalized so no page asks for a COUNT over a large
conversation or tenant.
"""

from __future__ import annotations

import re

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect

SCHEMA_VERSION = 2
"""Version 2 added ``api_keys.revoked_at``, the lease columns of ``idempotency_records`` and
the ``stream_events`` table (see :mod:`parley_server.migrate`)."""


class SafeText(TypeDecorator[str]):
    r"""Text that may hold NUL characters, which PostgreSQL's ``text`` refuses.

    On PostgreSQL, ``\x1b`` is doubled and ``\x00`` becomes ``\x1b0`` on the way in, and
    the reverse on the way out; SQLite stores the text as is.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        """Escapes NUL for PostgreSQL."""
        if value is None or dialect.name != "postgresql":
            return value
        return value.replace("\x1b", "\x1b\x1b").replace("\x00", "\x1b0")

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        """Undoes :meth:`process_bind_param`."""
        if value is None or dialect.name != "postgresql":
            return value
        return _UNESCAPE.sub(lambda m: "\x00" if m.group(0) == "\x1b0" else "\x1b", value)


_UNESCAPE = re.compile("\x1b0|\x1b\x1b")

metadata = MetaData()


def _id(name: str = "id") -> Column[str]:
    return Column(name, String(128), primary_key=True)


def _ts(name: str, nullable: bool = False) -> Column[str]:
    return Column(name, String(40), nullable=nullable)


schema_version = Table(
    "parley_schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    _ts("applied_at"),
)

tenants = Table(
    "tenants",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("live_conversations", Integer, nullable=False, default=0),
    Column("deleted_conversations", Integer, nullable=False, default=0),
    Column("deleted_messages", Integer, nullable=False, default=0),
    _ts("created_at"),
)

api_keys = Table(
    "api_keys",
    metadata,
    _id(),
    Column("tenant_id", String(128), ForeignKey("tenants.id"), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),
    Column("scopes", String(100), nullable=False),
    Column("entity_type", String(10), nullable=False),
    Column("entity_id", String(200), nullable=False),
    _ts("created_at"),
    _ts("revoked_at", True),
)

agents = Table(
    "agents",
    metadata,
    _id(),
    Column("tenant_id", String(128), nullable=False),
    Column("name", SafeText, nullable=False),
    Column("description", SafeText, nullable=True),
    _ts("created_at"),
    Index("ix_agents_tenant_created", "tenant_id", "created_at", "id"),
)

conversations = Table(
    "conversations",
    metadata,
    _id(),
    Column("tenant_id", String(128), nullable=False),
    Column("agent_id", String(128), nullable=False),
    Column("entity_type", String(10), nullable=False),
    Column("entity_id", SafeText, nullable=False),
    Column("title", SafeText, nullable=True),
    Column("metadata", JSON, nullable=False),
    Column("status", String(10), nullable=False),
    Column("max_context_length", Integer, nullable=False),
    Column("message_count", Integer, nullable=False, default=0),
    Column("deleted_message_count", Integer, nullable=False, default=0),
    Column("next_seq", Integer, nullable=False, default=1),
    Column("rating", Integer, nullable=True),
    Column("feedback", SafeText, nullable=True),
    _ts("started_at"),
    _ts("ended_at", True),
    _ts("last_message_at", True),
    _ts("created_at"),
    _ts("updated_at"),
    _ts("deleted_at", True),
    # One index per sort field of listConversations (id breaks ties); deleted lists read
    # (tenant_id, deleted_at, id) ordered by deletion time.
    *(
        Index(f"ix_conv_tenant_live_{field}", "tenant_id", "deleted_at", field, "id")
        for field in ("created_at", "updated_at", "started_at", "ended_at", "title")
    ),
    Index("ix_conv_tenant_deleted", "tenant_id", "deleted_at", "id"),
    Index("ix_conv_tenant_entity", "tenant_id", "entity_id", "deleted_at", "created_at", "id"),
    Index("ix_conv_tenant_agent", "tenant_id", "agent_id", "deleted_at"),
    Index("ix_conv_tenant_status", "tenant_id", "status", "deleted_at"),
)

messages = Table(
    "messages",
    metadata,
    _id(),
    Column("tenant_id", String(128), nullable=False),
    Column("conversation_id", String(128), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("role", String(10), nullable=False),
    Column("content", SafeText, nullable=False),
    Column("rating", Integer, nullable=True),
    Column("feedback", SafeText, nullable=True),
    Column("reply_to", String(128), nullable=True),
    _ts("created_at"),
    _ts("deleted_at", True),
    Index("ix_msg_conv_live_seq", "conversation_id", "deleted_at", "seq"),
    Index("ux_msg_conv_seq", "conversation_id", "seq", unique=True),
    Index("ix_msg_tenant_deleted", "tenant_id", "deleted_at", "id"),
)

qa_conversations = Table(
    "qa_conversations",
    metadata,
    _id(),
    Column("tenant_id", String(128), nullable=False),
    Column("title", SafeText, nullable=False),
    Column("message_count", Integer, nullable=False, default=0),
    _ts("timestamp"),
    _ts("created_at"),
    Index("ix_qa_tenant_ts", "tenant_id", "timestamp", "id"),
)

qa_messages = Table(
    "qa_messages",
    metadata,
    _id(),
    Column("conversation_id", String(128), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("question", SafeText, nullable=False),
    Column("answer", SafeText, nullable=False),
    Column("sources", JSON, nullable=False),
    _ts("timestamp"),
    Index("ux_qa_msg_conv_seq", "conversation_id", "seq", unique=True),
)

agent_conversations = Table(
    "agent_conversations",
    metadata,
    _id(),
    Column("tenant_id", String(128), nullable=False),
    Column("agent_id", String(128), nullable=False),
    Column("title", SafeText, nullable=False),
    Column("record_ids", JSON, nullable=False),
    Column("departments", JSON, nullable=False),
    Column("model_key", SafeText, nullable=True),
    Column("model_name", SafeText, nullable=True),
    Column("chat_mode", SafeText, nullable=True),
    Column("next_seq", Integer, nullable=False, default=1),
    _ts("created_at"),
    _ts("updated_at"),
    Index("ix_agconv_tenant_agent_upd", "tenant_id", "agent_id", "updated_at", "id"),
)

agent_messages = Table(
    "agent_messages",
    metadata,
    _id(),
    Column("conversation_id", String(128), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("message_type", String(20), nullable=False),
    Column("content", SafeText, nullable=False),
    _ts("created_at"),
    _ts("updated_at"),
    Index("ux_agmsg_conv_seq", "conversation_id", "seq", unique=True),
)

idempotency = Table(
    "idempotency_records",
    metadata,
    Column("tenant_id", String(128), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=False),
    Column("media_type", String(60), nullable=False),
    Column("body", LargeBinary, nullable=False),
    _ts("created_at"),
    # The process holding an unfinished record, and until when it is known alive (heartbeat).
    Column("owner", String(40), nullable=True),
    _ts("lease_until", True),
)

stream_events = Table(
    "stream_events",
    metadata,
    Column("tenant_id", String(128), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("event", String(40), nullable=False),
    Column("data", SafeText, nullable=False),
    _ts("created_at"),
)
"""The events of a stream as they are produced (idempotency key), so any process can replay
and follow it; the completed stream's events are also in its ``idempotency_records`` body."""
