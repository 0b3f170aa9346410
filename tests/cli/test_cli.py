"""The `rfp` command: score, import, dump, init-db, create-user, demo, generate.

Commands that use a database get DATABASE_URL pointing at an SQLite file of the test's
own (monkeypatch.setenv); `rfp score` needs none.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, inspect, select

import rfp.demo
from rfp import models as m
from rfp.cli import main
from rfp.core.db import Database, utcnow
from rfp.core.migrate import current_heads
from rfp.domain.scoring import score_evaluation
from rfp.scenario import normalise_scenario, scenario_to_input

DEMO_FILE = Path(rfp.demo.__file__).with_name(rfp.demo.DEMO_FILE)
VENDOR_FIELDS = {
    "key",
    "name",
    "rank",
    "total",
    "criteria",
    "complete",
    "missing",
    "disqualified",
    "failed_knockouts",
    "cost",
    "flags",
}
COST_FIELDS = {"tco", "cost_per_contact", "savings", "monthly_charge", "hours_per_month"}


def rfp(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("RFP_INSTANCE_PATH", str(tmp_path / "instance"))
    return url


@pytest.fixture
def cli_db(db_url: str):  # type: ignore[no-untyped-def]
    database = Database(db_url)
    yield database
    database.dispose()


def count(database: Database, model: Any) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture(scope="module")
def demo_result():  # type: ignore[no-untyped-def]
    doc = normalise_scenario(json.loads(DEMO_FILE.read_text(encoding="utf-8")))
    return score_evaluation(scenario_to_input(doc))


# -- rfp score ----------------------------------------------------------------------------


def ranking_rows(output: str) -> list[tuple[str, str]]:
    """(rank, rest of the row) for each row of the ranking table."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if set(line) == {"-"}) + 1
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        rows.append((line[:4].strip(), line[6:]))
    return rows


def test_rfp_score_prints_the_vendors_in_rank_order_with_the_disqualified_marked(demo_result):
    result = rfp("score", str(DEMO_FILE))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Customer service outsourcing 2027\n")

    rows = ranking_rows(out)
    assert all(row[1].startswith(v.name) for row, v in zip(rows, demo_result.vendors, strict=True))
    assert [rank for rank, _ in rows] == [
        str(v.rank) if v.rank else "–" for v in demo_result.vendors
    ]
    # The demo's story: Valle Claro fails the PCI-DSS knockout and is listed last.
    last_rank, last_row = rows[-1]
    assert last_rank == "–"
    assert last_row.startswith("Valle Claro Soluciones")
    assert "DISQUALIFIED (failed pci)" in last_row
    assert all("DISQUALIFIED" not in row for _, row in rows[:-1])
    # Totals shown with one decimal, as everywhere.
    leader = demo_result.vendors[0]
    assert f"{leader.total:.1f}" in rows[0][1]
    # The cost table and the flags a reader must see.
    assert "TCO" in out and "Per contact" in out and "Savings" in out
    assert "Flags" in out
    assert "would not sign this contract again" in out


def test_rfp_score_json_has_every_field_design_md_lists(demo_result):
    result = rfp("score", str(DEMO_FILE), "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    vendors = payload["vendors"]
    assert [v["key"] for v in vendors] == [v.key for v in demo_result.vendors]
    criteria_keys = set(demo_result.weights)
    for v, expected in zip(vendors, demo_result.vendors, strict=True):
        assert v.keys() >= VENDOR_FIELDS, VENDOR_FIELDS - v.keys()
        assert v["cost"].keys() >= COST_FIELDS
        assert set(v["criteria"]) == criteria_keys
        assert v["total"] == pytest.approx(expected.total)
        assert v["rank"] == expected.rank
        assert isinstance(v["complete"], bool) and isinstance(v["disqualified"], bool)
        assert isinstance(v["missing"], list) and isinstance(v["failed_knockouts"], list)
        for flag in v["flags"]:
            assert {"type", "message"} <= flag.keys()
    # Rank order, the disqualified last with rank null.
    assert [v["rank"] for v in vendors] == [1, 2, 3, 4, None]
    assert vendors[-1]["disqualified"] and vendors[-1]["failed_knockouts"] == ["pci"]
    # Flags of all three families appear in the demo.
    kinds = {f["type"] for v in vendors for f in v["flags"]}
    assert {"dispersion", "references_few", "references_would_not_sign", "price_range"} <= kinds
    # Same numbers as the engine's own JSON (one result feeds every output).
    engine = demo_result.to_json()
    for v, e in zip(vendors, engine["vendors"], strict=True):
        assert v["cost"]["tco"] == pytest.approx(e["cost"]["tco"])
        assert v["criteria"] == pytest.approx(e["criteria"])


def test_rfp_score_json_is_compact_unless_an_indent_is_asked_for():
    compact = rfp("score", str(DEMO_FILE), "--json", "--draws", "200")
    assert compact.exit_code == 0, compact.output
    assert compact.stdout.count("\n") == 1 and compact.stdout.endswith("}\n")
    assert '"vendors":[{"key":"puente_norte",' in compact.stdout
    indented = rfp("score", str(DEMO_FILE), "--json", "--draws", "200", "--indent", "2")
    assert indented.exit_code == 0, indented.output
    assert indented.stdout.startswith('{\n  "vendors": [\n    {\n      "key": "puente_norte",')
    assert json.loads(indented.stdout) == json.loads(compact.stdout)


def test_rfp_score_indent_without_json_is_a_usage_error():
    result = CliRunner().invoke(main, ["score", str(DEMO_FILE), "--indent", "2"])
    assert result.exit_code == 2
    assert "--indent is for --json output" in result.output


def test_rfp_score_of_a_missing_file_exits_2(tmp_path: Path):
    result = CliRunner().invoke(main, ["score", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


# -- rfp import / dump ------------------------------------------------------------------


def write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_rfp_import_creates_the_evaluation_and_rfp_dump_gives_it_back(
    cli_db, make_scenario, tmp_path
):
    doc = make_scenario()
    doc["scores"] = [{"evaluator": "ana", "vendor": "alpha", "question": "timezone", "score": 4}]
    result = rfp("import", str(write(tmp_path / "s.json", doc)))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Imported evaluation 1: Test evaluation"
    assert count(cli_db, m.Evaluation) == 1
    assert count(cli_db, m.Score) == 1

    dumped = rfp("dump", "1")
    assert dumped.exit_code == 0, dumped.output
    assert json.loads(dumped.stdout) == normalise_scenario(doc)

    out = tmp_path / "out.json"
    assert rfp("dump", "1", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == normalise_scenario(doc)


def test_rfp_import_with_a_lead_makes_them_lead_of_the_evaluation(cli_db, make_scenario, tmp_path):
    assert rfp("create-user", "morgan", "--password", "long-enough-pw").exit_code == 0
    result = rfp("import", str(write(tmp_path / "s.json", make_scenario())), "--lead", "morgan")
    assert result.exit_code == 0, result.output
    with cli_db.session() as session:
        roles = session.execute(
            select(m.User.username, m.Membership.role).join(m.Membership.user)
        ).all()
    assert ("morgan", "lead") in roles


def test_rfp_import_is_audited_with_the_files_sha256(cli_db, make_scenario, tmp_path):
    import hashlib

    path = write(tmp_path / "s.json", make_scenario())
    assert rfp("import", str(path)).exit_code == 0
    with cli_db.session() as session:
        event = session.scalar(
            select(m.AuditEvent).where(m.AuditEvent.action == "evaluation.imported")
        )
    assert event.new["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert event.actor == "cli import"


def test_rfp_import_with_an_unknown_lead_exits_2_and_writes_nothing(
    cli_db, make_scenario, tmp_path
):
    result = CliRunner().invoke(
        main, ["import", str(write(tmp_path / "s.json", make_scenario())), "--lead", "nobody"]
    )
    assert result.exit_code == 2
    assert "--lead: no user 'nobody'" in result.stderr
    assert count(cli_db, m.Evaluation) == 0


def test_rfp_import_of_two_evaluators_matching_one_account_exits_2_and_writes_nothing(
    cli_db, make_scenario, tmp_path
):
    """Valid on its own, the file names as two panel members what the database knows as
    one account (ana's e-mail is bob's): an error naming the evaluator, not a crash."""
    created = rfp("create-user", "bob", "--email", "bob@x.example", "--password", "long-enough-pw")
    assert created.exit_code == 0
    doc = make_scenario()
    doc["evaluators"] = [
        {"key": "ana", "name": "Ana Ruiz", "email": "bob@x.example"},
        {"key": "bob", "name": "Bob Stone"},
    ]
    result = CliRunner().invoke(main, ["import", str(write(tmp_path / "s.json", doc))])
    assert result.exit_code == 2
    assert "evaluators[1]: is the account 'bob' already on the panel as 'ana'" in result.stderr
    assert (count(cli_db, m.Evaluation), count(cli_db, m.Membership), count(cli_db, m.User)) == (
        0,
        0,
        1,
    )


def test_rfp_import_of_a_missing_file_exits_2(db_url, tmp_path):
    result = CliRunner().invoke(main, ["import", str(tmp_path / "nope.json")])
    assert result.exit_code == 2


def test_rfp_dump_of_an_unknown_evaluation_says_so(cli_db):
    result = CliRunner().invoke(main, ["dump", "99"])  # even on a database never set up
    assert result.exit_code == 1
    assert "no evaluation with id 99" in result.output


def test_rfp_import_twice_gives_two_evaluations(cli_db, make_scenario, tmp_path):
    path = write(tmp_path / "s.json", make_scenario())
    assert rfp("import", str(path)).exit_code == 0
    second = rfp("import", str(path))
    assert second.stdout.strip() == "Imported evaluation 2: Test evaluation"
    assert count(cli_db, m.Evaluation) == 2


# -- rfp init-db --------------------------------------------------------------------------


def test_rfp_init_db_brings_an_empty_database_to_the_latest_schema(cli_db, db_url):
    result = rfp("init-db")
    assert result.exit_code == 0, result.output
    assert "Database is at the latest schema" in result.stdout
    tables = set(inspect(cli_db.engine).get_table_names())
    assert {"users", "evaluations", "scores", "alembic_version"} <= tables
    with cli_db.engine.connect() as connection:
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert [version] == current_heads(db_url)
    assert rfp("init-db").exit_code == 0  # running it again is harmless


def test_rfp_init_db_hides_the_password_of_the_url(tmp_path, monkeypatch):
    from rfp.cli import files

    monkeypatch.setattr("rfp.core.migrate.upgrade", lambda url: None)
    monkeypatch.setenv("DATABASE_URL", "postgresql://rfp:s3cret@db.example/rfp")
    result = rfp("init-db")
    assert "s3cret" not in result.output
    assert "***" in result.output
    assert files.EXIT_INVALID == 2


# -- rfp create-user ------------------------------------------------------------------------


def test_rfp_create_user_creates_an_account_that_can_log_in(cli_db):
    result = rfp(
        "create-user",
        "bob",
        "--name",
        "Bob Stone",
        "--email",
        "bob@x.example",
        "--password",
        "correct-horse",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Created user bob."
    with cli_db.session() as session:
        user = session.scalar(select(m.User).where(m.User.username == "bob"))
        assert user is not None
        assert (user.name, user.email, user.is_admin) == ("Bob Stone", "bob@x.example", False)
        assert user.check_password("correct-horse")


def test_rfp_create_user_admin_and_prompted_password(cli_db):
    result = rfp("create-user", "root", "--admin", input="long-enough-pw\nlong-enough-pw\n")
    assert result.exit_code == 0, result.output
    assert "Created administrator root." in result.stdout
    with cli_db.session() as session:
        assert session.scalar(select(m.User.is_admin).where(m.User.username == "root")) is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bob", "--password", "short"], "password: must be at least 10 characters"),
        (["taken", "--password", "long-enough-pw"], "username: 'taken' is already taken"),
        # issue 14: the password policy and the username rule of every other form
        (["bob", "--password", "1234567890"], "password: is one of the most common passwords"),
        (["bob", "--password", "bob-is-my-name"], "password: cannot contain the username"),
        (["t\u0430ken", "--password", "long-enough-pw"], "looks like the existing account 'taken'"),
        (["bob\u202e", "--password", "long-enough-pw"], "invisible or direction-changing"),
    ],
)
def test_rfp_create_user_refuses_bad_input_with_exit_2(cli_db, args, message):
    assert rfp("create-user", "taken", "--password", "long-enough-pw").exit_code == 0
    result = CliRunner().invoke(main, ["create-user", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert count(cli_db, m.User) == 1


# -- rfp demo -------------------------------------------------------------------------------


def test_rfp_demo_loads_the_demo_once(cli_db):
    first = rfp("demo")
    assert first.exit_code == 0, first.output
    assert "Loaded demo evaluation 1." in first.stdout
    assert "morgan" in first.stdout and "rfp-demo-2027" in first.stdout
    users = count(cli_db, m.User)
    scores = count(cli_db, m.Score)

    again = rfp("demo")
    assert again.exit_code == 0, again.output
    assert "Already loaded: demo evaluation 1." in again.stdout
    assert count(cli_db, m.Evaluation) == 1
    assert (count(cli_db, m.User), count(cli_db, m.Score)) == (users, scores)
    assert users == 6  # admin, morgan, dana, luis, priya, elena


def test_rfp_demo_reset_loads_it_again(cli_db):
    assert rfp("demo").exit_code == 0
    result = rfp("demo", "--reset")
    assert result.exit_code == 0
    assert "Loaded demo evaluation 2." in result.stdout
    assert count(cli_db, m.Evaluation) == 2
    assert count(cli_db, m.User) == 6


# -- rfp generate ---------------------------------------------------------------------------


def test_rfp_generate_writes_a_valid_scenario_with_the_counts_asked(tmp_path):
    out = tmp_path / "big.json"
    result = rfp(
        "generate", "--vendors", "3", "--questions", "8", "--evaluators", "2", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    # 3 vendors x 8 questions x 2 evaluators = 48 scores
    assert result.stdout.strip() == (
        f"Wrote {out}: 3 vendors, 8 questions, 2 evaluators, 48 scores"
    )
    doc = normalise_scenario(json.loads(out.read_text(encoding="utf-8")))
    scored = [q for c in doc["criteria"] for q in c["questions"] if q["kind"] == "scored"]
    assert (len(doc["vendors"]), len(scored), len(doc["evaluators"])) == (3, 8, 2)
    assert len(doc["scores"]) == 48
    scoring = rfp("score", str(out), "--json")
    assert scoring.exit_code == 0
    assert len(json.loads(scoring.stdout)["vendors"]) == 3


def test_rfp_generate_is_deterministic_for_a_seed(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for path in (a, b):
        assert (
            rfp(
                "generate",
                "--vendors",
                "2",
                "--questions",
                "4",
                "--evaluators",
                "1",
                "--seed",
                "7",
                "-o",
                str(path),
            ).exit_code
            == 0
        )
    assert a.read_text() == b.read_text()


def test_rfp_help_lists_the_commands():
    result = rfp("--help")
    for command in ("score", "import", "dump", "init-db", "db", "create-user", "demo", "generate"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.MULTILINE), command


def test_rfp_demo_loads_a_story_that_has_ended(cli_db):
    # Loaded today, the demo's pilot (ten weeks of figures) has ended before today, so no
    # figure stands for a week still to come.
    assert rfp("demo").exit_code == 0
    with cli_db.session() as session:
        pilot = session.scalar(select(m.Pilot))
        evaluation = session.scalar(select(m.Evaluation))
        assert pilot.end_date < utcnow().date()
        assert evaluation.deadline < utcnow()
