"""`malformed_http`: a request that is not valid HTTP/1.1 gets 400, then the connection closes.

The four probes of CONTRIBUTING.md's table of conventions, each on a new TCP connection (plain
`http` only). Its outcomes name no operation: the label is `LABEL`.
"""

from __future__ import annotations

import contextlib
import socket
import time
from urllib.parse import urlsplit

from parley_contract.checks.context import CheckContext
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "LABEL", "PROBES", "malformed_http"]

CHECK = "malformed_http"
LABEL = "(raw HTTP/1.1)"
_WAIT = 5.0

PROBES: dict[str, bytes] = {
    "Content-Length: CY2": b"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: CY2\r\n\r\n",
    "version HTTX/1.1": b"GET {path} HTTX/1.1\r\nHost: {host}\r\n\r\n",
    "header name with 0x01": b"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-\x01: 1\r\n\r\n",
    "1 MiB of headers": b"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Big: "
    + b"a" * (1 << 20)
    + b"\r\n\r\n",
}
"""What each probe sends: its name -> the bytes (`{path}` and `{host}` filled in)."""


def malformed_http(ctx: CheckContext) -> list[CheckOutcome]:
    """Send each probe on a connection of its own to the writer client's server; judge each.

    Returns:
        One outcome per probe; none for a server reached over `https`.
    """
    if not ctx.promised(CHECK):
        return []
    url = urlsplit(ctx.writer.base_url)
    if url.scheme != "http" or url.hostname is None:
        return []
    address = (url.hostname, url.port or 80)
    path, host = (url.path or "") + "/", url.netloc
    outcomes = []
    for name, template in PROBES.items():
        probe = template.replace(b"{path}", path.encode()).replace(b"{host}", host.encode())
        problem = _probe(address, probe)
        message = f"{name}: {problem}" if problem else ""
        curl = f"printf {_printable(probe)} | nc {address[0]} {address[1]}"
        outcomes.append(CheckOutcome(LABEL, CHECK, problem is None, message, curl))
    return outcomes


def _probe(address: tuple[str, int], probe: bytes) -> str | None:
    """What went wrong with one probe, or None."""
    with socket.create_connection(address, timeout=_WAIT) as sock:
        # An OSError: the server answered and closed before reading it all; read what it sent.
        with contextlib.suppress(OSError):
            sock.sendall(probe)
        received, closed = b"", False
        deadline = time.monotonic() + _WAIT
        while time.monotonic() < deadline:
            try:
                sock.settimeout(max(deadline - time.monotonic(), 0.01))
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            except OSError:
                closed = True  # a reset closes it too
                break
            if not chunk:
                closed = True
                break
            received += chunk
    status = received.split(b"\r\n", 1)[0].decode("latin-1")
    if not status.startswith("HTTP/1.1 400") and not status.startswith("HTTP/1.0 400"):
        return f"the first answer was {status or 'nothing'!r}, not 400"
    if received.count(b"\r\nHTTP/1.") or received.count(b"\nHTTP/1."):
        return "a second answer followed the 400"
    if not closed:
        return f"the connection stayed open {_WAIT:g} s after the 400"
    return None


def _printable(probe: bytes) -> str:
    """The probe as a shell `printf` argument (a long run of one byte shortened)."""
    text = probe.decode("latin-1")
    text = text.replace("a" * (1 << 20), "<1 MiB of a>")
    escaped = "".join(
        c if c.isprintable() and c not in "'\\%" else f"\\x{ord(c):02x}" for c in text
    )
    return f"'{escaped}'"
