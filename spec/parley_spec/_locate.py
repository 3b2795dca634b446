"""Finding ``openapi.yaml``: the environment, the packaged copy, then the source checkout."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

SPEC_ENV = "PARLEY_OPENAPI"
"""The environment variable that names another copy of the document."""


def spec_path() -> Path:
    """Returns the path of the contract document.

    Looks, in order, at ``$PARLEY_OPENAPI``, the copy packaged in the wheel
    (``parley_spec/openapi.yaml``) and the root of the source checkout.

    Returns:
        The path of the first copy found (``$PARLEY_OPENAPI`` is returned as given, even when
        the file is missing, so the reader's error names it).

    Raises:
        FileNotFoundError: No copy was found and ``$PARLEY_OPENAPI`` is not set.
    """
    named = os.environ.get(SPEC_ENV)
    if named:
        return Path(named)
    packaged = resources.files(__package__ or "parley_spec").joinpath("openapi.yaml")
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "openapi.yaml"
    if checkout.is_file():
        return checkout
    raise FileNotFoundError(f"openapi.yaml not found; set {SPEC_ENV} to its path")
