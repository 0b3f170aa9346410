"""Each command loads only what it uses: `rfp score` neither the web application
(Flask, SQLAlchemy) nor the report writers (openpyxl, reportlab) nor AHP, and the `rfp`
group imports a command's module only when that command is asked for.

Each check runs the command in a fresh Python process and lists what it imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import rfp.demo

DEMO_FILE = Path(rfp.demo.__file__).with_name(rfp.demo.DEMO_FILE)
HEAVY_LIBRARIES = (
    "flask",
    "werkzeug",
    "jinja2",
    "wtforms",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "openpyxl",
    "xlsxwriter",
    "reportlab",
)
HEAVY_RFP = ("rfp.domain.decision.ahp", "rfp.reports", "rfp.models", "rfp.areas", "rfp.core")
COMMAND_MODULES = (
    "rfp.cli.scenario",
    "rfp.cli.database",
    "rfp.cli.accounts",
    "rfp.cli.app",
    "rfp.cli.reports",
    "rfp.cli.decision",
    "rfp.cli.mail",
)
RUN_AND_LIST = """
import json, sys
from rfp.cli import main
try:
    main(sys.argv[1:], prog_name="rfp")
except SystemExit as exc:
    if exc.code:
        raise
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def modules_loaded_by(*args: str) -> set[str]:
    completed = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return set(json.loads(completed.stderr.splitlines()[-1]))


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """The names among `names` that are loaded, themselves or any module under them."""
    return [n for n in names if any(m == n or m.startswith(n + ".") for m in modules)]


@pytest.mark.parametrize("output", [["--json"], []], ids=["json", "table"])
def test_rfp_score_loads_neither_the_web_app_nor_the_report_writers_nor_ahp(output):
    modules = modules_loaded_by("score", str(DEMO_FILE), "--draws", "100", *output)
    assert "rfp.domain.decision.sensitivity" in modules  # it did run
    assert loaded(modules, HEAVY_LIBRARIES) == []
    assert loaded(modules, HEAVY_RFP) == []
    assert loaded(modules, COMMAND_MODULES) == ["rfp.cli.scenario"]


def test_rfp_ahp_loads_its_own_module_only(tmp_path):
    path = tmp_path / "ahp.json"
    path.write_text(json.dumps({"criteria": ["a", "b"], "matrix": [[1, 3], [1 / 3, 1]]}))
    modules = modules_loaded_by("ahp", str(path), "--json")
    assert loaded(modules, COMMAND_MODULES) == ["rfp.cli.decision"]
    assert loaded(modules, HEAVY_LIBRARIES) == []


def test_rfp_help_loads_every_command_module_to_list_them():
    modules = modules_loaded_by("--help")
    assert loaded(modules, COMMAND_MODULES) == list(COMMAND_MODULES)
    # Listing a command is not running it: the libraries still wait.
    assert loaded(modules, ("flask", "openpyxl", "reportlab")) == []
