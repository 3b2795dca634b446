"""Operating the server: probes, schema upgrades, `parley tenants/keys`, `serve --workers`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from parley_server import tables
from parley_server.db import Database
from parley_server.testing import build_app, start_server
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

PG_URL = os.environ.get("PARLEY_TEST_DATABASE_URL")
PARLEY = [sys.executable, "-m", "parley_cli"]


def parley(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PARLEY, *args], capture_output=True, text=True, timeout=60)


def test_healthz_needs_no_database_and_readyz_reports_it() -> None:
    # Nothing listens on port 1: the database is unreachable. Without the lifespan, as in a
    # server whose database went away after start-up.
    client = TestClient(build_app("postgresql+asyncpg://postgres@127.0.0.1:1/none").app)
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("not-ready") and "not reachable" in r.json()["detail"]


def test_readyz_checks_the_schema_version_without_credentials(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    built = build_app(url)
    with TestClient(built.app) as client:
        r = client.get("/readyz")
        assert r.status_code == 200
        assert r.json() == {"status": "ready", "schema_version": tables.SCHEMA_VERSION}
        assert client.get("/v1/agent").status_code == 401  # the API still needs a key

        async def newer() -> None:
            db = Database(url)
            async with db.write() as conn:
                await conn.execute(
                    tables.schema_version.insert().values(version=99, applied_at="x")
                )
            await db.close()

        asyncio.run(newer())
        r = client.get("/readyz")
        assert r.status_code == 503 and "version 99" in r.json()["detail"]


async def _downgrade_to_v1(url: str) -> None:
    """Turns a current database into what version 1 created (version 2 only added things)."""
    db = Database(url)
    await db.create_schema()
    async with db.write() as conn:
        await conn.execute(text("DROP TABLE stream_events"))
        await conn.execute(text("ALTER TABLE api_keys DROP COLUMN revoked_at"))
        await conn.execute(text("ALTER TABLE idempotency_records DROP COLUMN owner"))
        await conn.execute(text("ALTER TABLE idempotency_records DROP COLUMN lease_until"))
        await conn.execute(text("DELETE FROM parley_schema_version"))
        await conn.execute(text("INSERT INTO parley_schema_version VALUES (1, 'then')"))
    await db.close()


async def _versions(url: str) -> list[int]:
    db = Database(url)
    async with db.read() as conn:
        found = (await conn.execute(select(tables.schema_version.c.version))).scalars().all()
    await db.close()
    return sorted(found)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def v1_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'v1.db'}"
        asyncio.run(_downgrade_to_v1(url))
        yield url
        return
    if not PG_URL:
        pytest.skip("PostgreSQL upgrade: set PARLEY_TEST_DATABASE_URL")
    # A database of its own (next to the configured one), so no other test sees version 1.
    base = make_url(PG_URL)
    name = f"{base.database}_upgrade"
    admin = base.render_as_string(False)

    async def recreate(drop_only: bool) -> None:
        db = Database(admin)
        async with db.engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if not drop_only:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
        await db.close()

    asyncio.run(recreate(False))
    url = base.set(database=name).render_as_string(False)
    asyncio.run(_downgrade_to_v1(url))
    try:
        yield url
    finally:
        asyncio.run(recreate(True))


def test_server_upgrades_a_database_of_the_previous_schema_version(v1_database: str) -> None:
    assert asyncio.run(_versions(v1_database)) == [1]
    creds = json.loads(
        parley("tenants", "create", "--database-url", v1_database, "--json").stdout
    )  # any start-up upgrades; the CLI does too
    assert asyncio.run(_versions(v1_database)) == [1, 2]
    built = build_app(v1_database)
    with TestClient(built.app) as client:
        assert client.get("/readyz").json()["schema_version"] == 2
        key = {"X-API-Key": creds["write_key"]}
        assert client.get("/v1/agent", headers=key).status_code == 200
    # A second start finds version 2 and changes nothing.
    asyncio.run(Database(v1_database).create_schema())
    assert asyncio.run(_versions(v1_database)) == [1, 2]


def test_a_newer_schema_is_refused_with_the_fix_named(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"

    async def run() -> None:
        db = Database(url)
        await db.create_schema()
        async with db.write() as conn:
            await conn.execute(tables.schema_version.insert().values(version=3, applied_at="x"))
        with pytest.raises(RuntimeError, match="upgrade this Parley server"):
            await db.create_schema()
        await db.close()

    asyncio.run(run())


def test_tenants_create_keys_list_and_revoke(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    made = parley("tenants", "create", "--name", "acme", "--database-url", db)
    assert made.returncode == 0, made.stderr
    lines = made.stdout.splitlines()
    assert lines[0].startswith("Created tenant ") and "pk_" in lines[1] and "pk_" in lines[2]
    tenant_id = lines[0].split()[-1]
    write_key = lines[1].split()[-1]
    listed = json.loads(parley("keys", "list", "--database-url", db, "--json").stdout)
    # Both keys of the new tenant, active; the listing's order is not part of the contract.
    assert sorted((k["tenant_id"], k["scopes"], k["revoked_at"]) for k in listed) == [
        (tenant_id, "read", None),
        (tenant_id, "read,write", None),
    ]
    assert all(write_key not in json.dumps(k) for k in listed)  # never the key itself
    target = next(k for k in listed if write_key.startswith(k["prefix"]))
    plain = parley("keys", "list", "--database-url", db).stdout
    assert target["id"] in plain and "active" in plain
    revoked = parley("keys", "revoke", target["id"], "--database-url", db)
    assert revoked.returncode == 0 and target["id"] in revoked.stdout
    again = parley("keys", "revoke", target["id"], "--database-url", db)
    assert again.returncode == 0  # revoking twice is not an error
    listed = json.loads(parley("keys", "list", "--database-url", db, "--json").stdout)
    assert [k["revoked_at"] is not None for k in listed if k["id"] == target["id"]] == [True]
    missing = parley("keys", "revoke", "no-such-key", "--database-url", db)
    assert missing.returncode == 1 and "no API key no-such-key" in missing.stderr
    built = build_app(db)
    with TestClient(built.app) as client:
        assert client.get("/v1/agent", headers={"X-API-Key": write_key}).status_code == 401


def test_revoked_key_refused_by_a_running_sqlite_server_once_its_cache_expires() -> None:
    # The cache's lifetime (CACHE_TTL_SECONDS, one second) is proven on an injected clock in
    # test_server_reads.py; here a real `parley serve` process, whose cache holds the key,
    # refuses it after `parley keys revoke` ran in another process.
    with start_server() as server:
        key = server.tenant.write_key
        with httpx.Client(base_url=server.base_url, headers={"X-API-Key": key}) as client:
            assert client.get("/v1/agent").status_code == 200  # cached now
            listed = json.loads(
                parley("keys", "list", "--database-url", server.database_url, "--json").stdout
            )
            target = next(k for k in listed if key.startswith(k["prefix"]))
            revoked = parley("keys", "revoke", target["id"], "--database-url", server.database_url)
            assert revoked.returncode == 0, revoked.stderr
            assert f"Revoked {target['id']}" in revoked.stdout
            # A bound against a hang only: the expiry itself is measured on the fake clock.
            deadline = time.monotonic() + 60
            while (status := client.get("/v1/agent").status_code) == 200:
                assert time.monotonic() < deadline, "the revoked key is still accepted"
                time.sleep(0.05)
            assert status == 401


def test_serve_refuses_several_workers_on_sqlite(tmp_path: Path) -> None:
    r = parley("serve", "--workers", "2", "--database-url", f"sqlite:///{tmp_path / 'x.db'}")
    assert r.returncode == 2
    assert "--workers above 1 needs PostgreSQL" in r.stderr
    assert not (tmp_path / "x.db").exists()  # refused before touching anything


def test_help_documents_the_operator_commands() -> None:
    serve = parley("serve", "--help").stdout
    assert "--workers" in serve and "needs PostgreSQL" in serve and "--lease-seconds" in serve
    assert "/healthz" in serve and "/readyz" in serve
    keys = parley("keys", "--help").stdout
    assert all(name in keys for name in ("create", "list", "revoke"))
    assert "Revokes the API key KEY_ID" in parley("keys", "revoke", "--help").stdout
    assert "prints its id" in parley("tenants", "create", "--help").stdout


def test_a_version_without_an_upgrade_step_is_refused_with_the_fix_named(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'zero.db'}"

    async def run() -> None:
        db = Database(url)
        await db.create_schema()
        async with db.write() as conn:
            await conn.execute(text("DELETE FROM parley_schema_version"))
            await conn.execute(text("INSERT INTO parley_schema_version VALUES (0, 'then')"))
        with pytest.raises(RuntimeError, match="version 0 cannot be upgraded to 2"):
            await db.create_schema()
        await db.close()

    asyncio.run(run())
