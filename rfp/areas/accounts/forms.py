"""The accounts' forms: logging in, changing one's password, and an administrator's
account form (a new account needs a password; an existing one keeps it when left empty)."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional

from rfp.core.credentials import (
    MAX_PASSWORD_LENGTH,
    MAX_USERNAME_LENGTH,
    PASSWORD_RULE_TEXT,
    USERNAME_SHAPE_TEXT,
)
from rfp.core.forms import CheckedForm

# The rules themselves are checked by the operations (rfp.core.credentials), the
# one place every way of setting a password or naming an account goes through.
PASSWORD_HELP = f"{PASSWORD_RULE_TEXT} Leave empty to keep the current one."
USERNAME_HELP = f"{USERNAME_SHAPE_TEXT[0].upper()}{USERNAME_SHAPE_TEXT[1:]}."


class LoginForm(CheckedForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me logged in on this computer")


class PasswordForm(CheckedForm):
    current = PasswordField("Current password", validators=[DataRequired()])
    new = PasswordField(
        "New password",
        validators=[InputRequired(), Length(max=MAX_PASSWORD_LENGTH)],
        description=PASSWORD_RULE_TEXT,
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[InputRequired(), EqualTo("new", message="Passwords differ.")],
    )


class ForgotPasswordForm(CheckedForm):
    email = EmailField(
        "Your e-mail address",
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )


class SetPasswordForm(CheckedForm):
    password = PasswordField(
        "New password",
        validators=[InputRequired(), Length(max=MAX_PASSWORD_LENGTH)],
        description=PASSWORD_RULE_TEXT,
    )
    confirm = PasswordField(
        "Repeat it",
        validators=[InputRequired(), EqualTo("password", message="Passwords differ.")],
    )


class UserForm(CheckedForm):
    username = StringField(
        "Username",
        validators=[DataRequired(), Length(max=MAX_USERNAME_LENGTH)],
        description=USERNAME_HELP,
    )
    name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        "E-mail", validators=[Optional(), Email(check_deliverability=False), Length(max=254)]
    )
    password = PasswordField(
        "Password",
        validators=[Optional(), Length(max=MAX_PASSWORD_LENGTH)],
        description=PASSWORD_HELP,
    )
    is_admin = BooleanField("Administrator (manages users, leads every evaluation)")
    active = BooleanField("Active (may log in)", default=True)


class NewUserForm(UserForm):
    password = PasswordField(
        "Password",
        validators=[
            InputRequired(message="A new account needs a password."),
            Length(max=MAX_PASSWORD_LENGTH),
        ],
        description=PASSWORD_HELP,
    )
