"""`rfp score`, `rfp import`, `rfp dump`, `rfp generate`: the scenario file.

`rfp score FILE` needs no database and loads neither Flask nor SQLAlchemy: only the
scenario checks, the engine and the sensitivity report. On the generated 40 x 120 x 12
evaluation (57,600 scores) it is timed by tests/benchmarks/bench_cli.py against a
process that only parses the same file.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rfp.cli.files import EXIT_INVALID, exit_invalid, read_scenario

if TYPE_CHECKING:
    from rfp.domain.decision.sensitivity import SensitivityReport
    from rfp.domain.scoring.result import Result


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a command imports its modules and builds
    its large, acyclic structures (the parsed file, the engine input, the result and its
    JSON): with tens of thousands of scores it would otherwise walk them again and
    again, for nothing. Reference counting still frees everything; the collector is back
    on the way out."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def score_json(result: Result, sensitivity: SensitivityReport, indent: int | None = None) -> str:
    """What `rfp score --json` prints: the result and its sensitivity report, compact
    unless an indent is asked for."""
    out = result.to_json() | {"sensitivity": sensitivity.to_json()}
    # Compact: the C encoder, and a third of the bytes of indent=2. The result is a fresh
    # tree of dicts and lists, with no cycle to look for.
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(
        out,
        indent=indent,
        separators=separators,
        ensure_ascii=False,
        check_circular=False,
        allow_nan=False,  # valid JSON: a figure that is not finite is an error, not Infinity
    )


def end_the_program() -> None:
    """When this is the `rfp` program itself, end the process now that the output is
    written, as mypy does: freeing the file's tens of thousands of rows and the result,
    then tearing the interpreter down, take a tenth of the run, and `rfp score` holds no
    file, connection or thread to clean up. A caller running the command in its own
    process (a test) gets the command's return, as usual."""
    from rfp.cli import PROGRAM

    if click.get_current_context().find_root().obj is PROGRAM:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (compact).")
@click.option(
    "--indent",
    type=click.IntRange(min=0),
    help="With --json: indent the JSON by this many spaces, for reading.",
)
@click.option(
    "--concentration",
    type=click.FloatRange(min=0, min_open=True),
    help="Rank stability: spread of the weights drawn, higher is closer to the official "
    "ones (default: the scenario's sensitivity_concentration, 50).",
)
@click.option(
    "--draws",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Rank stability: how many weight vectors to draw.",
)
def score(
    file: str, as_json: bool, indent: int | None, concentration: float | None, draws: int
) -> None:
    """Print the ranking of a scenario FILE (no database needed)."""
    if indent is not None and not as_json:
        raise click.UsageError("--indent is for --json output")
    with cyclic_gc_paused():
        from rfp.domain.decision.sensitivity import sensitivity_report
        from rfp.domain.scoring import score_evaluation
        from rfp.scenario import scenario_to_input

        doc = read_scenario(file)
        ev = doc["evaluation"]
        inp = scenario_to_input(doc)  # evaluator normalisation, if set, is the engine's
        result = score_evaluation(inp)
        if concentration is None:
            concentration = float(ev.get("sensitivity_concentration") or 50.0)
        sensitivity = sensitivity_report(inp, result, draws=draws, concentration=concentration)
        if as_json:
            # JSON escapes every control character, so there is no ANSI code to strip.
            click.echo(score_json(result, sensitivity, indent), color=True)
        else:
            from rfp.cli.ranking_text import ranking_table, sensitivity_text

            text = ranking_table(result, doc)
            if result.pilot is not None:
                from rfp.domain.pilot_text import pilot_text

                names = {v["key"]: v["name"] for v in doc["vendors"]}
                text += "\n" + pilot_text(result.pilot, names)
            if ev.get("normalise_evaluators"):
                text += (
                    "\n\nEach evaluator's scores were normalised to the panel's mean and spread."
                )
            click.echo(text + "\n\n" + sensitivity_text(sensitivity))
        end_the_program()


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--lead", "lead_username", help="Username of the lead (default: none).")
def import_command(file: str, lead_username: str | None) -> None:
    """Import a scenario FILE as a new evaluation, its panel enrolled with their scores
    (the operator's act, like an administrator's). All or nothing; audited with the
    file's SHA-256."""
    import hashlib

    from sqlalchemy import select

    from rfp import models as m
    from rfp.cli.database import open_database
    from rfp.core.migrate import upgrade
    from rfp.scenario import ScenarioError
    from rfp.scenario.store import import_scenario

    doc = read_scenario(file)
    with open_database() as db:
        upgrade(db.url)
        try:
            with db.transaction() as session:
                lead = None
                if lead_username:
                    lead = session.scalar(select(m.User).where(m.User.username == lead_username))
                    if lead is None:
                        click.echo(f"--lead: no user {lead_username!r}", err=True)
                        sys.exit(EXIT_INVALID)
                evaluation = import_scenario(
                    session,
                    doc,
                    lead=lead,
                    actor="cli import",
                    file_sha256=hashlib.sha256(Path(file).read_bytes()).hexdigest(),
                )
                evaluation_id = evaluation.id
        except ScenarioError as exc:  # valid alone, but not with the accounts already here
            exit_invalid(file, exc.errors)
    click.echo(f"Imported evaluation {evaluation_id}: {doc['evaluation']['title']}")


@click.command()
@click.argument("evaluation_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file.")
def dump(evaluation_id: int, output: str | None) -> None:
    """Print an evaluation as a scenario file."""
    from sqlalchemy import inspect

    from rfp.cli.database import open_database
    from rfp.scenario.store import dump_evaluation

    with open_database() as db:
        # A read-only command: it never changes the schema, it says what is missing.
        if not inspect(db.engine).has_table("evaluations"):
            raise click.ClickException(
                f"no evaluation with id {evaluation_id}: the database has no rfp tables yet "
                "(run `rfp init-db`)"
            )
        with db.transaction() as session:
            try:
                doc = dump_evaluation(session, evaluation_id)
            except LookupError as exc:
                raise click.ClickException(str(exc)) from exc
    text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
    if output:
        Path(output).write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)


@click.command()
@click.option("--vendors", default=40, show_default=True)
@click.option("--questions", default=120, show_default=True)
@click.option("--evaluators", default=12, show_default=True)
@click.option("--seed", default=2027, show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True)
def generate(vendors: int, questions: int, evaluators: int, seed: int, output: str) -> None:
    """Write a large synthetic scenario (for benchmarks and load tests)."""
    from rfp.scenario.synthetic import generate_scenario

    doc = generate_scenario(vendors=vendors, questions=questions, evaluators=evaluators, seed=seed)
    Path(output).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    click.echo(
        f"Wrote {output}: {vendors} vendors, {questions} questions, {evaluators} "
        f"evaluators, {len(doc['scores'])} scores"
    )
