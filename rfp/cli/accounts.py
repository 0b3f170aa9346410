"""`rfp create-user`: an account from the command line (the first administrator)."""

from __future__ import annotations

import sys

import click

from rfp.cli.files import EXIT_INVALID


@click.command("create-user")
@click.argument("username")
@click.option("--name", help="Full name (default: the username).")
@click.option("--email")
@click.option("--admin", is_flag=True, help="Make the user an administrator.")
@click.password_option(help="Password (prompted if not given).")
def create_user_command(
    username: str, name: str | None, email: str | None, admin: bool, password: str
) -> None:
    """Create a user account."""
    from rfp.areas.accounts.operations import create_user
    from rfp.cli.database import open_database
    from rfp.core.migrate import upgrade
    from rfp.core.refusal import Refused

    with open_database() as db:
        upgrade(db.url)
        try:
            with db.transaction() as session:
                username = create_user(
                    session,
                    username,
                    name or username,
                    password,
                    email=email,
                    is_admin=admin,
                    actor="cli",
                ).username  # as stored: NFKC-normalised
        except Refused as exc:
            click.echo(str(exc), err=True)
            sys.exit(EXIT_INVALID)
    click.echo(f"Created {'administrator' if admin else 'user'} {username}.")
