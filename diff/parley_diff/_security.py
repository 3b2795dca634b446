"""Comparing security: the schemes a document defines and what each operation requires.

An operation's requirement is a list of alternatives (any one suffices), each naming schemes
and, per scheme, the scopes (Parley lists roles ``read``/``write`` as scopes of API keys too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._model import Context, Verdict
from ._schemas import canonical

__all__ = ["compare_operation_security", "compare_schemes"]

Alternative = dict[str, frozenset[str]]


def compare_schemes(old_doc: dict[str, Any], new_doc: dict[str, Any], ctx: Context) -> None:
    """Records schemes of ``components/securitySchemes`` added, removed or changed."""
    old = (old_doc.get("components") or {}).get("securitySchemes") or {}
    new = (new_doc.get("components") or {}).get("securitySchemes") or {}
    base = ctx.at("components").at("securitySchemes")
    for name in sorted(old.keys() - new.keys()):
        base.at(name).add(
            "security-scheme-removed", Verdict.CLIENT, f"The security scheme {name} was removed."
        )
    for name in sorted(new.keys() - old.keys()):
        base.at(name).add(
            "security-scheme-added", Verdict.COMPATIBLE, f"The security scheme {name} was added."
        )
    for name in sorted(old.keys() & new.keys()):
        if canonical(old[name]) != canonical(new[name]):
            base.at(name).add(
                "security-scheme-changed",
                Verdict.CLIENT,
                f"The security scheme {name} changed how credentials are sent.",
            )


def _alternatives(requirements: Sequence[Mapping[str, Sequence[str]]]) -> list[Alternative]:
    return [{str(k): frozenset(v) for k, v in item.items()} for item in requirements]


def compare_operation_security(
    old_security: Sequence[Mapping[str, Sequence[str]]],
    new_security: Sequence[Mapping[str, Sequence[str]]],
    ctx: Context,
) -> None:
    """Records requirement alternatives and scopes added or removed for one operation.

    Args:
        old_security: OLD's requirements of the operation (``Operation.security``: the
            document's when the operation states none).
        new_security: NEW's.
        ctx: The operation's context.
    """
    old, new = _alternatives(old_security), _alternatives(new_security)
    where = ctx.at("security", side="request")
    old_open = not old or any(not alt for alt in old)
    new_open = not new or any(not alt for alt in new)
    if old_open and not new_open:
        where.add("security-added", Verdict.CLIENT, "The operation now requires credentials.")
        return
    if new_open and not old_open:
        where.add(
            "security-removed", Verdict.SERVER, "The operation no longer requires credentials."
        )
        return
    unmatched_new = [alt for alt in new if alt not in old]
    for alt in old:
        if alt in new:
            continue
        partner = next((n for n in unmatched_new if n.keys() == alt.keys()), None)
        schemes = " + ".join(sorted(alt))
        if partner is None:
            where.add(
                "security-requirement-removed",
                Verdict.CLIENT,
                f"Credentials of {schemes} no longer authorise the operation.",
            )
            continue
        unmatched_new.remove(partner)
        for scheme in sorted(alt):
            added = sorted(partner[scheme] - alt[scheme])
            removed = sorted(alt[scheme] - partner[scheme])
            if added:
                where.add(
                    "security-scope-added",
                    Verdict.CLIENT,
                    f"{scheme} now also needs scope(s) {', '.join(added)}.",
                )
            if removed:
                where.add(
                    "security-scope-removed",
                    Verdict.SERVER,
                    f"{scheme} no longer needs scope(s) {', '.join(removed)}.",
                )
    for alt in unmatched_new:
        where.add(
            "security-requirement-added",
            Verdict.SERVER,
            f"Credentials of {' + '.join(sorted(alt))} now also authorise the operation; "
            "servers must accept them.",
        )
