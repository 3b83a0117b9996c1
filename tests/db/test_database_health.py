"""The database going away and coming back (issue #15), on a private PostgreSQL server the
test stops and restarts itself: the errors of a lost connection are told from the
database's own answers, ``DatabaseHealth`` says offline and online again, a unit of work cut
by the outage flips it at once, and the engine's pool works again after the return."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from fulfilstation.db.database import Database
from fulfilstation.db.engine import CONNECTION_ARGS
from fulfilstation.db.models import Order
from fulfilstation.health import DatabaseHealth, is_connection_error
from tests.support.outage import wait_for, warehouse_server


def test_the_engine_connects_with_short_timeouts_and_keepalives(tmp_path: Path) -> None:
    with warehouse_server(tmp_path, seeded=False) as (_server, url):
        database = Database.connect(url)
        try:
            with database.engine.connect() as connection:
                assert connection.execute(text("SHOW lock_timeout")).scalar_one() == "20s"
                libpq = connection.connection.dbapi_connection.info.get_parameters()  # type: ignore[union-attr]
            assert {name: libpq.get(name) for name in ("connect_timeout", "keepalives", "keepalives_idle",
                                                       "keepalives_interval", "keepalives_count")} == \
                {"connect_timeout": "3", "keepalives": "1", "keepalives_idle": "5", "keepalives_interval": "2",
                 "keepalives_count": "2"}
            assert CONNECTION_ARGS["connect_timeout"] == 3 and database.engine.pool._pre_ping  # type: ignore[attr-defined]
        finally:
            database.dispose()


def test_an_outage_is_told_once_each_way_and_the_pool_works_again(tmp_path: Path) -> None:
    with warehouse_server(tmp_path) as (server, url):
        database = Database.connect(url)
        health = DatabaseHealth(database, online_interval=0.5, offline_interval=0.5)
        told: list[tuple[bool, str]] = []
        health.subscribe(lambda online, reason: told.append((online, reason)))
        try:
            with database.unit_of_work() as session:
                orders = len(session.scalars(select(Order.id)).all())
            health.start()
            server.stop()
            assert wait_for(lambda: not health.online, 5), "offline not noticed within 5 s"
            assert told and told[0][0] is False and "does not answer" in told[0][1]
            with pytest.raises(DBAPIError) as cut, database.unit_of_work() as session:
                session.scalars(select(Order.id)).all()
            assert is_connection_error(cut.value)
            server.start()
            assert wait_for(lambda: health.online, 5), "online not noticed within 5 s of the return"
            assert [online for online, _ in told] == [False, True]
            with database.unit_of_work() as session:  # the pool's dead connections were replaced
                assert len(session.scalars(select(Order.id)).all()) == orders
        finally:
            health.stop()
            database.dispose()


def test_a_unit_of_work_cut_by_the_outage_flips_to_offline_at_once(tmp_path: Path) -> None:
    with warehouse_server(tmp_path, seeded=False) as (server, url):
        database = Database.connect(url)
        health = DatabaseHealth(database)  # not started: only the failed unit of work can tell it
        try:
            with database.unit_of_work() as session:
                session.execute(text("SELECT 1"))
            server.stop()
            with pytest.raises(OperationalError), database.unit_of_work() as session:
                session.execute(text("SELECT 1"))
            assert not health.online and "does not answer" in health.reason
            server.start()
            assert health.probe_once() and health.online
        finally:
            health.stop()
            database.dispose()


def test_the_database_answering_with_an_error_is_no_outage(tmp_path: Path) -> None:
    """A lock timeout, a cancelled statement or a syntax error: the database is there."""
    with warehouse_server(tmp_path, seeded=False) as (_server, url):
        database = Database.connect(url)
        health = DatabaseHealth(database)
        holding = threading.Event()
        release = threading.Event()

        def hold_the_lock() -> None:
            with database.unit_of_work() as session:
                session.execute(text("CREATE TABLE IF NOT EXISTS probe_lock (id int)"))
            with database.unit_of_work() as session:
                session.execute(text("LOCK TABLE probe_lock IN ACCESS EXCLUSIVE MODE"))
                holding.set()
                release.wait(10)

        holder = threading.Thread(target=hold_the_lock)
        holder.start()
        try:
            assert holding.wait(10)
            with pytest.raises(OperationalError) as locked, database.unit_of_work() as session:
                session.execute(text("SET LOCAL lock_timeout = '200ms'"))
                session.execute(text("SELECT * FROM probe_lock"))
            assert not is_connection_error(locked.value)
            with pytest.raises(OperationalError) as cancelled, database.unit_of_work() as session:
                session.execute(text("SET LOCAL statement_timeout = '100ms'"))
                session.execute(text("SELECT pg_sleep(2)"))
            assert not is_connection_error(cancelled.value)
            with pytest.raises(DBAPIError) as wrong, database.unit_of_work() as session:
                session.execute(text("SELECT nonsense FROM nowhere"))
            assert not is_connection_error(wrong.value)
            assert health.online
        finally:
            release.set()
            holder.join()
            health.stop()
            database.dispose()
