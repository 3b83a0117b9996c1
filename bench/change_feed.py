"""Change feed delivery: a commit at one station → the change callback at another station's
listener, on SQLite (counter poll) and PostgreSQL (LISTEN/NOTIFY).

    .venv/bin/python bench/change_feed.py [--commits 100] [--postgres URL]

Each commit is one small UPDATE + commit through a unit of work at "station A"; the time is
taken from just before it until B's listener calls back. Commits are spaced by a random
pause so that they land anywhere in SQLite's poll cycle. PostgreSQL: ``--postgres`` or
``FULFIL_TEST_POSTGRES_URL`` names a server; the script makes its own database there and
drops it afterwards. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pack_latency import fresh_database, summary  # noqa: E402

from fulfilstation.changes import ChangeListener  # noqa: E402
from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.db.database import Database  # noqa: E402
from fulfilstation.db.models import SiteSetting  # noqa: E402


def run(backend: str, server: str | None, commits: int) -> None:
    with fresh_database(backend, server) as station_a:
        migrate.upgrade(station_a.engine, backup_dir=Path(tempfile.gettempdir()) / "fulfil-bench-backups")
        station_b = Database.connect(station_a.engine.url)
        arrivals: queue.Queue[float] = queue.Queue()
        listener = ChangeListener(station_b)
        listener.start(lambda _tables: arrivals.put(time.perf_counter()))
        assert listener.wait_listening(10)
        samples = []
        try:
            for index in range(commits):
                time.sleep(random.uniform(0.0, 0.5))
                started = time.perf_counter()
                with station_a.unit_of_work() as session:
                    session.merge(SiteSetting(key="bench", value={"n": index}))
                samples.append(arrivals.get(timeout=10) - started)
        finally:
            listener.stop()
            station_b.dispose()
        print(f"\n{backend}")
        print(f"  commit at A → callback at B   {summary(samples)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=100)
    parser.add_argument("--postgres", default=os.environ.get("FULFIL_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    run("sqlite", None, args.commits)
    if args.postgres:
        run("postgresql", args.postgres, args.commits)
    else:
        print("\npostgresql: skipped (give --postgres URL or set FULFIL_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
