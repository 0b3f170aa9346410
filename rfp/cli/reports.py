"""`rfp export` and `rfp report`: the workbook and the PDF from the command line.

Imported by the `rfp` group (rfp.cli) only when one of them is asked for: the workbook
and PDF libraries load with them, not with every command.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from rfp.cli.files import EXIT_INVALID, read_scenario

FC = TypeVar("FC", bound=Callable[..., object])


def export_dir() -> Path:
    """EXPORT_DIR, by the same rule as the app's config: default exports/ here."""
    return Path(os.environ.get("EXPORT_DIR", "exports")).resolve()


def _kinds(xlsx: bool, pdf: bool) -> list[str]:
    from rfp.reports.archive import KINDS

    chosen = [kind for kind, wanted in (("xlsx", xlsx), ("pdf", pdf)) if wanted]
    return chosen or list(KINDS)


def output_folder_option(help_text: str) -> Callable[[FC], FC]:
    """-o/--output FOLDER, as both commands take it."""
    return click.option("-o", "--output", type=click.Path(file_okay=False), help=help_text)


def writable_folder(folder: Path, setting: str) -> Path:
    """`folder`, made if missing, or exit 2 naming the setting when it cannot be written
    to (checked before any report is built, so that nothing is half done)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        click.echo(f"{setting}: cannot write to {folder}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_INVALID)
    return folder


def _describe(path: Path, size: int, sha256: str) -> str:
    return f"{path}  ({size:,} bytes, sha256 {sha256})"


@click.command("export")
@click.argument("evaluation_id", type=int)
@click.option("--xlsx", is_flag=True, help="The Excel workbook.")
@click.option("--pdf", is_flag=True, help="The PDF summary.")
@output_folder_option("Also copy the files to this folder.")
def export_command(evaluation_id: int, xlsx: bool, pdf: bool, output: str | None) -> None:
    """Build the reports of an evaluation in the database (both unless --xlsx or --pdf),
    keep them under EXPORT_DIR and list them on the evaluation."""
    from rfp import models as m
    from rfp.areas.reports.operations import generate_report
    from rfp.cli.database import open_database
    from rfp.core.db import utcnow
    from rfp.reports.archive import stored_path

    with open_database() as db, db.transaction() as session:
        evaluation = session.get(m.Evaluation, evaluation_id)
        if evaluation is None:
            raise click.ClickException(f"no evaluation with id {evaluation_id}")
        directory = writable_folder(export_dir(), "EXPORT_DIR")
        if output:
            writable_folder(Path(output), "-o/--output")
        now = utcnow()
        kept = [
            generate_report(
                session, evaluation, kind, export_dir=directory, created_by_name="cli", now=now
            )
            for kind in _kinds(xlsx, pdf)
        ]
        rows = [(stored_path(directory, r), r.size, r.sha256) for r in kept]
    for path, size, sha256 in rows:
        assert path is not None
        click.echo(_describe(path, size, sha256))
        if output:
            Path(output).mkdir(parents=True, exist_ok=True)
            copy = Path(output) / path.name
            shutil.copyfile(path, copy)
            click.echo(f"  copied to {copy}")


@click.command("report")
@click.argument("file", type=click.Path(dir_okay=False))
@output_folder_option("Folder to write to (default: EXPORT_DIR, exports/).")
def report_command(file: str, output: str | None) -> None:
    """Build the workbook and the PDF straight from a scenario FILE (no database)."""
    from rfp.core.db import utcnow
    from rfp.domain.scoring import score_evaluation
    from rfp.reports.archive import KINDS, build_report, report_filename, write_new_file
    from rfp.reports.meta import meta_from_scenario
    from rfp.scenario import scenario_to_input

    doc = read_scenario(file)
    result = score_evaluation(scenario_to_input(doc))
    # A scenario file has the stage, deadline, award and conflicts, not who recorded the
    # award nor when: the PDF says so.
    meta = meta_from_scenario(doc)
    now = utcnow()
    directory = writable_folder(
        Path(output).resolve() if output else export_dir(),
        "-o/--output" if output else "EXPORT_DIR",
    )
    for kind in KINDS:
        content = build_report(kind, result, doc, now, meta)
        name = report_filename(kind, doc["evaluation"]["title"], now)
        path = write_new_file(directory, name, content)
        click.echo(_describe(path, len(content), hashlib.sha256(content).hexdigest()))
