"""``python -m parley_cli``: the same as the ``parley`` command."""

from parley_cli import run

run()
