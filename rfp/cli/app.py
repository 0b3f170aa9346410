"""`rfp serve` and `rfp demo`: the web application and its demo evaluation."""

from __future__ import annotations

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
            evaluation, logins, created = load_demo(session)
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
        request_handler=redacting_request_handler(),
    )


def redacting_request_handler() -> type:
    """Werkzeug's request handler, whose request log leaves vendor portal tokens out:
    the development server logs every request line, and a portal URL is a secret."""
    from werkzeug.serving import WSGIRequestHandler

    from rfp.core.security import redact_portal_tokens

    class RedactingRequestHandler(WSGIRequestHandler):
        # Every line the server writes (requests and errors) goes through log().
        def log(self, type: str, message: str, *args: object) -> None:  # noqa: A002
            super().log(type, message, *(redact_portal_tokens(str(a)) for a in args))

    return RedactingRequestHandler


@click.command()
@click.option("--reset", is_flag=True, help="Load the demo again even if it is already there.")
def demo(reset: bool) -> None:
    """Load the demo evaluation and its users, and print the demo logins."""
    from rfp.cli.database import open_database
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
