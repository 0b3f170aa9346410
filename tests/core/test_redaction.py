"""The request log carries no secret: the development server's request lines are
written with the token of a portal or set-password link replaced by "[token]"."""

from __future__ import annotations

import logging

import pytest

from rfp.core import redaction
from rfp.core.tokens import new_token


@pytest.mark.parametrize(
    "path", ["/portal/{t}", "/portal/{t}/questionnaire.xlsx", "/account/set-password/{t}"]
)
def test_a_request_line_is_logged_without_its_token(app, caplog, path):
    token = new_token()
    caplog.set_level(logging.INFO, logger="werkzeug")
    # What werkzeug's request handler logs for each request.
    logging.getLogger("werkzeug").info(
        '%s - - [%s] "%s" %s %s', "127.0.0.1", "03/Dec/2026 09:00:00",
        f"GET {path.format(t=token)} HTTP/1.1", "200", "-",
    )  # fmt: skip
    [record] = [r for r in caplog.records if r.name == "werkzeug"]
    assert token not in record.getMessage()
    assert path.format(t="[token]") in record.getMessage()


def test_other_paths_are_logged_as_they_are():
    assert redaction.redact('"GET /evaluations/3/intake HTTP/1.1"') == (
        '"GET /evaluations/3/intake HTTP/1.1"'
    )
    assert redaction.redact("GET /account/set-password HTTP/1.1") == (
        "GET /account/set-password HTTP/1.1"
    )


def test_the_filter_is_installed_once_however_many_apps():
    redaction.install()
    redaction.install()
    filters = logging.getLogger("werkzeug").filters
    assert sum(isinstance(f, redaction.RedactSecretPaths) for f in filters) == 1
