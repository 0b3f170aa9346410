"""The `rfp` command.

`rfp score FILE` needs no database. Commands that do use DATABASE_URL (default: SQLite
under instance/). Invalid input exits with status 2 and writes nothing.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rfp.core.db import Database, NoReturn

import click

EXIT_INVALID = 2


def read_scenario(path: str) -> dict[str, Any]:
    """The canonical scenario in a file, or exit with its errors (EXIT_INVALID)."""
    from rfp.scenario import ScenarioError, load_scenario_text

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{path}: {exc.strerror}") from exc
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


@contextmanager
def open_database() -> Iterator[Database]:
    """The database DATABASE_URL names (the app's default without it), disposed of on
    the way out so that no connection outlives the command."""
    from rfp.core.config import database_url
    from rfp.core.db import Database

    db = Database(database_url())
    try:
        yield db
    finally:
        db.dispose()


# Areas that bring their own commands: each module exposes COMMANDS (a list of commands).
AREA_COMMAND_MODULES = ("rfp.cli.reports", "rfp.cli.decision")


class _Commands(click.Group):
    """The built-in commands, and the areas' commands, imported only when one of them is
    asked for (or for --help): `rfp score` must not pay for loading the PDF, workbook or
    AHP code and their libraries."""

    _areas_loaded = False

    def load_area_commands(self) -> None:
        if self._areas_loaded:
            return
        self._areas_loaded = True
        import importlib

        for name in AREA_COMMAND_MODULES:
            for command in importlib.import_module(name).COMMANDS:
                self.add_command(command)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None:
            self.load_area_commands()
            command = super().get_command(ctx, cmd_name)
        return command

    def list_commands(self, ctx: click.Context) -> list[str]:
        self.load_area_commands()
        return super().list_commands(ctx)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rfp")
def main() -> None:
    """rfp: vendor selection and RFP scoring for customer-service outsourcing."""


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
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
def score(file: str, as_json: bool, concentration: float | None, draws: int) -> None:
    """Print the ranking of a scenario FILE (no database needed)."""
    from rfp.cli.decision_text import sensitivity_text
    from rfp.cli.ranking_text import ranking_table
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
        out = result.to_json() | {"sensitivity": sensitivity.to_json()}
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    text = ranking_table(result, doc)
    if ev.get("normalise_evaluators"):
        text += "\n\nEach evaluator's scores were normalised to the panel's mean and spread."
    click.echo(text + "\n\n" + sensitivity_text(sensitivity))


@main.command("init-db")
def init_db() -> None:
    """Create the database or bring it to the latest schema."""
    from rfp.core.config import database_url
    from rfp.core.migrate import upgrade

    url = database_url()
    upgrade(url)
    click.echo(f"Database is at the latest schema: {_display_url(url)}")


def _display_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--lead", "lead_username", help="Username of the lead (default: none).")
def import_command(file: str, lead_username: str | None) -> None:
    """Import a scenario FILE as a new evaluation. All or nothing."""
    from sqlalchemy import select

    from rfp import models as m
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
                evaluation = import_scenario(session, doc, lead=lead, actor="cli import")
                evaluation_id = evaluation.id
        except ScenarioError as exc:  # valid alone, but not with the accounts already here
            exit_invalid(file, exc.errors)
    click.echo(f"Imported evaluation {evaluation_id}: {doc['evaluation']['title']}")


@main.command()
@click.argument("evaluation_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file.")
def dump(evaluation_id: int, output: str | None) -> None:
    """Print an evaluation as a scenario file."""
    from sqlalchemy import inspect

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
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    if output:
        Path(output).write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)


@main.command("create-user")
@click.argument("username")
@click.option("--name", help="Full name (default: the username).")
@click.option("--email")
@click.option("--admin", is_flag=True, help="Make the user an administrator.")
@click.password_option(help="Password (prompted if not given).")
def create_user_command(
    username: str, name: str | None, email: str | None, admin: bool, password: str
) -> None:
    """Create a user account."""
    from rfp.areas.accounts.operations import AccountError, create_user
    from rfp.core.migrate import upgrade

    with open_database() as db:
        upgrade(db.url)
        try:
            with db.transaction() as session:
                create_user(
                    session,
                    username,
                    name or username,
                    password,
                    email=email,
                    is_admin=admin,
                    actor="cli",
                )
        except AccountError as exc:
            click.echo(str(exc), err=True)
            sys.exit(EXIT_INVALID)
    click.echo(f"Created {'administrator' if admin else 'user'} {username}.")


@main.command()
@click.option("--reset", is_flag=True, help="Load the demo again even if it is already there.")
def demo(reset: bool) -> None:
    """Load the demo evaluation and its users, and print the demo logins."""
    from rfp.core.migrate import upgrade
    from rfp.demo import DEMO_PASSWORD, load_demo

    with open_database() as db:
        upgrade(db.url)
        with db.transaction() as session:
            evaluation, logins, created = load_demo(session, force=reset)
            evaluation_id = evaluation.id
    click.echo(("Loaded" if created else "Already loaded:") + f" demo evaluation {evaluation_id}.")
    _print_logins(logins, DEMO_PASSWORD)


def _print_logins(logins: list[tuple[str, str]], password: str) -> None:
    click.echo(f"Demo logins (password for all: {password}):")
    for username, role in logins:
        click.echo(f"  {username:<10} {role}")


@main.command()
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


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--demo", "with_demo", is_flag=True, help="Load the demo evaluation first.")
def serve(host: str, port: int, with_demo: bool) -> None:
    """Run the web application (development server; use a WSGI server in production)."""
    import os

    from rfp import create_app
    from rfp.core.migrate import upgrade

    if not os.environ.get("SECRET_KEY") and os.environ.get("RFP_ENV") is None:
        os.environ["RFP_ENV"] = "development"
        click.echo("SECRET_KEY is not set: using a development secret kept in instance/.")
    app = create_app()
    upgrade(app.config["DATABASE_URL"])
    if with_demo:
        from rfp.demo import DEMO_PASSWORD, load_demo

        with app.extensions["rfp.core.db"].transaction() as session:
            evaluation, logins, created = load_demo(session)
            evaluation_id = evaluation.id
        click.echo(
            ("Loaded" if created else "Demo already loaded:") + f" demo evaluation {evaluation_id}."
        )
        _print_logins(logins, DEMO_PASSWORD)
    click.echo(f"rfp is running on http://{host}:{port}/  (Ctrl+C to stop)")
    app.run(host=host, port=port, debug=False, use_reloader=False)


if __name__ == "__main__":  # pragma: no cover
    main()
