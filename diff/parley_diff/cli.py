"""``parley diff OLD NEW``: the command line of the contract comparison."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from . import SpecError, diff_documents, load_source, render_json, render_markdown, render_text
from ._changelog import update_changelog
from ._model import Change, Verdict

__all__ = ["diff", "fails"]

FAIL_ON = {
    "client": {Verdict.CLIENT},
    "server": {Verdict.SERVER},
    "any": {Verdict.CLIENT, Verdict.SERVER},
    "policy": set(),
    "none": set(),
}
POLICY_PREFIX = "api-version-"


def fails(changes: list[Change], fail_on: str) -> bool:
    """Whether ``changes`` hold something that ``--fail-on fail_on`` fails on.

    ``policy`` fails only on version policy findings (``api-version-*``): a client-breaking
    change is then allowed when ``info.version`` got a major bump.
    """
    if fail_on == "policy":
        return any(change.check.startswith(POLICY_PREFIX) for change in changes)
    return any(change.verdict in FAIL_ON[fail_on] for change in changes)


@click.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text: grouped by verdict, coloured on a terminal; json: one object; markdown: tables.",
)
@click.option(
    "--fail-on",
    type=click.Choice(list(FAIL_ON)),
    default="any",
    show_default=True,
    help="Exit 1 when a change breaks clients, servers, either (any), when the version "
    "policy is broken (policy: a client-breaking change needs a major bump), or never.",
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
    fail_on: str,
    today: str | None,
    no_version_policy: bool,
    title: str | None,
    changelog: Path | None,
) -> None:
    """Compares two OpenAPI documents and classifies every difference.

    OLD and NEW are files, or git:REF for openapi.yaml at a git ref (git:REF:PATH for another
    file), e.g. `parley diff git:v1.0.0 openapi.yaml`. Each difference is breaking for
    clients, breaking for servers, or compatible, with a stable check id, the operationId and
    a JSON pointer. Exit status: 0 when nothing --fail-on names was found, 1 when something
    was, 2 when a document cannot be read.
    """
    try:
        old_doc = load_source(old, cwd=Path.cwd())
        new_doc = load_source(new, cwd=Path.cwd())
    except SpecError as exc:
        click.echo(f"parley diff: {exc}", err=True)
        sys.exit(2)
    if today is not None and not _is_date(today):
        click.echo(f"parley diff: --today {today!r} is not a YYYY-MM-DD date", err=True)
        sys.exit(2)
    changes = diff_documents(old_doc, new_doc, today=today, version_policy=not no_version_policy)
    if output == "json":
        versions = (_version(old_doc), _version(new_doc))
        click.echo(render_json(changes, old, new, versions))
    elif changelog is not None:
        version = str(_version(new_doc))
        day = today or datetime.now(UTC).date().isoformat()
        intro = f"Compared with {old} (info.version {_version(old_doc)})."
        body = render_markdown(
            changes, title or f"{version} ({day})", old_version=_version(old_doc)
        )
        heading, _, rest = body.partition("\n")
        update_changelog(changelog, version, f"{heading}\n\n{intro}\n{rest}")
        click.echo(f"{changelog}: section {version} written ({len(changes)} changes)")
    elif output == "markdown":
        heading = title or f"Changes from {old} to {new}"
        click.echo(render_markdown(changes, heading, old_version=_version(old_doc)))
    else:
        click.echo(render_text(changes, old, new, colour=sys.stdout.isatty()))
    sys.exit(1 if fails(changes, fail_on) else 0)


def _version(document: dict[str, Any]) -> Any:
    return (document.get("info") or {}).get("version")


def _is_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10
