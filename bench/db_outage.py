"""How soon a station hears that the database went away and that it is back (issue #15:
within 5 s each way). A private PostgreSQL server (``tests/support/private_postgres``) is
stopped and started ``--rounds`` times under a ``DatabaseHealth`` with its default
intervals (the window's); the figures are from ``pg_ctl stop``/``start`` returning to the
transition being told. Also: how long a unit of work takes to fail on the stopped server
(the bound on a station's call while the database is away).

    .venv/bin/python bench/db_outage.py [--rounds 5]

Prints figures; asserts nothing. Needs PostgreSQL's server binaries (initdb, pg_ctl).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from fulfilstation.db.database import Database  # noqa: E402
from fulfilstation.health import DatabaseHealth  # noqa: E402
from tests.support.private_postgres import PrivateServer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    offline_s: list[float] = []
    online_s: list[float] = []
    failing_s: list[float] = []
    with PrivateServer() as server:
        database = Database.connect(make_url(server.url()))
        health = DatabaseHealth(database)
        changed = threading.Event()
        health.subscribe(lambda _online, _reason: changed.set())
        health.start()
        try:
            for _ in range(args.rounds):
                with database.unit_of_work() as session:
                    session.execute(text("SELECT 1"))
                changed.clear()
                server.stop()
                stopped = time.perf_counter()
                changed.wait(30)
                offline_s.append(time.perf_counter() - stopped)
                began = time.perf_counter()
                try:
                    with database.unit_of_work() as session:
                        session.execute(text("SELECT 1"))
                except Exception:  # noqa: BLE001 - the failure is what is timed
                    failing_s.append(time.perf_counter() - began)
                changed.clear()
                server.start()
                started = time.perf_counter()
                changed.wait(30)
                online_s.append(time.perf_counter() - started)
        finally:
            health.stop()
            database.dispose()
    for name, values in (("offline told after stop", offline_s), ("online told after start", online_s),
                         ("a unit of work fails on the stopped server", failing_s)):
        print(f"{name}: median {statistics.median(values):.2f} s, max {max(values):.2f} s "
              f"({len(values)} rounds)")


if __name__ == "__main__":
    main()
