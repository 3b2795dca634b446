"""``parley diff OLD NEW``: the command line of the contract comparison."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import click

from . import (
    ConfigError,
    DiffConfig,
    SpecError,
    diff_documents,
    load_config,
    load_source,
    render_json,
    render_text,
)
from ._changelog import update_changelog
from ._markdown import render_markdown
from ._render import FAIL_ON, fails

__all__ = ["diff", "fails"]


@click.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text: by level, identical changes collapsed, coloured on a terminal; json: every "
    "change; markdown: the changelog's grouped form.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    multiple=True,
    help="Exit 1 when a change is at this level or worse (error, the default; warning; "
    "info), breaks clients or servers at level error (client, server, any), or when the "
    "versioning policy has an error (policy); none never. Repeat to combine.",
)
@click.option(
    "--today",
    metavar="YYYY-MM-DD",
    default=None,
    help="The date x-sunset dates are compared with (default: today, UTC).",
)
@click.option(
    "--no-version-policy",
    is_flag=True,
    help="Skip the info.version checks (api-version-not-bumped and others).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Rule overrides and the sunset notice (default: the nearest parley-diff.toml, or "
    "pyproject.toml with [tool.parley-diff], from the current folder up).",
)
@click.option("--no-config", is_flag=True, help="Use no settings file: every default level.")
@click.option("--expand", is_flag=True, help="Text: list identical changes one by one.")
@click.option("--title", default=None, help="The heading of the Markdown output.")
@click.option(
    "--changelog",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the Markdown as the new version's section of this changelog file (first, "
    "replacing an older section of the same version) instead of printing it.",
)
def diff(
    old: str,
    new: str,
    output: str,
    fail_on: tuple[str, ...],
    today: str | None,
    no_version_policy: bool,
    config_file: Path | None,
    no_config: bool,
    expand: bool,
    title: str | None,
    changelog: Path | None,
) -> None:
    """Compares two OpenAPI documents and classifies every difference.

    OLD and NEW are files, git:REF for openapi.yaml at a git ref (git:REF:PATH for another
    file), or release:X.Y.Z (release:latest) for a snapshot in releases/. Each difference
    breaks clients, breaks servers, or neither, and has a level: error, warning (may break
    some) or info; versioning policy findings are listed apart. Exit status: 0 when nothing
    --fail-on names was found, 1 when something was, 2 when a document or the settings
    cannot be read.
    """
    if today is not None and not _is_date(today):
        _stop(f"--today {today!r} is not a YYYY-MM-DD date")
    try:
        config = DiffConfig() if no_config else load_config(config_file)
        old_doc = load_source(old, cwd=Path.cwd())
        new_doc = load_source(new, cwd=Path.cwd())
        changes = diff_documents(
            old_doc, new_doc, today=today, version_policy=not no_version_policy, config=config
        )
    except (SpecError, ConfigError) as exc:
        _stop(str(exc))
    documents = (new_doc.raw, old_doc.raw)
    if output == "json":
        click.echo(render_json(changes, old, new, (old_doc.version, new_doc.version)))
    elif changelog is not None:
        version = str(new_doc.version)
        day = today or datetime.now(UTC).date().isoformat()
        section = render_markdown(
            changes,
            title or f"{version} ({day})",
            old_version=old_doc.version,
            intro=f"Compared with {old} (info.version {old_doc.version}).",
            documents=documents,
        )
        update_changelog(changelog, version, section)
        click.echo(f"{changelog}: section {version} written ({len(changes)} changes)")
    elif output == "markdown":
        heading = title or f"Changes from {old} to {new}"
        click.echo(
            render_markdown(changes, heading, old_version=old_doc.version, documents=documents)
        )
    else:
        colour = sys.stdout.isatty()
        click.echo(
            render_text(changes, old, new, colour=colour, expand=expand, documents=documents)
        )
    if config.source and output == "text":
        click.echo(f"(settings: {_relative(Path(config.source))})")
    sys.exit(1 if fails(changes, fail_on or ("error",)) else 0)


def _relative(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _stop(message: str) -> NoReturn:
    click.echo(f"parley diff: {message}", err=True)
    sys.exit(2)


def _is_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10
