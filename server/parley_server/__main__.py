"""``python -m parley_server`` runs the ``parley`` command line."""

from .cli import main

main(prog_name="parley")
