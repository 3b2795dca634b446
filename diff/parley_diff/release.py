"""``scripts/release X.Y.Z``: cut a release of the contract into ``releases/``.

Compares ``openapi.yaml`` (its ``info.version`` taken as ``X.Y.Z``) with the newest release,
refuses a version the policy forbids (not semver, not newer than the newest release, lower
than :func:`required_version`, or any ``api-version-*`` finding), and otherwise writes, in
this order: ``info.version: X.Y.Z`` into ``openapi.yaml`` (that line only, the rest of the
text untouched), the ``X.Y.Z`` section of ``CHANGELOG.md`` (the diff in Markdown), and the
snapshot ``releases/X.Y.Z/openapi.yaml``. Run as ``python -m parley_diff.release``
from the repository root (``scripts/release`` does, then regenerates the client).
"""

from __future__ import annotations

import re
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from . import ConfigError, SpecError, diff_documents, load_config, load_source, render_text
from ._changelog import update_changelog
from ._load import Document
from ._markdown import render_markdown
from ._policy import parse_semver, required_version
from ._releases import RELEASES, newest_release
from .surface import surface_lines

__all__ = ["ReleaseRefused", "release", "set_info_version"]

INFO_VERSION = re.compile(r"^(info:\n(?:(?:[ \t]+.*|)\n)*?[ \t]+version:[ \t]*)(.*)$", re.M)
"""``info:`` then, among its indented lines, the first ``version:``; group 2 is the value."""


class ReleaseRefused(Exception):
    """The version asked for is one the version policy forbids; the message says why."""


def set_info_version(text: str, version: str) -> str:
    """``openapi.yaml``'s text with ``info.version`` set to ``version``, nothing else changed.

    Raises:
        ReleaseRefused: The text has no ``info:`` block with a ``version:`` line.
    """
    match = INFO_VERSION.search(text)
    if match is None:
        raise ReleaseRefused("openapi.yaml has no `info:` block with a `version:` line")
    return f"{text[: match.start(2)]}{version}{text[match.end(2) :]}"


def plan(root: Path, version: str, today: str) -> tuple[str | None, str]:
    """Checks ``version`` against the policy; returns the newest release and the changelog.

    Args:
        root: The repository root (``openapi.yaml``, ``releases/``).
        version: The version to release, ``X.Y.Z``.
        today: The ISO date of the release (``x-sunset`` dates are compared with it).

    Returns:
        The newest release before this one (None for the first release) and the Markdown
        section for ``CHANGELOG.md``.

    Raises:
        ReleaseRefused: The version is not semver, is already released, is not newer than the
            newest release, is lower than the changes since it need, or the versioning
            policy has an error (a sunset with too little notice, a stability lowered).
        SpecError: A document cannot be read.
        ConfigError: The repository's ``parley diff`` settings cannot be read.
    """
    if parse_semver(version) is None or not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise ReleaseRefused(f"{version!r} is not a release version (MAJOR.MINOR.PATCH)")
    current = load_source("openapi.yaml", cwd=root)
    new_doc = Document({**current.raw, "info": {**current.raw.get("info", {}), "version": version}})
    newest = newest_release(root)
    heading = f"{version} ({today})"
    if newest is None:
        return None, f"## {heading}\n\nThe first release of the contract.\n"
    old_doc = load_source(f"release:{newest}", cwd=root)
    config = load_config(start=root)
    changes = diff_documents(old_doc, new_doc, today=today, config=config)
    needed = required_version(newest, [c for c in changes if not c.policy])
    old_key, new_key = parse_semver(newest), parse_semver(version)
    assert old_key is not None and new_key is not None
    policy = [c for c in changes if c.policy and c.level.value == "error"]
    if new_key <= old_key:
        raise ReleaseRefused(f"{version} is not newer than the newest release {newest}")
    needed_key = parse_semver(needed) if needed else None
    if policy or (needed_key is not None and new_key < needed_key):
        report = render_text(
            changes, f"release:{newest}", f"openapi.yaml as {version}", colour=False
        )
        raise ReleaseRefused(
            f"{version} is too low for what changed since {newest}: the policy needs at least "
            f"{needed} (a change that breaks clients needs a major bump, any other change a "
            f"minor one)\n{report}"
        )
    section = render_markdown(
        changes,
        heading,
        old_version=newest,
        intro=f"Compared with release {newest}.",
        documents=(new_doc.raw, old_doc.raw),
        surface=surface_lines(root, newest),
    )
    return newest, section


@click.command()
@click.argument("version")
@click.option(
    "--today",
    metavar="YYYY-MM-DD",
    default=None,
    help="The release date (default: today, UTC).",
)
@click.option("--dry-run", is_flag=True, help="Check the version and print the section only.")
def release(version: str, today: str | None, dry_run: bool) -> None:
    """Releases openapi.yaml as VERSION, when the version policy allows it.

    Writes info.version, the CHANGELOG.md section and releases/VERSION/openapi.yaml.

    Exit status: 0 when released (or, with --dry-run, when it could be), 1 when the policy
    refuses VERSION, 2 when a document cannot be read.
    """
    root = Path.cwd()
    day = today or datetime.now(UTC).date().isoformat()
    try:
        newest, section = plan(root, version, day)
    except ReleaseRefused as exc:
        click.echo(f"release: REFUSED: {exc}", err=True)
        sys.exit(1)
    except (SpecError, ConfigError) as exc:
        click.echo(f"release: {exc}", err=True)
        sys.exit(2)
    if dry_run:
        click.echo(section)
        return
    spec = root / "openapi.yaml"
    spec.write_text(set_info_version(spec.read_text(encoding="utf-8"), version), "utf-8")
    update_changelog(root / "CHANGELOG.md", version, section)
    snapshot = root / RELEASES / version / "openapi.yaml"
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(spec, snapshot)
    since = f" (after {newest})" if newest else " (the first release)"
    written = f"openapi.yaml info.version, CHANGELOG.md, {snapshot.relative_to(root)}"
    click.echo(f"release: {version}{since}: {written}")


if __name__ == "__main__":
    release()
