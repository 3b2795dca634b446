"""The released contracts: ``releases/<X.Y.Z>/openapi.yaml``, one folder per release.

Each snapshot is ``openapi.yaml`` as it was released (``scripts/release`` writes it); the
newest one is what ``scripts/check-breaking``, ``scripts/changelog`` and
``scripts/check-compat`` compare today's contract and server with, on every clone, tags or not.
"""

from __future__ import annotations

from pathlib import Path

from ._policy import parse_semver

__all__ = ["RELEASES", "newest_release", "release_file", "release_versions"]

RELEASES = "releases"
"""The folder, at the repository root, that holds one sub-folder per released version."""


def release_versions(root: Path) -> list[str]:
    """The released versions under ``root/releases``, oldest first (semver order).

    Args:
        root: The repository root.

    Returns:
        Every ``X.Y.Z`` folder that holds an ``openapi.yaml``; an empty list when none does.
    """
    folder = root / RELEASES
    found: list[tuple[tuple[int, int, int], str]] = []
    if folder.is_dir():
        for child in folder.iterdir():
            key = parse_semver(child.name)
            if key is not None and (child / "openapi.yaml").is_file():
                found.append((key, child.name))
    return [name for _, name in sorted(found)]


def newest_release(root: Path) -> str | None:
    """The highest released version under ``root/releases``, or None when there is none."""
    versions = release_versions(root)
    return versions[-1] if versions else None


def release_file(root: Path, version: str) -> Path:
    """The snapshot of ``version`` (``latest``: the newest release) under ``root``.

    Raises:
        LookupError: There is no release at all, or none of that version.
    """
    if version == "latest":
        newest = newest_release(root)
        if newest is None:
            raise LookupError(f"release:latest: no release under {root / RELEASES}")
        version = newest
    file = root / RELEASES / version / "openapi.yaml"
    if not file.is_file():
        known = ", ".join(release_versions(root)) or "none"
        raise LookupError(f"release:{version}: no such release (released: {known})")
    return file
