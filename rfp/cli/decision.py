"""`rfp ahp FILE.json`: criterion weights from pairwise comparisons, without a database.

Added to `rfp` by `rfp.cli` (AREA_COMMAND_MODULES), on first use. An invalid file exits with
status 2 and names every bad field.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from rfp.cli import exit_invalid
from rfp.cli.decision_text import ahp_text
from rfp.domain.decision.ahp import (
    DEFAULT_RANDOM_INDEX,
    RANDOM_INDEX_TABLES,
    AhpError,
    analyse_document,
)


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
        errors = [f"line {exc.lineno}, column {exc.colno}: malformed JSON: {exc.msg}"]
    except UnicodeDecodeError as exc:
        errors = [f"file: not UTF-8 text ({exc.reason})"]
    except AhpError as exc:
        errors = exc.errors
    else:
        click.echo(json.dumps(result.to_json(), indent=2) if as_json else ahp_text(result))
        return
    exit_invalid(file, errors, what="comparison file")


COMMANDS = [ahp_command]
