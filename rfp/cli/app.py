"""`rfp serve` and `rfp demo`: the web application and its demo evaluation."""

from __future__ import annotations

from datetime import date

import click


@click.command()
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
            evaluation, logins, created = load_demo(
                session, document_dir=app.config["RFP_DOCUMENT_DIR"], today=_today()
            )
            evaluation_id = evaluation.id
        click.echo(
            ("Loaded" if created else "Demo already loaded:") + f" demo evaluation {evaluation_id}."
        )
        _print_logins(logins, DEMO_PASSWORD)
    click.echo(f"rfp is running on http://{host}:{port}/  (Ctrl+C to stop)")
    app.run(
        host=host,
        port=port,
        debug=False,
        use_reloader=False,
    )  # the request log leaves secrets out (rfp.core.redaction, installed by create_app)


@click.command()
@click.option("--reset", is_flag=True, help="Load the demo again even if it is already there.")
def demo(reset: bool) -> None:
    """Load the demo evaluation and its users, and print the demo logins."""
    from rfp.cli.database import open_database
    from rfp.core.config import document_dir
    from rfp.core.migrate import upgrade
    from rfp.demo import DEMO_PASSWORD, load_demo

    with open_database() as db:
        upgrade(db.url)
        with db.transaction() as session:
            evaluation, logins, created = load_demo(
                session, force=reset, document_dir=document_dir(), today=_today()
            )
            evaluation_id = evaluation.id
    click.echo(("Loaded" if created else "Already loaded:") + f" demo evaluation {evaluation_id}.")
    _print_logins(logins, DEMO_PASSWORD)


def _today() -> date:
    """The day the demo is loaded on: its story is moved to have ended before it."""
    from rfp.core.db import utcnow

    return utcnow().date()


def _print_logins(logins: list[tuple[str, str]], password: str) -> None:
    click.echo(f"Demo logins (password for all: {password}):")
    for username, role in logins:
        click.echo(f"  {username:<10} {role}")
