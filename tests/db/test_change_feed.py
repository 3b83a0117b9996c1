"""The change feed on both engines: a commit at one station reaches the listener of another
within 2 s with the tables it changed; rollbacks and a station's own commits do not.

Two "stations" are two ``Database`` objects on the same URL (each its own engine, pool
and source token). Negative outcomes are shown by order, not by waiting: after the
change that must not be heard, a sentinel commit follows, and the first thing heard must
be exactly the sentinel's table (PostgreSQL delivers in commit order; an SQLite poll would
merge the two).
"""

from __future__ import annotations

import logging
import queue
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.engine import URL

from fulfilstation.changes import ALL, ChangeListener, touches
from fulfilstation.db import migrate
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, ChangeCounter, Order, SiteSetting
from fulfilstation.db.url import parse_url, sqlite_url

DELIVERY_BOUND_S = 2.0  # the bound: another station's change is on screen within 2 s
SENTINEL = frozenset({"site_settings"})


class Heard:
    """What a listener delivered, in order (the callback runs on the listener's thread)."""

    def __init__(self) -> None:
        self._queue: queue.Queue[frozenset[str]] = queue.Queue()

    def __call__(self, tables: frozenset[str]) -> None:
        self._queue.put(tables)

    def next(self, timeout: float = DELIVERY_BOUND_S) -> frozenset[str]:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"nothing heard within {timeout} s") from None


def _listen(database: Database, heard: Heard, **options: float) -> ChangeListener:
    listener = ChangeListener(database, **options)
    listener.start(heard)
    assert listener.wait_listening(10), "the listener did not connect"
    return listener


@pytest.fixture
def station_b(database: Database) -> Iterator[Database]:
    """A second station on the same database as ``database`` (station A)."""
    other = Database.connect(database.engine.url)
    yield other
    other.dispose()


@pytest.fixture
def order_id(database: Database) -> int:
    with database.unit_of_work() as session:
        order = Order(channel="test", external_id="1", number="T-1", status="ready", ship_to_name="Ann",
                      ship_to_line1="1 Main St", ship_to_city="Columbus", ship_to_postal_code="43215",
                      ship_to_country="US")
        session.add(order)
        session.flush()
        return order.id


@pytest.fixture
def heard_at_b(station_b: Database, order_id: int) -> Iterator[Heard]:
    heard = Heard()
    listener = _listen(station_b, heard)
    yield heard
    listener.stop()


def _sentinel(database: Database) -> None:
    with database.unit_of_work() as session:
        session.merge(SiteSetting(key="change-feed-test", value={"n": 1}))


def test_an_orm_update_at_a_reaches_b(database: Database, order_id: int, heard_at_b: Heard) -> None:
    with database.unit_of_work() as session:
        session.get_one(Order, order_id).hold = True
    assert heard_at_b.next() == {"orders"}


def test_a_bulk_update_and_an_orm_insert_in_one_transaction(database: Database, order_id: int,
                                                            heard_at_b: Heard) -> None:
    with database.unit_of_work() as session:
        session.execute(update(Order).where(Order.id == order_id).values(status="packing"))
        session.add(AuditEntry(action="test.claimed", entity_type="order", entity_id=order_id))
    assert heard_at_b.next() == {"orders", "audit_log"}


_PREPARED_CLAIM = update(Order).where(Order.id == bindparam("order_id"), Order.status == bindparam("expected")
                                      ).values(status=bindparam("new_status"))
_PREPARED_AUDIT = insert(AuditEntry)


def test_the_scan_hot_path_style_statements_are_seen(database: Database, order_id: int, heard_at_b: Heard) -> None:
    """Statements built once and run on ``session.connection()`` (no ORM flush), as a scan does."""
    with database.unit_of_work() as session:
        moved = session.connection().execute(
            _PREPARED_CLAIM, {"order_id": order_id, "expected": "ready", "new_status": "packing"}).rowcount
        session.connection().execute(_PREPARED_AUDIT, {"action": "test.scan", "details": {}})
    assert moved == 1
    assert heard_at_b.next() == {"orders", "audit_log"}


def test_a_rollback_is_never_heard(database: Database, order_id: int, heard_at_b: Heard) -> None:
    with pytest.raises(RuntimeError), database.unit_of_work() as session:
        session.get_one(Order, order_id).hold = True
        session.flush()
        raise RuntimeError("the use case refused")
    _sentinel(database)
    assert heard_at_b.next() == SENTINEL
    with database.unit_of_work() as session:
        assert session.get_one(Order, order_id).hold is False


def test_an_update_that_matched_nothing_is_not_a_change(database: Database, order_id: int,
                                                        heard_at_b: Heard) -> None:
    """A lost race (conditional UPDATE, 0 rows) committed anyway changed nothing."""
    with database.unit_of_work() as session:
        session.connection().execute(
            _PREPARED_CLAIM, {"order_id": order_id, "expected": "shipped", "new_status": "packing"})
    _sentinel(database)
    assert heard_at_b.next() == SENTINEL


def test_text_sql_that_may_change_rows_means_everything(database: Database, order_id: int,
                                                        heard_at_b: Heard) -> None:
    with database.unit_of_work() as session:
        session.execute(text("UPDATE orders SET hold = :hold WHERE id = :id"), {"hold": True, "id": order_id})
    changed = heard_at_b.next()
    assert changed == {ALL} and touches(changed, "stations")


def test_read_only_text_sql_is_not_a_change(database: Database, heard_at_b: Heard) -> None:
    with database.unit_of_work() as session:
        session.execute(text("SELECT count(*) FROM orders")).scalar_one()
    _sentinel(database)
    assert heard_at_b.next() == SENTINEL


def test_a_station_does_not_hear_its_own_changes(database: Database, station_b: Database, order_id: int) -> None:
    heard_at_a = Heard()
    listener = _listen(database, heard_at_a)
    try:
        with database.unit_of_work() as session:
            session.get_one(Order, order_id).hold = True
        _sentinel(station_b)
        assert heard_at_a.next() == SENTINEL
    finally:
        listener.stop()


def test_commits_of_two_databases_in_one_process_are_told_apart(database: Database, station_b: Database,
                                                                order_id: int) -> None:
    assert database.change_source != station_b.change_source
    assert Database(database.engine).change_source == database.change_source  # one engine, one token


def test_a_failing_callback_does_not_end_the_listener(database: Database, station_b: Database,
                                                      order_id: int) -> None:
    heard = Heard()
    failed = threading.Event()

    def flaky(tables: frozenset[str]) -> None:
        if not failed.is_set():
            failed.set()
            raise ValueError("a view failed to refresh")
        heard(tables)

    listener = ChangeListener(station_b)
    listener.start(flaky)
    assert listener.wait_listening(10)
    try:
        with database.unit_of_work() as session:
            session.get_one(Order, order_id).hold = True
        assert failed.wait(DELIVERY_BOUND_S)
        _sentinel(database)
        assert heard.next() == SENTINEL
    finally:
        listener.stop()


def test_stop_ends_the_thread_and_is_idempotent(station_b: Database) -> None:
    listener = _listen(station_b, Heard())
    assert listener.running
    listener.stop()
    assert not listener.running and not listener.listening
    listener.stop()
    with pytest.raises(RuntimeError):
        listener.start(Heard())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_refused_server_is_logged_once_and_retried(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing listens on the port (no server needed, so this runs once, not per backend): the
    listener keeps trying, warns once, and still stops."""
    database = Database.connect(parse_url(f"postgresql://postgres@127.0.0.1:{_free_port()}/fulfil"))
    caplog.set_level(logging.DEBUG, logger="fulfilstation.changes")
    listener = ChangeListener(database, retry_seconds=0.1)
    listener.start(Heard())
    try:
        assert not listener.wait_listening(1.0)
        assert listener.running
    finally:
        listener.stop()
        database.dispose()
    attempts = [r for r in caplog.records if "Cannot listen" in r.getMessage()]
    assert 3 <= len(attempts) <= 20  # it retries, waiting between tries (no busy loop)
    assert [r.levelno for r in attempts].count(logging.WARNING) == 1
    assert not listener.running


def test_sqlite_listener_waits_for_the_schema_then_says_everything(tmp_path: Path) -> None:
    """An SQLite file not yet migrated (no counters table) is retried; once it is there the
    listener connects and delivers ALL, then ordinary changes."""
    path = tmp_path / "late.sqlite3"
    station_a, station_b = Database.connect(sqlite_url(path)), Database.connect(sqlite_url(path))
    heard = Heard()
    listener = ChangeListener(station_b, retry_seconds=0.1)
    listener.start(heard)
    try:
        assert not listener.wait_listening(0.5)
        migrate.upgrade(station_a.engine)
        assert heard.next(timeout=5) == {ALL}
        _sentinel(station_a)
        assert heard.next() == SENTINEL
    finally:
        listener.stop()
        station_a.dispose()
        station_b.dispose()


def test_postgres_listener_reconnects_after_its_connection_is_killed(postgres_seeded_url: URL) -> None:
    """PostgreSQL only: the listener's backend is terminated under it (as by a server restart
    or a DBA); it reconnects, says "everything", and later changes arrive again."""
    station_a, station_b = Database.connect(postgres_seeded_url), Database.connect(postgres_seeded_url)
    heard = Heard()
    listener = _listen(station_b, heard, retry_seconds=0.5)
    try:
        with station_a.engine.begin() as connection:
            killed = connection.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN%' AND datname = current_database()")).scalar_one()
        assert killed == 1
        assert heard.next(timeout=10) == {ALL}  # reconnected: what happened meanwhile is unknown
        with station_a.unit_of_work() as session:
            session.scalars(select(Order).limit(1)).one().hold = True
        assert heard.next() == {"orders"}
    finally:
        listener.stop()
        station_a.dispose()
        station_b.dispose()


def test_the_counters_are_bumped_on_sqlite_only(database: Database, order_id: int) -> None:
    """PostgreSQL never writes them: a shared counter row would serialize every station's writes."""
    with database.unit_of_work() as session:
        session.get_one(Order, order_id).hold = True
    with database.unit_of_work() as session:
        counters = dict(session.execute(select(ChangeCounter.table_name, ChangeCounter.source)).all())
    if database.backend == "sqlite":
        assert counters == {"orders": database.change_source}
    else:
        assert counters == {}
