"""Bearer tokens: ``exp`` is required unless relaxed; secrets under 32 bytes are refused."""

from __future__ import annotations

import time
import warnings
from typing import Any

import jwt
import pytest
from parley_server.app import create_app
from parley_server.config import ServerConfig


def _token(secret: str, tenant_id: str, **claims: Any) -> str:
    body = {"tenant_id": tenant_id, "entity_id": "u-1", "scopes": ["read"], **claims}
    return jwt.encode(body, secret, algorithm="HS256")


def test_a_token_without_exp_is_refused_by_default(serve_app: Any) -> None:
    client, built = serve_app()
    token = _token(built.jwt_secret, built.tenant.tenant_id)
    r = client.get("/v1/agent", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert 'missing the "exp" claim' in r.json()["detail"]
    dated = _token(built.jwt_secret, built.tenant.tenant_id, exp=int(time.time()) + 60)
    assert client.get("/v1/agent", headers={"Authorization": f"Bearer {dated}"}).status_code == 200


def test_an_expired_token_is_refused(serve_app: Any) -> None:
    client, built = serve_app()
    token = _token(built.jwt_secret, built.tenant.tenant_id, exp=int(time.time()) - 5)
    r = client.get("/v1/agent", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert "expired" in r.json()["detail"]


def test_exp_may_be_made_optional(serve_app: Any) -> None:
    client, built = serve_app(jwt_require_exp=False)
    token = _token(built.jwt_secret, built.tenant.tenant_id)
    assert client.get("/v1/agent", headers={"Authorization": f"Bearer {token}"}).status_code == 200


@pytest.mark.parametrize("secret", ["s3cret", "x" * 31, "é" * 15])
def test_a_secret_under_32_bytes_is_refused_at_start_up(secret: str) -> None:
    with pytest.raises(ValueError, match=r"^the JWT secret is \d+ bytes; use at least 32"):
        create_app(ServerConfig(jwt_secret=secret))


def test_a_32_byte_secret_raises_no_pyjwt_warning(serve_app: Any) -> None:
    secret = "0123456789abcdef0123456789abcdef"
    client, built = serve_app(jwt_secret=secret)
    token = _token(secret, built.tenant.tenant_id, exp=int(time.time()) + 60)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = client.get("/v1/agent", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
