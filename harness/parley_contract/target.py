"""The server under test: a URL with its credentials, or the embedded reference server."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from parley_contract.client import Credential

__all__ = ["Target", "embedded_target"]


@dataclass(frozen=True)
class Target:
    """A server and the credentials the run uses against it.

    Attributes:
        base_url: The server's base URL.
        credential: A read-and-write credential of the first tenant.
        read_only: A read-only credential of the same tenant (scope checks), if any.
        other_tenant: A read-and-write credential of a second tenant (isolation checks), if any.
    """

    base_url: str
    credential: Credential
    read_only: Credential | None = None
    other_tenant: Credential | None = None

    @property
    def headers(self) -> dict[str, str]:
        """The header carrying the main credential, for schemathesis."""
        return {self.credential.header: self.credential.value}

    @property
    def environment(self) -> dict[str, str]:
        """The credential as `PARLEY_API_KEY` or `PARLEY_BEARER_TOKEN`, for `schemathesis.toml`.

        The shared configuration reads `${PARLEY_API_KEY}`; a bearer-token run exports it
        empty when it is not set, so the file still loads (the token goes in a header).
        """
        value = self.credential.value.removeprefix("Bearer ")
        exported = {self.credential.env: value}
        exported.setdefault("PARLEY_API_KEY", os.environ.get("PARLEY_API_KEY", ""))
        return exported


@contextmanager
def embedded_target() -> Iterator[Target]:
    """Start the reference server on a free 127.0.0.1 port and a temporary SQLite file.

    Yields:
        The server with its first tenant's write and read keys and a second tenant's key;
        the server stops and the database is removed when the block ends.
    """
    from parley_server.testing import start_server

    with tempfile.TemporaryDirectory(prefix="parley-contract-") as tmp:
        database = Path(tmp) / "parley.db"
        with start_server(f"sqlite:///{database}") as server:
            yield Target(
                base_url=server.base_url,
                credential=Credential.api_key(server.tenant.write_key, "PARLEY_API_KEY"),
                read_only=Credential.api_key(server.tenant.read_key, "PARLEY_READ_ONLY_API_KEY"),
                other_tenant=Credential.api_key(
                    server.other_tenant.write_key, "PARLEY_OTHER_TENANT_API_KEY"
                ),
            )
