"""The ``parley`` click group: each command is imported from its package on first use.

| command | module | extra |
|---|---|---|
| ``serve`` | ``parley_server.serving`` | ``server`` |
| ``keys``, ``tenants`` | ``parley_server.admin`` | ``server`` |
| ``contract-test`` | ``parley_contract.cli`` | ``contract`` |
| ``diff`` | ``parley_diff.cli`` | ``diff`` |

A command whose package (or one of its dependencies) is not installed prints one line naming
the extra to install and exits with status 2.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

import click

__all__ = ["COMMANDS", "LazyCommand", "main"]


@dataclass(frozen=True)
class LazyCommand:
    """Where one command lives, and what ``parley --help`` says of it before importing it.

    Attributes:
        module: The module that defines the click command.
        attribute: The command's name in that module.
        extra: The ``pip install 'parley[EXTRA]'`` extra that brings its dependencies.
        summary: The one-line help shown in ``parley --help``.
        requires: Distributions' top-level modules the command needs even where its module
            imports them late (checked before the command is loaded).
    """

    module: str
    attribute: str
    extra: str
    summary: str
    requires: tuple[str, ...] = ()


COMMANDS: dict[str, LazyCommand] = {
    "contract-test": LazyCommand(
        "parley_contract.cli",
        "contract_test",
        "contract",
        "Contract-test a server against the spec (the embedded one without a URL).",
        requires=("schemathesis",),
    ),
    "diff": LazyCommand(
        "parley_diff.cli",
        "diff",
        "diff",
        "Classify every change between two OpenAPI documents.",
    ),
    "keys": LazyCommand("parley_server.admin", "keys", "server", "Manage API keys."),
    "serve": LazyCommand(
        "parley_server.serving",
        "serve",
        "server",
        "Run the reference server with uvicorn until SIGINT/SIGTERM.",
    ),
    "tenants": LazyCommand("parley_server.admin", "tenants", "server", "Manage tenants."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported when they are run (or asked for help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, sorted."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Imports and returns the command, or exits 2 with one line when its extra is missing.

        Returns:
            The click command, or ``None`` for a name that is not a command (click then
            prints its usage error).
        """
        where = COMMANDS.get(cmd_name)
        if where is None:
            return None
        absent = next((name for name in where.requires if not _importable(name)), None)
        try:
            if absent is not None:
                raise ModuleNotFoundError(name=absent)
            module = importlib.import_module(where.module)
        except ModuleNotFoundError as exc:
            click.echo(
                f"parley {cmd_name}: needs {exc.name or 'a module'} (not installed): "
                f"pip install 'parley[{where.extra}]'",
                err=True,
            )
            ctx.exit(2)
        command = getattr(module, where.attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Lists the commands from :data:`COMMANDS` without importing them."""
        rows = [(name, COMMANDS[name].summary) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


@click.group(cls=LazyGroup)
def main() -> None:
    """Parley: conversation-API contract kit."""
