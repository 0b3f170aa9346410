"""The `rfp` command: the group, and where each of its commands lives.

Each command group is a module of its own (scenario, database, accounts, app, reports,
decision), imported only when one of its commands is asked for, or for --help: `rfp
score` pays neither for Flask and SQLAlchemy nor for the workbook, the PDF or AHP.
numpy runs with one BLAS thread (see one_blas_thread).
`rfp score FILE` needs no database; commands that do use DATABASE_URL (default: SQLite
under instance/). Invalid input exits with status 2 and writes nothing; so does a file or
folder that cannot be read or written (LazyGroup.invoke: a message, never a traceback).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

# Command name -> "module:attribute" of the click command.
COMMANDS = {
    "score": "rfp.cli.scenario:score",
    "import": "rfp.cli.scenario:import_command",
    "dump": "rfp.cli.scenario:dump",
    "generate": "rfp.cli.scenario:generate",
    "init-db": "rfp.cli.database:init_db",
    "db": "rfp.cli.database:db",
    "create-user": "rfp.cli.accounts:create_user_command",
    "serve": "rfp.cli.app:serve",
    "demo": "rfp.cli.app:demo",
    "report": "rfp.cli.reports:report_command",
    "export": "rfp.cli.reports:export_command",
    "ahp": "rfp.cli.decision:ahp_command",
    "worker": "rfp.cli.jobs:worker",
    "run-jobs": "rfp.cli.jobs:run_jobs",
    "send-due": "rfp.cli.mail:send_due_command",
}


# ctx.obj of the `rfp` program itself, as opposed to a caller running a command in its own
# process (a test's CliRunner): see LazyGroup.main.
PROGRAM = object()


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (see COMMANDS)."""

    def main(self, args: Sequence[str] | None = None, *more: Any, **extra: Any) -> Any:
        """As click's. With no arguments given, this is the `rfp` program reading its own
        command line (the console script, `python -m rfp.cli`): its commands see PROGRAM
        as ctx.obj, and may end the process as soon as they are done."""
        if args is None:
            extra.setdefault("obj", PROGRAM)
        return super().main(args, *more, **extra)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """No control characters on the command line (a NUL cannot be passed; a bell or
        an escape can, and would be stored): a usage error, exit 2."""
        from rfp.domain.control_characters import control_problem

        for arg in args:
            problem = control_problem(arg)
            if problem:
                raise click.UsageError(f"the argument {arg!r} {problem}")
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        """Expected failures are a message and exit status 2, never a traceback: a file or
        folder that cannot be read or written (a full disk, a folder that is a file, no
        permission), a value an operation refused."""
        from rfp.cli.files import EXIT_INVALID

        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise  # `rfp score | head`: click's main handles it
        except OSError as exc:
            click.echo(f"{exc.filename or 'file'}: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_INVALID)
        except Exception as exc:
            from rfp.core.refusal import Refused

            if not isinstance(exc, Refused):
                raise
            click.echo(str(exc), err=True)
            sys.exit(EXIT_INVALID)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in COMMANDS:
            module, _, attribute = COMMANDS[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rfp")
def main() -> None:
    """rfp: vendor selection and RFP scoring for customer-service outsourcing."""
    one_blas_thread()


def one_blas_thread() -> None:
    """One BLAS thread for the command, unless the environment says otherwise: numpy's
    OpenBLAS starts a pool of threads as it loads, which costs a command a third of
    numpy's import time and never pays back on matrices as small as ours. Only before
    numpy is loaded (in-process callers keep what they have)."""
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
