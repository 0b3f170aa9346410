"""The `rfp` program as a process: `rfp score` ends the process as soon as its output is
written (skipping the interpreter's teardown), so what matters is that the output is
complete, flushed and the exit status right, through a pipe as in a terminal's redirect.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import rfp.demo
from rfp.cli.files import EXIT_INVALID

DEMO_FILE = Path(rfp.demo.__file__).with_name(rfp.demo.DEMO_FILE)


def rfp_process(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rfp.cli", *args], capture_output=True, text=True, check=False
    )


def test_rfp_score_json_writes_all_of_its_output_and_exits_0():
    done = rfp_process("score", str(DEMO_FILE), "--json", "--draws", "500")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["sensitivity"]["stability"]["draws"] == 500
    assert done.stdout.endswith("}\n") and done.stderr == ""


def test_rfp_score_table_writes_all_of_its_output_and_exits_0():
    done = rfp_process("score", str(DEMO_FILE), "--draws", "500")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Customer service outsourcing 2027\n")
    assert "First place over 500 weightings" in done.stdout


@pytest.mark.parametrize(
    ("content", "status"), [("{", EXIT_INVALID), ('{"format": 1}', EXIT_INVALID)]
)
def test_rfp_score_of_an_invalid_file_still_exits_with_its_status(tmp_path, content, status):
    path = tmp_path / "broken.json"
    path.write_text(content)
    done = rfp_process("score", str(path), "--json")
    assert done.returncode == status
    assert done.stdout == ""
    assert f"{path}: invalid scenario" in done.stderr
