"""``python -m parley_server [OPTIONS]``: the same as ``parley serve [OPTIONS]``."""

from .serving import serve

serve(prog_name="parley serve")
