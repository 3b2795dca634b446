"""Authentication (API keys, HS256 JWTs) and scope checks.

API keys are random ``pk_...`` strings; only their SHA-256 hash is stored, bound to a tenant,
scopes and an entity. JWTs are HS256-signed with the server's secret and carry the claims
``tenant_id``, ``entity_type`` (``USER``/``LEAD``, default ``USER``), ``entity_id`` (or
``sub``), ``scopes`` (a list or a space-separated string) and ``exp`` (seconds since the epoch;
required unless the server was started with ``jwt_require_exp=False``); ``nbf`` and ``iat`` are
honoured when present. The secret must be at least :data:`MIN_JWT_SECRET_BYTES` bytes long
(RFC 7518 asks for a key as long as the hash, 256 bits for HS256).

Known API keys and tenants are remembered in-process for :data:`CACHE_TTL_SECONDS`, so most
requests skip the lookup; a key revoked (``parley keys revoke``) or removed by another process
stops working within that time, and at once on PostgreSQL, whose revocation notification
makes every server forget the key (:mod:`parley_server.notify`). Unknown keys are never
remembered: a new key works at once.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import jwt
from sqlalchemy import bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from . import tables
from .db import Database, now
from .problems import ProblemError

SCOPES = ("read", "write")
MIN_JWT_SECRET_BYTES = 32
"""The shortest HS256 secret accepted, in UTF-8 bytes."""
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="parley", ApiKey header="X-API-Key"'}
CACHE_TTL_SECONDS = 1.0
"""How long a known API key (or a JWT's tenant) is trusted without asking the database."""
CACHE_SIZE = 10_000
"""How many API keys (and, apart, tenants) are remembered at most."""

_KEY_QUERY = select(tables.api_keys).where(
    tables.api_keys.c.key_hash == bindparam("key_hash"), tables.api_keys.c.revoked_at.is_(None)
)
_TENANT_QUERY = select(tables.tenants.c.id).where(tables.tenants.c.id == bindparam("tenant_id"))

V = TypeVar("V")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the tenant, the entity and the granted scopes."""

    tenant_id: str
    entity_type: str
    entity_id: str
    scopes: frozenset[str]


def hash_key(key: str) -> str:
    """Returns the hex SHA-256 of an API key (what the database stores)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def unauthorized(detail: str) -> ProblemError:
    """Returns the 401 problem with the ``WWW-Authenticate`` challenge."""
    return ProblemError(
        401, "unauthenticated", "Authentication required", detail, headers=_CHALLENGE
    )


async def create_tenant(
    conn: AsyncConnection, name: str = "default", tenant_id: str | None = None
) -> str:
    """Inserts a tenant and returns its id (a new UUID unless ``tenant_id`` is given)."""
    tenant_id = tenant_id or str(uuid.uuid4())
    await conn.execute(insert(tables.tenants).values(id=tenant_id, name=name, created_at=now()))
    return tenant_id


async def create_api_key(
    conn: AsyncConnection,
    tenant_id: str,
    scopes: Iterable[str],
    *,
    entity_type: str = "USER",
    entity_id: str = "service",
    key: str | None = None,
) -> str:
    """Creates an API key and returns it in clear (the only time it is visible).

    Raises:
        ValueError: A scope is not ``read`` or ``write``.
    """
    wanted = sorted(set(scopes))
    if not wanted or any(s not in SCOPES for s in wanted):
        raise ValueError(f"scopes must be among {SCOPES}, got {wanted}")
    key = key or new_api_key()
    await conn.execute(
        insert(tables.api_keys).values(
            id=str(uuid.uuid4()),
            tenant_id=tenant_id,
            key_hash=hash_key(key),
            prefix=key[:10],
            scopes=",".join(wanted),
            entity_type=entity_type,
            entity_id=entity_id,
            created_at=now(),
        )
    )
    return key


def new_api_key() -> str:
    """Returns a fresh random API key (``pk_`` and 43 URL-safe characters)."""
    return "pk_" + secrets.token_urlsafe(32)


def check_jwt_secret(secret: str) -> None:
    """Refuses an HS256 secret shorter than :data:`MIN_JWT_SECRET_BYTES` bytes.

    Raises:
        ValueError: The secret is too short; the message says how to make a good one.
    """
    size = len(secret.encode("utf-8"))
    if size < MIN_JWT_SECRET_BYTES:
        raise ValueError(
            f"the JWT secret is {size} bytes; use at least {MIN_JWT_SECRET_BYTES}, e.g. "
            "\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')\""
        )


class TtlCache(Generic[V]):
    """A bounded map whose entries expire ``ttl`` seconds after they were stored.

    Args:
        ttl: Seconds an entry stays valid.
        size: The most entries kept; storing one more drops the oldest.
        clock: Returns the current time in seconds (``time.monotonic``; tests inject one).
    """

    def __init__(
        self,
        ttl: float = CACHE_TTL_SECONDS,
        size: int = CACHE_SIZE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.size = size
        self.clock = clock
        self._entries: dict[str, tuple[float, V]] = {}

    def get(self, key: str) -> V | None:
        """Returns the value stored under ``key``, or ``None`` when absent or expired."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] < self.clock():
            del self._entries[key]
            return None
        return entry[1]

    def put(self, key: str, value: V) -> None:
        """Stores ``value`` under ``key`` for ``ttl`` seconds."""
        self._entries.pop(key, None)
        while len(self._entries) >= self.size:
            del self._entries[next(iter(self._entries))]  # the oldest insertion
        self._entries[key] = (self.clock() + self.ttl, value)

    def drop(self, key: str) -> None:
        """Forgets ``key`` (no error when absent)."""
        self._entries.pop(key, None)


class Authenticator:
    """Turns request headers into a :class:`Principal`.

    Args:
        db: The database holding API keys.
        jwt_secret: The HS256 secret JWTs must be signed with (at least 32 bytes).
        require_exp: Refuse tokens without an ``exp`` claim (the default).
        clock: The key and tenant caches' clock, in seconds (``time.monotonic``; tests
            inject one).

    Raises:
        ValueError: ``jwt_secret`` is shorter than :data:`MIN_JWT_SECRET_BYTES` bytes.
    """

    def __init__(
        self,
        db: Database,
        jwt_secret: str,
        *,
        require_exp: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        check_jwt_secret(jwt_secret)
        self.db = db
        self.jwt_secret = jwt_secret
        self._jwt_options: jwt.types.Options = {"require": ["exp"] if require_exp else []}
        self.keys: TtlCache[Principal] = TtlCache(clock=clock)
        self.tenants: TtlCache[bool] = TtlCache(clock=clock)

    async def authenticate(self, headers: Mapping[str, str]) -> Principal:
        """Returns the caller, from ``X-API-Key`` or ``Authorization: Bearer``.

        Raises:
            ProblemError: 401 when credentials are missing or invalid.
        """
        key = headers.get("x-api-key")
        if key:
            return await self._from_key(key)
        auth = headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            principal = self._from_jwt(token.strip())
            if self.tenants.get(principal.tenant_id) is None:
                async with self.db.read() as conn:
                    query = await conn.execute(_TENANT_QUERY, {"tenant_id": principal.tenant_id})
                    if query.first() is None:
                        raise unauthorized("The bearer token names an unknown tenant.")
                self.tenants.put(principal.tenant_id, True)
            return principal
        raise unauthorized("Send an X-API-Key header or an Authorization Bearer token.")

    async def _from_key(self, key: str) -> Principal:
        digest = hash_key(key)
        principal = self.keys.get(digest)
        if principal is not None:
            return principal
        async with self.db.read() as conn:
            row = (await conn.execute(_KEY_QUERY, {"key_hash": digest})).first()
        if row is None:
            raise unauthorized("The API key is not valid.")
        principal = Principal(
            tenant_id=row.tenant_id,
            entity_type=row.entity_type,
            entity_id=row.entity_id,
            scopes=frozenset(row.scopes.split(",")),
        )
        self.keys.put(digest, principal)
        return principal

    def forget(self, key_hash: str) -> None:
        """Forgets a cached API key by its hash (it was revoked in another process)."""
        self.keys.drop(key_hash)

    def _from_jwt(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token, self.jwt_secret, algorithms=["HS256"], options=self._jwt_options
            )
        except jwt.PyJWTError as exc:
            raise unauthorized(f"The bearer token is not valid: {exc}.") from exc
        for name in ("exp", "nbf", "iat"):
            value = claims.get(name)
            if name in claims and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise unauthorized(f"The bearer token's {name} claim is not a number.")
        tenant = claims.get("tenant_id")
        entity_type = claims.get("entity_type", "USER")
        entity_id = claims.get("entity_id") or claims.get("sub")
        raw_scopes = claims.get("scopes", claims.get("scope", []))
        if isinstance(raw_scopes, str):
            raw_scopes = raw_scopes.split()
        if (
            not isinstance(tenant, str)
            or not tenant
            or len(tenant) > 128
            or "\x00" in tenant
            or entity_type not in ("USER", "LEAD")
            or not isinstance(entity_id, str)
            or not entity_id
            or not isinstance(raw_scopes, list)
        ):
            raise unauthorized("The bearer token lacks tenant, entity or scope claims.")
        if not all(_storable(text) for text in (tenant, entity_id, *_strings(raw_scopes))):
            # Never echoed or logged: the value is not text a database can store.
            raise unauthorized("The bearer token's claims hold text that is not valid Unicode.")
        return Principal(
            tenant_id=tenant,
            entity_type=entity_type,
            entity_id=entity_id,
            scopes=frozenset(s for s in raw_scopes if isinstance(s, str)),
        )


def _strings(values: list[Any]) -> list[str]:
    return [v for v in values if isinstance(v, str)]


def _storable(text: str) -> bool:
    """Whether ``text`` has no lone surrogate (it encodes as UTF-8) and no NUL."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def require_scopes(principal: Principal, needed: Iterable[str]) -> None:
    """Checks that the caller holds every scope the operation needs.

    Raises:
        ProblemError: 403 naming the missing scope.
    """
    missing = sorted(set(needed) - principal.scopes)
    if missing:
        raise ProblemError(
            403,
            "insufficient-scope",
            "Insufficient scope",
            f"This operation needs the {' and '.join(missing)} scope.",
        )
