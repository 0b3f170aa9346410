"""`rfp ahp FILE.json`: criterion weights from pairwise comparisons, without a database.

Imported by the `rfp` group (rfp.cli) only when `rfp ahp` is asked for. An invalid file
exits with status 2 and names every bad field.
"""

from __future__ import annotations

import json

import click

from rfp.cli.files import exit_invalid, read_bytes
from rfp.domain.decision.ahp import (
    CR_ACCEPTABLE,
    DEFAULT_RANDOM_INDEX,
    RANDOM_INDEX_TABLES,
    AhpError,
    AhpResult,
    analyse_document,
    judgment_text,
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
    text = read_bytes(file)
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
        click.echo(
            json.dumps(result.to_json(), indent=2, allow_nan=False) if as_json else ahp_text(result)
        )
        return
    exit_invalid(file, errors, what="comparison file")


def ahp_text(result: AhpResult) -> str:
    table = RANDOM_INDEX_TABLES[result.random_index_table]
    who = "one participant" if result.participants == 1 else f"{result.participants} participants"
    width = max(9, *(len(k) for k in result.criteria))
    combined = "" if result.participants == 1 else ", combined by geometric mean"
    lines = [f"AHP weights from the pairwise comparisons of {who}{combined}", ""]
    lines.append(f"  {'Criterion':<{width}}  {'Weight':>7}")
    for key, weight in sorted(result.weights_by_key.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {key:<{width}}  {100 * weight:>6.1f} %")
    lines.append("")
    lines.append(f"lambda max {result.lambda_max:.4f} · CI {result.ci:.4f}")
    if result.cr is None:
        lines.append(f"CR not computed (random index table {table.name})")
    else:
        verdict = "acceptable" if result.acceptable else "too inconsistent"
        lines.append(
            f"RI {_ri_text(result.random_index)} ({table.name}: {table.source})\n"
            f"CR {result.cr:.3f}: {verdict} (at most {CR_ACCEPTABLE:.2f})"
        )
    j = result.most_inconsistent
    if j is not None:
        lines.append(
            f"Most inconsistent judgment: {j.row_key} against {j.column_key} "
            f"(matrix[{j.row}][{j.column}]): given {judgment_text(j.given)}, "
            f"the weights imply {judgment_text(j.consistent)}"
        )
    if result.warning:
        lines.append(f"Warning: {result.warning}")
    return "\n".join(lines)


def _ri_text(value: float | None) -> str:
    if value is None:
        return "none"
    return f"{value:.2f}" if round(value, 2) == value else f"{value:g}"
