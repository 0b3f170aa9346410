"""`rfp ahp FILE.json`: criterion weights from pairwise comparisons, without a database.

Added to `rfp` by `rfp.cli` (AREA_COMMAND_MODULES), on first use. An invalid file exits with
status 2 and names every bad field.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from .ahp import DEFAULT_RANDOM_INDEX, RANDOM_INDEX_TABLES, AhpError, analyse_document
from .console import ahp_text

EXIT_INVALID = 2


@click.command("ahp")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--random-index",
    type=click.Choice(list(RANDOM_INDEX_TABLES)),
    default=DEFAULT_RANDOM_INDEX,
    show_default=True,
    help="Random index table for the consistency ratio.",
)
def ahp_command(file: str, as_json: bool, random_index: str) -> None:
    """Criterion weights from a pairwise comparison FILE (Saaty's AHP).

    FILE is {"criteria": ["cost", "compliance", ...], "matrix": [[1, 3, ...], ...]}
    (row i, column j: how much more important criterion i is than j, 1/9 to 9; "1/3"
    may be written as text), or "matrices": [...] for several participants, combined by
    the element-wise geometric mean.
    """
    try:
        text = Path(file).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{file}: {exc.strerror}") from exc
    try:
        doc = json.loads(text)
        result = analyse_document(doc, random_index=random_index)
    except json.JSONDecodeError as exc:
        _invalid(file, [f"line {exc.lineno}, column {exc.colno}: malformed JSON: {exc.msg}"])
    except UnicodeDecodeError as exc:
        _invalid(file, [f"file: not UTF-8 text ({exc.reason})"])
    except AhpError as exc:
        _invalid(file, exc.errors)
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2))
    else:
        click.echo(ahp_text(result))


def _invalid(file: str, errors: list[str]) -> NoReturn:
    click.echo(f"{file}: invalid comparison file ({len(errors)} error(s)):", err=True)
    for error in errors:
        click.echo(f"  {error}", err=True)
    sys.exit(EXIT_INVALID)


COMMANDS = [ahp_command]
