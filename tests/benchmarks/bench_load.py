"""Benchmark: twenty evaluators saving at once through gunicorn, with readers of the
results page, on SQLite and on PostgreSQL (issue 11).

Run with `python tests/benchmarks/bench_load.py [--postgres URL]` (pytest does not
collect it; gunicorn comes with the test extra). For each database it imports the
generated evaluation (40 vendors x 120 questions x 12 evaluators, stage scoring), starts
gunicorn (4 sync workers) on a free loopback port with the production settings (CSRF on,
jobs run by nobody), and for a bounded time runs:

- 20 saver threads, each logged in with its own session as one of the 12 evaluators
  (some evaluators in two browsers at once, on disjoint vendors), saving one score at a
  time through the scorecard's JSON endpoint, a pause of `--interval` seconds on average
  (exponential) between two saves;
- a few reader threads, logged in as the lead, reading the results page with a pause
  of `--read-interval` seconds; every save moves the data version, so nearly every
  read computes the results afresh.

After the run it checks that every save answered 200 is in the database as its saver
last sent it (lost: 0), and prints latency percentiles (client side, loopback), errors,
lost saves, the targets and the verdicts. Targets: save p95 < 50 ms on PostgreSQL and
< 100 ms on SQLite; readers' p95 < 500 ms; 0 errors; 0 lost.

`--postgres postgresql://user@host:port/db` also runs on PostgreSQL: the benchmark
creates (and afterwards drops) the database `<db>_load` on that server. Without it
only SQLite runs. `--seconds`, `--savers`, `--readers`, `--workers` change the load.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench_support import PASSWORD, add_size_options, generated_scenario, percentile

SAVE_TARGET_MS = {"sqlite": 100.0, "postgresql": 50.0}
READ_TARGET_MS = 500.0
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


# -- the database ---------------------------------------------------------------------------


@dataclass
class Prepared:
    url: str
    evaluation_id: int
    vendor_ids: list[int]
    question_ids: list[int]
    evaluators: list[tuple[str, int]]  # (username, membership id)


def postgres_load_url(server_url: str) -> tuple[str, Any]:
    """A fresh database `<db>_load` on the server of `server_url`, and its dropper."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"{url.database}_load"
    admin = create_engine(
        url.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def prepare(url: str, args: argparse.Namespace) -> Prepared:
    """The latest schema (Alembic, as `rfp init-db`), the generated evaluation, a lead,
    and a password for every evaluator."""
    from rfp import models as m
    from rfp.core.db import Database
    from rfp.core.migrate import upgrade
    from rfp.scenario.store import import_scenario

    upgrade(url)
    database = Database(url)
    doc = generated_scenario(args)
    started = time.perf_counter()
    with database.transaction() as session:
        lead = m.User(username="lead", name="Load Lead")
        lead.set_password(PASSWORD)
        session.add(lead)
        session.flush()
        evaluation = import_scenario(session, doc, lead=lead)
        evaluators = []
        for membership in sorted(evaluation.memberships, key=lambda ms: ms.key):
            if membership.role == "evaluator":
                membership.user.set_password(PASSWORD)
                evaluators.append((membership.user.username, membership.id))
        prepared = Prepared(
            url=url,
            evaluation_id=evaluation.id,
            vendor_ids=[v.id for v in evaluation.vendors],
            question_ids=[
                q.id for c in evaluation.criteria for q in c.questions if q.kind == "scored"
            ],
            evaluators=evaluators,
        )
    database.dispose()
    print(
        f"  imported {args.vendors} x {args.questions} x {args.evaluators} "
        f"({len(doc['scores']):,} scores) in {time.perf_counter() - started:.1f} s"
    )
    return prepared


# -- gunicorn -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_gunicorn(url: str, workers: int, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": url,
        "SECRET_KEY": "load-test-secret",
        "RFP_ENV": "production",
        "RFP_JOBS": "manual",
        "RFP_INSTANCE_PATH": str(folder / "instance"),
        "EXPORT_DIR": str(folder / "exports"),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            # Each request's time in the server (microseconds), for the server-side figures.
            "--access-logfile",
            str(folder / "access.log"),
            "--access-logformat",
            ACCESS_FORMAT,
            "rfp:create_app()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "gunicorn.log", "wb"),  # noqa: SIM115  (closed with the process)
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/login", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except (OSError, urllib.error.URLError):
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not start: see {folder / 'gunicorn.log'}")
        time.sleep(0.2)
    return process, base


ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s"
SAVE_PATH = re.compile(r"/evaluations/\d+/scorecards/\d+/questions/\d+$")


def server_times(log: Path, since: int) -> tuple[list[float], list[float]]:
    """(saves, results-page reads): each request's time in the server, in ms, from the
    access log's lines after the first `since` bytes (the warm-up's)."""
    saves: list[float] = []
    reads: list[float] = []
    with log.open("rb") as lines:
        lines.seek(since)
        for line in lines:
            method, path, _status, micros = line.decode().split()
            if method == "POST" and SAVE_PATH.search(path):
                saves.append(int(micros) / 1000)
            elif method == "GET" and path.endswith("/results"):
                reads.append(int(micros) / 1000)
    return saves, reads


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of gunicorn's master and workers so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, IndexError, ValueError):
            continue
    return total


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


# -- the clients ------------------------------------------------------------------------------


class Browser:
    """One logged-in session: its cookies and its CSRF token."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = self.get("/login").decode()
        form = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrf_token": TOKEN.search(page)[1]}
        ).encode()
        landing = self.opener.open(f"{base}/login", data=form, timeout=30)  # noqa: S310
        assert "/login" not in landing.geturl(), f"login of {username} failed"
        self.token = ""

    def get(self, path: str) -> bytes:
        with self.opener.open(f"{self.base}{path}", timeout=60) as response:  # noqa: S310
            return response.read()

    def post_json(self, path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        request = urllib.request.Request(  # noqa: S310  (loopback)
            f"{self.base}{path}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": self.token},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


@dataclass
class Saver:
    name: str
    membership_id: int
    keys: list[tuple[int, int]]  # (vendor id, question id) this saver alone changes
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    last: dict[tuple[int, int], tuple[float, str]] = field(default_factory=dict)


@dataclass
class Reader:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def savers_for(prepared: Prepared, count: int) -> list[Saver]:
    """`count` savers over the evaluators, round robin; an evaluator in two browsers gets
    the vendors split between them, so that each (score) has one saver."""
    per_evaluator: dict[int, list[int]] = {}
    for i in range(count):
        per_evaluator.setdefault(i % len(prepared.evaluators), []).append(i)
    savers = []
    for e, indices in per_evaluator.items():
        username, membership_id = prepared.evaluators[e]
        for share, _i in enumerate(indices):
            vendors = prepared.vendor_ids[share :: len(indices)]
            keys = [(v, q) for v in vendors for q in prepared.question_ids]
            savers.append(Saver(f"{username}#{share + 1}", membership_id, keys))
    return savers


def run_saver(
    saver: Saver, browser: Browser, evaluation_id: int, until: float, interval: float, seed: int
) -> None:
    rng = random.Random(seed)  # noqa: S311  (load, not secrets)
    n = 0
    while time.monotonic() < until:
        vendor, question = rng.choice(saver.keys)
        value = float(rng.choice((1, 2, 3, 4)))
        n += 1
        comment = f"load {saver.name} {n}"
        path = f"/evaluations/{evaluation_id}/scorecards/{vendor}/questions/{question}"
        started = time.perf_counter()
        try:
            status, body = browser.post_json(path, {"score": value, "comment": comment})
        except OSError as exc:
            saver.errors.append(f"{type(exc).__name__}: {exc}")
            continue
        saver.latencies.append(1000 * (time.perf_counter() - started))
        if status == 200:
            saver.last[(vendor, question)] = (value, comment)
        else:
            saver.errors.append(f"{status}: {body[:200]!r}")
        time.sleep(rng.expovariate(1 / interval) if interval > 0 else 0)


def run_reader(reader: Reader, browser: Browser, url: str, until: float, interval: float) -> None:
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            browser.get(url)
            reader.latencies.append(1000 * (time.perf_counter() - started))
        except (OSError, urllib.error.HTTPError) as exc:
            reader.errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(interval)


def lost_saves(prepared: Prepared, savers: list[Saver]) -> int:
    """Saves answered 200 whose value and comment are not what the database holds."""
    from sqlalchemy import select

    from rfp import models as m
    from rfp.core.db import Database

    database = Database(prepared.url)
    lost = 0
    with database.transaction() as session:
        for saver in savers:
            stored = {
                (v, q): (value, comment)
                for v, q, value, comment in session.execute(
                    select(
                        m.Score.vendor_id, m.Score.question_id, m.Score.value, m.Score.comment
                    ).where(m.Score.membership_id == saver.membership_id)
                )
            }
            lost += sum(1 for key, sent in saver.last.items() if stored.get(key) != sent)
    database.dispose()
    return lost


# -- one database ---------------------------------------------------------------------------------


def run(backend: str, url: str, args: argparse.Namespace, folder: Path) -> bool:
    print(f"{backend}:")
    prepared = prepare(url, args)
    process, base = start_gunicorn(url, args.workers, folder / backend)
    try:
        savers = savers_for(prepared, args.savers)
        browsers = [Browser(base, saver.name.split("#")[0]) for saver in savers]
        for saver, browser in zip(savers, browsers, strict=True):
            vendor = saver.keys[0][0]
            page = browser.get(f"/evaluations/{prepared.evaluation_id}/scorecards/{vendor}")
            browser.token = TOKEN.search(page.decode())[1]
        results_url = f"/evaluations/{prepared.evaluation_id}/results"
        readers = [Reader() for _ in range(args.readers)]
        reader_browsers = [Browser(base, "lead") for _ in readers]
        for browser in reader_browsers:
            browser.get(results_url)  # templates loaded, the evaluation read once

        print(
            f"  gunicorn: {args.workers} sync workers; {len(savers)} savers (a save every "
            f"{args.interval:g} s on average each), {len(readers)} readers, {args.seconds:g} s"
        )
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=run_saver,
                args=(saver, browser, prepared.evaluation_id, until, args.interval, i),
            )
            for i, (saver, browser) in enumerate(zip(savers, browsers, strict=True))
        ] + [
            threading.Thread(
                target=run_reader, args=(reader, browser, results_url, until, args.read_interval)
            )
            for reader, browser in zip(readers, reader_browsers, strict=True)
        ]
        load_before = os.getloadavg()[0]
        cpu_before = server_cpu_seconds(process.pid)
        access_log = folder / backend / "access.log"
        log_before = access_log.stat().st_size
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        server_cpu = server_cpu_seconds(process.pid) - cpu_before
    finally:
        stop(process)
    server_saves, server_reads = server_times(access_log, log_before)

    saves = [ms for s in savers for ms in s.latencies]
    reads = [ms for r in readers for ms in r.latencies]
    errors = sum(len(s.errors) for s in savers) + sum(len(r.errors) for r in readers)
    lost = lost_saves(prepared, savers)
    for message in [e for s in savers for e in s.errors][:5]:
        print(f"  error: {message}")
    print(
        f"  load average {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs;"
        f" the server used {server_cpu:.1f} s of CPU in {args.seconds:g} s"
    )
    save_p95 = percentile(saves, 0.95) if saves else float("inf")
    read_p95 = percentile(reads, 0.95) if reads else float("inf")
    print(
        f"  saves  {len(saves):5d} ({len(saves) / args.seconds:.0f}/s)   "
        f"p50 {percentile(saves, 0.5):7.1f} ms   p95 {save_p95:7.1f} ms   max {max(saves):7.1f} ms"
    )
    if reads:
        print(
            f"  reads  {len(reads):5d}   p50 {percentile(reads, 0.5):7.1f} ms   "
            f"p95 {read_p95:7.1f} ms   max {max(reads):7.1f} ms"
        )
    if server_saves:
        print(
            f"  in the server (gunicorn's request time, without the client's own waits): "
            f"saves p50 {percentile(server_saves, 0.5):.1f} ms, "
            f"p95 {percentile(server_saves, 0.95):.1f} ms"
            + (
                f"; reads p50 {percentile(server_reads, 0.5):.1f} ms, "
                f"p95 {percentile(server_reads, 0.95):.1f} ms"
                if server_reads
                else ""
            )
        )
    target = SAVE_TARGET_MS[backend]
    checks = [
        (f"{backend} save p95", f"{save_p95:.1f} ms", f"< {target:.0f} ms", save_p95 < target),
        (
            f"{backend} results-page readers p95",
            f"{read_p95:.1f} ms",
            f"< {READ_TARGET_MS:.0f} ms",
            read_p95 < READ_TARGET_MS or not readers,
        ),
        (f"{backend} errors", str(errors), "0", errors == 0),
        (f"{backend} lost saves", str(lost), "0", lost == 0),
    ]
    for label, figure, goal, ok in checks:
        print(f"  {label}: {figure} (target {goal}): {'OK' if ok else 'MISSED'}")
    return all(ok for *_, ok in checks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_options(parser)
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL server")
    parser.add_argument("--only-postgres", action="store_true", help="skip SQLite")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--savers", type=int, default=20)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--interval", type=float, default=0.5, help="mean pause between saves")
    parser.add_argument("--read-interval", type=float, default=1.0)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="rfp-bench-load-"))
    ok = True
    if not args.only_postgres:
        (folder / "sqlite").mkdir()
        ok = run("sqlite", f"sqlite:///{folder / 'sqlite' / 'load.sqlite'}", args, folder) and ok
    if args.postgres:
        (folder / "postgresql").mkdir()
        url, drop = postgres_load_url(args.postgres)
        try:
            ok = run("postgresql", url, args, folder) and ok
        finally:
            drop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
