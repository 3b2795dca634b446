"""The Python client's own public API (the ``parley`` package) between a release and now.

``parley diff`` compares contracts; this compares what users of the client call. The package
as released is the ``overlays/parley`` folder at the commit that added the release's snapshot
(``releases/X.Y.Z/openapi.yaml``: git history, no tag), extracted with ``git archive``; the
package now is the working tree. griffe reads both (statically, nothing is imported) and finds
what breaks callers: a name or method removed, a parameter removed, renamed, moved, made
required or given another kind or default (``griffe.find_breaking_changes``). Two rules griffe
leaves to its users are added here: a return type that changed, and a keyword parameter
removed from a method whose ``**options`` are typed (``Unpack[RequestOptions]``), which no
longer accepts it although griffe counts it as swallowed by ``**kwargs``.

The API is what ``parley.__all__`` names and every class reachable from those names through
public properties and methods (``Parley.conversations`` is a ``Conversations``), each named by
how users reach it (``Parley.conversations.create_conversation``). Run as ``python -m
parley_diff.surface`` (``scripts/check-client-surface``): exit 1 when something breaks callers
and ``openapi.yaml``'s ``info.version`` is not a major bump over the release, unless the diff
settings accept that break with a reason (``[[client-surface.accepted]]``, see
:class:`~parley_diff._config.AcceptedBreak`), or when an accepted break matches nothing.
"""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._config import AcceptedBreak, ConfigError, load_config
from ._policy import parse_semver
from ._releases import newest_release

if TYPE_CHECKING:
    import griffe

__all__ = ["SurfaceChange", "SurfaceError", "compare_surfaces", "load_package", "surface_changes"]

PACKAGE = "parley"
FOLDER = "overlays"
"""Where the package's folder is, from the repository root."""
TWINS = frozenset({"with_raw_response", "with_streaming_response"})
"""Views made from the methods themselves (same names and parameters): listed, not walked."""
MAX_DEPTH = 4
"""How many attribute hops from a public name the walk follows (``Parley.conversations...``)."""


class SurfaceError(Exception):
    """The released package cannot be found (no git history, a shallow clone) or read."""


@dataclass(frozen=True)
class SurfaceChange:
    """One difference of the public API.

    Attributes:
        where: How users reach it, e.g. ``Parley.conversations.create_conversation``.
        what: What changed, e.g. ``parameter removed: title``.
        breaking: Whether code written against the release may no longer run or type-check.
        accepted: For a break the team released on purpose (``[[client-surface.accepted]]``
            of the diff settings), its reason; else "".
    """

    where: str
    what: str
    breaking: bool
    accepted: str = ""

    def line(self) -> str:
        """A Markdown list item for the changelog."""
        tag = "**breaking**" if self.breaking else "added"
        why = f" ({self.accepted})" if self.accepted else ""
        return f"- {tag} `{self.where}`: {self.what}{why}"


def accept(
    changes: list[SurfaceChange], accepted: tuple[AcceptedBreak, ...]
) -> tuple[list[SurfaceChange], list[AcceptedBreak]]:
    """Marks the breaks that the settings accept, with their reason.

    Args:
        changes: What :func:`compare_surfaces` found.
        accepted: The settings' accepted breaks.

    Returns:
        The changes (accepted breaks carrying their reason) and the accepted entries that
        match no break (stale: the release that made them is out, or the break is gone).
    """
    used: set[AcceptedBreak] = set()
    marked = []
    for change in changes:
        entry = next(
            (a for a in accepted if change.breaking and a.matches(change.where, change.what)), None
        )
        if entry is not None:
            used.add(entry)
            change = dataclasses.replace(change, accepted=entry.reason)
        marked.append(change)
    return marked, [entry for entry in accepted if entry not in used]


def grouped_lines(changes: list[SurfaceChange], limit: int = 6) -> list[str]:
    """Markdown lines: each breaking change alone, accepted ones and additions grouped.

    ``- added `request_id` to 11: `APIStatusError`, `AuthenticationError`, ... and 5 more``.
    """
    lines = [change.line() for change in changes if change.breaking and not change.accepted]
    by_reason: dict[str, list[SurfaceChange]] = {}
    for change in changes:
        if change.breaking and change.accepted:
            by_reason.setdefault(change.accepted, []).append(change)
    for reason, group in by_reason.items():
        shown = ", ".join(f"`{c.where}` ({c.what})" for c in group[:limit])
        more = f" and {len(group) - limit} more" if len(group) > limit else ""
        lines.append(f"- **breaking**, accepted ({reason}), {len(group)}: {shown}{more}")
    by_name: dict[str, list[str]] = {}
    for change in changes:
        if not change.breaking:
            owner, _, name = change.where.rpartition(".")
            by_name.setdefault(name, []).append(owner)
    for name, owners in by_name.items():
        if owners == [""]:
            lines.append(f"- added `{name}`")
            continue
        shown = ", ".join(f"`{o}`" for o in owners[:limit])
        more = f" and {len(owners) - limit} more" if len(owners) > limit else ""
        lines.append(f"- added `{name}` to {len(owners)}: {shown}{more}")
    return lines


def _griffe() -> Any:
    try:
        import griffe
    except ImportError as exc:  # the dev extra has it; the diff extra does not
        raise SurfaceError("griffe is not installed (pip install 'parley[dev]')") from exc
    return griffe


def load_package(folder: Path) -> griffe.Module:
    """The ``parley`` package under ``folder`` (``folder/parley``), read by griffe.

    Raises:
        SurfaceError: griffe is missing, or there is no package there.
    """
    library = _griffe()
    if not (folder / PACKAGE / "__init__.py").is_file():
        raise SurfaceError(f"no {PACKAGE} package under {folder}")
    module: griffe.Module = library.load(PACKAGE, search_paths=[str(folder)], resolve_aliases=True)
    return module


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)


def release_commit(root: Path, version: str) -> str:
    """The commit that added ``releases/<version>/openapi.yaml``.

    Raises:
        SurfaceError: Not a git repository, or no commit added it (a shallow clone, or a
            release not committed yet); the message says which.
    """
    snapshot = f"releases/{version}/openapi.yaml"
    found = _git(root, "log", "--diff-filter=A", "--format=%H", "--", snapshot)
    if found.returncode != 0:
        raise SurfaceError(f"{root} is not a git repository: {found.stderr.decode().strip()}")
    commits = found.stdout.decode().split()
    if not commits:
        raise SurfaceError(
            f"no commit adds {snapshot} (a release not committed yet? commit it first)"
        )
    shallow = _git(root, "rev-parse", "--git-path", "shallow").stdout.decode().strip()
    boundary = (root / shallow).read_text().split() if (root / shallow).is_file() else []
    if commits[-1] in boundary:  # a shallow clone's first commit "adds" every file
        raise SurfaceError(
            f"this clone is shallow: the commit that added {snapshot} may be older than its "
            "history (git fetch --unshallow)"
        )
    return commits[-1]


def released_package(root: Path, version: str, into: Path) -> Path:
    """Extracts ``overlays/parley`` as it was at ``version``'s release into ``into``.

    Returns:
        The folder holding the package (``into/overlays``).

    Raises:
        SurfaceError: The release commit or the folder in it cannot be found.
    """
    commit = release_commit(root, version)
    archive = _git(root, "archive", "--format=tar", commit, f"{FOLDER}/{PACKAGE}")
    if archive.returncode != 0:
        raise SurfaceError(
            f"{FOLDER}/{PACKAGE} cannot be read at {commit[:12]} (release {version}): "
            f"{archive.stderr.decode().strip()}"
        )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into / FOLDER


def _target(obj: Any) -> Any:
    try:
        return obj.final_target if obj.is_alias else obj
    except Exception:  # an alias to another package (parley_client): not ours to walk
        return None


def _reachable(module: griffe.Module) -> dict[str, Any]:
    """Access path -> public object: ``parley.__all__``, then classes reached from them."""
    found: dict[str, Any] = {}
    queue: list[tuple[str, Any, int]] = []
    for name, member in module.members.items():
        target = _target(member)
        if member.is_public and target is not None:
            found[name] = target
            queue.append((name, target, 0))
    while queue:
        where, obj, depth = queue.pop(0)
        if not obj.is_class or depth >= MAX_DEPTH:
            continue
        for name, member in obj.all_members.items():
            if not member.is_public or name.startswith("_") or name in TWINS:
                continue
            annotation = member.returns if member.is_function else member.annotation
            path = str(getattr(annotation, "canonical_path", "") or "")
            if not path.startswith(f"{PACKAGE}."):
                continue
            try:
                target = _target(module[path.removeprefix(f"{PACKAGE}.")])
            except KeyError:
                continue
            key = f"{where}.{name}"
            if target is not None and target.is_class and key not in found:
                found[key] = target
                queue.append((key, target, depth + 1))
    return found


def _show(value: Any) -> str:
    return "-" if value is None else str(getattr(value, "name", value))


def _describe(old: Any, new: Any) -> str:
    """``title``; ``max_context_length: None -> 20``; ``Base -> Other`` (a breakage's values)."""
    name = getattr(old, "name", None)
    if name is None or new is None or getattr(new, "name", None) != name:
        return _show(old) if new is None else f"{_show(old)} -> {_show(new)}"
    for field in ("default", "kind"):
        before, after = getattr(old, field, None), getattr(new, field, None)
        if before != after:
            return f"{name}: {getattr(before, 'value', before)} -> {getattr(after, 'value', after)}"
    return str(name)


def _functions(old: Any, new: Any) -> Iterator[tuple[str, Any, Any]]:
    for name, member in old.all_members.items():
        if member.is_public and member.is_function and name in new.all_members:
            partner = new.all_members[name]
            if partner.is_function:
                yield name, member, partner


def _typed_options(function: Any) -> bool:
    return any(
        p.kind.value == "variadic keyword" and str(p.annotation).startswith("Unpack[")
        for p in function.parameters
    )


def _extra_rules(where: str, old: Any, new: Any) -> Iterator[SurfaceChange]:
    """Return types, and keywords that typed ``**options`` do not take (see the docstring)."""
    for name, before, after in _functions(old, new):
        if str(before.returns) != str(after.returns) and before.returns is not None:
            what = f"return type changed: {before.returns} -> {after.returns}"
            yield SurfaceChange(f"{where}.{name}", what, True)
        if _typed_options(after):
            kept = {p.name for p in after.parameters}
            for param in before.parameters:
                if param.kind.value == "keyword-only" and param.name not in kept:
                    what = f"parameter removed: {param.name}"
                    yield SurfaceChange(f"{where}.{name}", what, True)


def compare_surfaces(old: griffe.Module, new: griffe.Module) -> list[SurfaceChange]:
    """Every difference of the public API from ``old`` to ``new`` (see the module docstring).

    Args:
        old: The package as released (:func:`load_package`).
        new: The package now.

    Returns:
        Breaking differences first, then additions; each once, by access path.
    """
    library = _griffe()
    old_api, new_api = _reachable(old), _reachable(new)
    changes: list[SurfaceChange] = []
    for where, before in old_api.items():
        after = new_api.get(where)
        if after is None:
            changes.append(SurfaceChange(where, f"{before.kind.value} removed", True))
            continue
        if before.kind != after.kind:
            what = f"changed from {before.kind.value} to {after.kind.value}"
            changes.append(SurfaceChange(where, what, True))
            continue
        if not before.is_class:
            continue
        for breakage in library.find_breaking_changes(before, after):
            member = breakage.obj.path.removeprefix(f"{after.path}.")
            what = f"{breakage.kind.value}: {_describe(breakage.old_value, breakage.new_value)}"
            changes.append(SurfaceChange(f"{where}.{member}", what, True))
        changes += _extra_rules(where, before, after)
        added = sorted(set(after.all_members) - set(before.all_members))
        for name in (n for n in added if not n.startswith("_") and after.all_members[n].is_public):
            changes.append(SurfaceChange(f"{where}.{name}", "added", False))
    for where in sorted(new_api.keys() - old_api.keys()):
        if "." not in where:  # a new public name (new members are listed above)
            changes.append(SurfaceChange(where, "added", False))
    unique = list(dict.fromkeys(changes))
    return sorted(unique, key=lambda c: (not c.breaking, c.where))


def surface_changes(root: Path, version: str) -> list[SurfaceChange]:
    """The differences from release ``version``'s package to the working tree's.

    Raises:
        SurfaceError: The released package cannot be had (see :func:`released_package`).
    """
    with tempfile.TemporaryDirectory(prefix="parley-surface-") as tmp:
        old = load_package(released_package(root, version, Path(tmp)))
        return compare_surfaces(old, load_package(root / FOLDER))


def surface_lines(root: Path, version: str) -> list[str]:
    """The changelog's lines about the package since ``version`` (a reason when unknown).

    Breaks the diff settings accept carry their reason.
    """
    if not (root / FOLDER / PACKAGE).is_dir():
        return [f"Not compared: no {FOLDER}/{PACKAGE} in this repository."]
    try:
        changes = surface_changes(root, version)
        marked, _ = accept(changes, load_config(start=root).accepted_breaks)
        return grouped_lines(marked)
    except (SurfaceError, ConfigError) as exc:
        return [f"Not compared: {exc}."]


def main(argv: list[str] | None = None) -> int:
    """``scripts/check-client-surface [--release X.Y.Z]``; returns the exit status."""
    import argparse

    parser = argparse.ArgumentParser(prog="scripts/check-client-surface", description=__doc__)
    parser.add_argument("--release", default=None, help="X.Y.Z (default: the newest)")
    args = parser.parse_args(argv)
    root = Path.cwd()
    version = args.release or newest_release(root)
    if version is None:
        print("check-client-surface: no release under releases/: nothing to compare")
        return 0
    try:
        config = load_config(start=root)
        changes, stale = accept(surface_changes(root, version), config.accepted_breaks)
    except (SurfaceError, ConfigError) as exc:
        print(f"check-client-surface: {exc}", file=sys.stderr)
        return 2
    breaking = [c for c in changes if c.breaking and not c.accepted]
    print(f"check-client-surface: the {PACKAGE} package of release {version} -> working tree")
    lines = grouped_lines(changes) or ["- no change to its public API"]
    print("\n".join(f"  {line[2:].replace('**', '')}" for line in lines))
    if stale:
        for entry in stale:
            print(
                f"check-client-surface: FAILED: the accepted break {entry.where!r} / "
                f"{entry.what!r} ({config.source}) matches no break since {version}: remove it",
                file=sys.stderr,
            )
        return 1
    if not breaking:
        return 0
    from ._load import load_source

    current = parse_semver(load_source("openapi.yaml", cwd=root).version)
    released = parse_semver(version)
    if current and released and current[0] > released[0]:
        print(f"check-client-surface: {len(breaking)} breaking, allowed by the major version")
        return 0
    print(
        f"check-client-surface: FAILED: {len(breaking)} change(s) break callers of the "
        f"{version} client; keep the old signature (deprecate it) or release a major version",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
