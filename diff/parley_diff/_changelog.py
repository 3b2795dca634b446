"""``CHANGELOG.md``: one section per release, generated from the diff with the last release."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["HEADER", "update_changelog"]

HEADER = """# Changelog

What changed in `openapi.yaml` from one release to the next, as `parley diff` classifies it
(`scripts/release` writes each section). Newest first.
"""


def update_changelog(path: Path, version: str, section: str) -> None:
    """Puts ``section`` (starting ``## <version>``) first, replacing that version's old one.

    Args:
        path: The changelog file; created with :data:`HEADER` when missing.
        version: The release the section describes (the new document's ``info.version``).
        section: Markdown whose first line is the ``## <version> ...`` heading.

    Raises:
        OSError: The file cannot be read or written.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    heading = re.compile(rf"^## {re.escape(version)}(?: |$)", re.M)
    parts = re.split(r"(?m)^(?=## )", text)
    head, sections = parts[0], [p for p in parts[1:] if not heading.match(p)]
    body = section.rstrip() + "\n"
    rest = "".join(s if s.endswith("\n\n") else s.rstrip() + "\n\n" for s in sections)
    path.write_text(head.rstrip() + "\n\n" + body + ("\n" + rest.rstrip() + "\n" if rest else ""))
