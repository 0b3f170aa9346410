"""The reports area's form: which report to generate."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import AnyOf, InputRequired

from rfp.core.forms import CheckedForm
from rfp.reports.archive import KINDS


class GenerateReportForm(CheckedForm):
    kind = HiddenField(
        "Report",
        validators=[
            InputRequired(message="Choose the report to generate."),
            AnyOf(KINDS, message="Report: must be xlsx (workbook) or pdf (summary)."),
        ],
    )
    # "download": send the new file at once (the results page's buttons); else the list.
    then = HiddenField()

    @property
    def download_at_once(self) -> bool:
        return self.then.data == "download"


class RetryReportForm(CheckedForm):
    """Try a failed report again (the CSRF token only)."""
