"""Every promise kind of the vocabulary has a check module or is declared check-less, and a
kind without a check does not stop a run: its promises are reported not exercised."""

from __future__ import annotations

import dataclasses

from parley_contract.checks import ApiClient, CheckContext
from parley_contract.promises import CHECKLESS, CHECKS, check_promises, inventory
from parley_spec import Contract, load_contract
from parley_spec.annotations import KINDS, Annotation


def test_every_vocabulary_kind_has_a_check_or_is_declared_checkless() -> None:
    kinds = {kind.name for kind in KINDS.values()}
    assert kinds == set(CHECKS) | set(CHECKLESS)
    assert not set(CHECKS) & set(CHECKLESS)
    assert all(check.name == name for name, check in CHECKS.items())


def test_a_kind_without_a_check_is_reported_not_exercised() -> None:
    """A newer vocabulary's kind (here one the registry does not know) is listed, not run."""
    contract = load_contract()
    operation = contract.by_id("listAgents")
    copy = Contract(contract.document, contract.path)
    made_up = Annotation("sentence", f"{operation.pointer}/x-parley-sentence", "says", "says")
    dated = Annotation("sentence", "/x-parley-sentence", "whole", "whole", schema="Agent")
    copy.__dict__["annotations"] = (
        dataclasses.replace(made_up, operation_id=operation.operation_id),
        dated,
    )
    assert [p.key for p in inventory(copy)] == ["sentence listAgents", "sentence listAgents Agent"]
    client = ApiClient("http://127.0.0.1:9", None)  # nothing is sent: no check runs
    try:
        report = check_promises(CheckContext(copy, (copy.by_id("listAgents"),), client))
    finally:
        client.close()
    assert [(r.status, r.detail) for r in report.results] == [
        ("not exercised", "no check for kind sentence"),
        ("not exercised", "no check for kind sentence"),
    ]
    assert client.responses == []
