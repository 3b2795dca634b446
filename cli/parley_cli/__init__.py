"""The ``parley`` command: one entry point over the server, the harness and ``parley diff``.

The command groups live in the packages that implement them and are imported only when used
(see :mod:`parley_cli.commands`), so ``parley --help`` stays fast and a client-only install
(``pip install parley``, no extras) gets one line naming the extra to install, exit 2, instead
of a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["run"]

MISSING_EXTRA = (
    "parley: the command line needs an extra that is not installed: "
    "pip install 'parley[contract]' (serve, keys, tenants, contract-test, diff)"
)


def run(argv: Sequence[str] | None = None) -> None:
    """Runs the ``parley`` command line (the console script's entry point).

    Args:
        argv: The arguments after the program name; ``sys.argv[1:]`` when ``None``.

    Raises:
        SystemExit: Always, with the command's exit status; 2 with one line on stderr when
            click (installed by the ``server`` extra) is missing.
    """
    try:
        from .commands import main
    except ModuleNotFoundError:
        print(MISSING_EXTRA, file=sys.stderr)
        raise SystemExit(2) from None
    main.main(args=list(argv) if argv is not None else None, prog_name="parley")
