"""How long a failed log-in takes for an unknown username and for a real account with
a wrong password (issue 14: the two must not be told apart by their time).

    python tests/benchmarks/bench_login_timing.py [--runs N]

Builds a throwaway SQLite app (bench_support.bench_app) with the demo loaded and the
production password hashing (werkzeug's scrypt), then posts wrong log-ins, alternating
the two kinds so that the machine's load falls on both alike, with the throttle and the
lockout out of the way. Prints the median of each and their ratio.

Not a test: pytest collects test_*.py only, so this file is never run by the suite.
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs

    from bench_support import bench_app

    from rfp.demo import load_demo

    app, db = bench_app("bench-login-")
    # Wrong passwords are the point: nothing throttles or locks them here.
    app.config["RFP_LOCKOUT_AFTER"] = 10**6
    app.config["RFP_LOGIN_FAILURES_PER_ACCOUNT"] = "100000 per minute"
    app.config["RFP_LOGIN_FAILURES_PER_ADDRESS"] = "100000 per minute"
    with db.transaction() as session:
        load_demo(session)
    client = app.test_client()
    times: dict[str, list[float]] = {"unknown username": [], "real account, wrong password": []}
    for i in range(runs):
        for kind, username in (
            ("unknown username", f"nobody-{i}"),
            ("real account, wrong password", "dana"),
        ):
            started = time.perf_counter()
            response = client.post(
                "/login",
                data={"username": username, "password": "not-the-password"},
                environ_base={"REMOTE_ADDR": f"10.0.{i // 250}.{i % 250}"},
            )
            times[kind].append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
    medians = {kind: statistics.median(values) * 1000 for kind, values in times.items()}
    for kind, ms in medians.items():
        print(f"{kind:32} {ms:8.1f} ms (median of {runs})")
    unknown, real = medians.values()
    print(f"ratio unknown / real: {unknown / real:.2f} (1.00: indistinguishable)")


if __name__ == "__main__":
    main()
