"""The accounts' forms: logging in, changing one's password, and an administrator's
account form (a new account needs a password; an existing one keeps it when left empty)."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional, Regexp

from rfp.areas.accounts.operations import MIN_PASSWORD_LENGTH
from rfp.core.forms import CheckedForm

USERNAME = Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$",
    message="Letters, digits, '_', '-' and '.', starting with a letter or digit.",
)
PASSWORD_HELP = f"At least {MIN_PASSWORD_LENGTH} characters. Leave empty to keep the current one."


class LoginForm(CheckedForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me logged in on this computer")


class PasswordForm(CheckedForm):
    current = PasswordField("Current password", validators=[DataRequired()])
    new = PasswordField(
        "New password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new", message="Passwords differ.")],
    )


class ForgotPasswordForm(CheckedForm):
    email = EmailField(
        "Your e-mail address",
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )


class SetPasswordForm(CheckedForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=f"At least {MIN_PASSWORD_LENGTH} characters.",
    )
    confirm = PasswordField(
        "Repeat it",
        validators=[DataRequired(), EqualTo("password", message="Passwords differ.")],
    )


class UserForm(CheckedForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80), USERNAME])
    name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        "E-mail", validators=[Optional(), Email(check_deliverability=False), Length(max=254)]
    )
    password = PasswordField(
        "Password",
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=PASSWORD_HELP,
    )
    is_admin = BooleanField("Administrator (manages users, leads every evaluation)")
    active = BooleanField("Active (may log in)", default=True)


class NewUserForm(UserForm):
    password = PasswordField(
        "Password",
        validators=[
            InputRequired(message="A new account needs a password."),
            Length(min=MIN_PASSWORD_LENGTH, max=200),
        ],
        description=PASSWORD_HELP,
    )
