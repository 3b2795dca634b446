"""Test data from the contract alone: what to send so that every check has something to judge.

`Recipes` reads the document (links, examples, ``x-parley-given``); a `World` makes the
resources it describes through the server under test. See `parley_contract.data.recipes`.
"""

from __future__ import annotations

from parley_contract.data.identities import Feed, Origin, Reference
from parley_contract.data.recipes import Aim, Recipes
from parley_contract.data.world import SETUP_ERRORS, SetupFailed, World, method_order

__all__ = [
    "SETUP_ERRORS",
    "Aim",
    "Feed",
    "Origin",
    "Recipes",
    "Reference",
    "SetupFailed",
    "World",
    "method_order",
]
