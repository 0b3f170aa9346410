"""The files commands are given, and how a command refuses invalid input.

Invalid input exits with EXIT_INVALID (2), one error a line on stderr, each naming the
path of the bad field; nothing is written.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

EXIT_INVALID = 2


def read_bytes(path: str) -> bytes:
    """A file's content, or a one-line error (exit status 1) when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{path}: {exc.strerror}") from exc


def read_scenario(path: str) -> dict[str, Any]:
    """The canonical scenario in a file, or exit with its errors (EXIT_INVALID)."""
    from rfp.scenario import ScenarioError, load_scenario_text

    data = read_bytes(path)
    try:
        return load_scenario_text(data)
    except ScenarioError as exc:
        exit_invalid(path, exc.errors)


def exit_invalid(path: str, errors: Sequence[str], what: str = "scenario") -> NoReturn:
    """Say why a file was refused, one error a line, and exit with EXIT_INVALID."""
    from rfp.domain.formatting import counted

    click.echo(f"{path}: invalid {what} ({counted(len(errors), 'error')}):", err=True)
    for error in errors:
        click.echo(f"  {error}", err=True)
    sys.exit(EXIT_INVALID)
