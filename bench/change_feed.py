"""Change feed: delivery time, and what announcing changes costs concurrent writers.

    .venv/bin/python bench/change_feed.py [--commits 100] [--writers 8] [--postgres URL]

* Delivery: one small UPDATE + commit through a unit of work at "station A", timed from
  just before it until B's listener calls back. Commits are spaced by a random pause so
  that they land anywhere in SQLite's poll cycle.
* Concurrent writers (PostgreSQL): ``--writers`` threads each commit single-row UPDATEs of
  their own row for a few seconds, through an engine without the change recorder and
  through a ``Database`` (which announces every commit with NOTIFY, and PostgreSQL
  serializes the commits of NOTIFY-ing transactions); commits per second for each.

PostgreSQL: ``--postgres`` or ``FULFIL_TEST_POSTGRES_URL`` names a server; the script makes
its own database there and drops it afterwards. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pack_latency import fresh_database, summary  # noqa: E402
from sqlalchemy import bindparam, update  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from fulfilstation.changes import ChangeListener  # noqa: E402
from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.db.database import Database  # noqa: E402
from fulfilstation.db.engine import make_engine  # noqa: E402
from fulfilstation.db.models import SiteSetting  # noqa: E402

WRITER_SECONDS = 5.0
_WRITE = update(SiteSetting).where(SiteSetting.key == bindparam("k")).values(value=bindparam("v"))


def run(backend: str, server: str | None, commits: int, writers: int) -> None:
    with fresh_database(backend, server) as station_a:
        migrate.upgrade(station_a.engine, backup_dir=Path(tempfile.gettempdir()) / "fulfil-bench-backups")
        print(f"\n{backend}")
        delivery(station_a, commits)
        if backend == "postgresql":
            concurrent_writers(station_a, writers)


def delivery(station_a: Database, commits: int) -> None:
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
    print(f"  commit at A → callback at B          {summary(samples)}")


def concurrent_writers(database: Database, writers: int) -> None:
    keys = [f"bench-writer-{n}" for n in range(writers)]
    with database.unit_of_work() as session:
        for key in keys:
            session.merge(SiteSetting(key=key, value=0))
    plain = make_engine(database.engine.url, pool_size=writers)  # no Database: nothing announced
    announcing = Database(make_engine(database.engine.url, pool_size=writers))
    for label, unit in (("without announcements", _units(sessionmaker(plain))),
                        ("announcing (NOTIFY)", announcing.unit_of_work),
                        ("without announcements", _units(sessionmaker(plain))),
                        ("announcing (NOTIFY)", announcing.unit_of_work)):
        rate = _commits_per_second(unit, keys)
        print(f"  {writers} concurrent writers, {label:22} {rate:7.0f} commits/s")
    plain.dispose()
    announcing.dispose()


def _units(sessions: sessionmaker[Session]) -> Callable[[], AbstractContextManager[Session]]:
    def unit() -> AbstractContextManager[Session]:
        return sessions.begin()
    return unit


def _commits_per_second(unit: Callable[[], AbstractContextManager[Session]], keys: list[str]) -> float:
    counts = [0] * len(keys)
    deadline = time.perf_counter() + WRITER_SECONDS

    def write(index: int) -> None:
        while time.perf_counter() < deadline:
            with unit() as session:
                session.connection().execute(_WRITE, {"k": keys[index], "v": counts[index]})
            counts[index] += 1

    threads = [threading.Thread(target=write, args=(n,)) for n in range(len(keys))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / WRITER_SECONDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=100)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--postgres", default=os.environ.get("FULFIL_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    run("sqlite", None, args.commits, args.writers)
    if args.postgres:
        run("postgresql", args.postgres, args.commits, args.writers)
    else:
        print("\npostgresql: skipped (give --postgres URL or set FULFIL_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
