"""The migrations build exactly the schema the models describe, on both engines, and
upgrade → downgrade → upgrade works; start-up migration is safe and backed up."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, insert, inspect, select, text, update
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

import fulfilstation.db.models  # noqa: F401
from fulfilstation.db import migrate
from fulfilstation.db.base import Base, utcnow
from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, SiteSetting, User
from fulfilstation.db.schema_guard import NewerSchema, writes_rows
from fulfilstation.db.url import sqlite_url
from fulfilstation.demo.seed import seed_demo
from fulfilstation.domain.pins import badge_digest, badge_pre_digest
from tests.support.app import app_for


def schema_differences(database: Database) -> list[object]:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_migrated_schema_matches_models(database: Database) -> None:
    assert migrate.current_revision(database.engine) == migrate.head_revision()
    assert schema_differences(database) == []
    tables = set(inspect(database.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_compare_notices_a_missing_column(database: Database) -> None:
    """The comparison above can fail: drop a column and it must report it."""
    with database.engine.begin() as connection:
        connection.execute(text("ALTER TABLE site_settings ADD COLUMN stray INTEGER"))
    assert schema_differences(database) != []


def test_upgrade_downgrade_upgrade(empty_url: URL) -> None:
    database = Database.connect(empty_url)
    first = migrate.upgrade(database.engine)
    assert (first.before, first.after) == (None, migrate.head_revision())
    migrate.downgrade(database.engine, "base")
    assert migrate.current_revision(database.engine) is None
    assert set(inspect(database.engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(database.engine)
    assert schema_differences(database) == []
    database.dispose()


def test_upgrade_at_head_does_nothing(database: Database) -> None:
    result = migrate.upgrade(database.engine)
    assert not result.changed and result.backup is None


def test_audit_log_is_append_only(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("INSERT INTO audit_log (occurred_at, action, details) "
                                "VALUES (CURRENT_TIMESTAMP, 'test.event', '{}')"))
    for statement in ("UPDATE audit_log SET action = 'rewritten'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as connection:
            connection.execute(text(statement))
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT action FROM audit_log")).scalars().all() == ["test.event"]


def test_sqlite_backup_taken_before_migrating_existing_data(tmp_path: Path) -> None:
    path = tmp_path / "station.sqlite3"
    database = Database.connect(sqlite_url(path))
    migrate.upgrade(database.engine)
    seed_demo(database)
    migrate.downgrade(database.engine, "base")  # an old file that holds data (and an empty version table)
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE legacy_note (id INTEGER PRIMARY KEY, body TEXT)"))
        connection.execute(text("INSERT INTO legacy_note (body) VALUES ('keep me')"))
    result = migrate.upgrade(database.engine, backup_dir=tmp_path / "backups")
    assert result.backup is not None and result.backup.exists()
    backup = Database.connect(sqlite_url(result.backup))
    with backup.engine.connect() as connection:
        assert connection.execute(text("SELECT body FROM legacy_note")).scalar_one() == "keep me"
    backup.dispose()
    database.dispose()


def test_new_sqlite_file_needs_no_backup(tmp_path: Path) -> None:
    database = Database.connect(sqlite_url(tmp_path / "new.sqlite3"))
    result = migrate.upgrade(database.engine, backup_dir=tmp_path / "backups")
    assert result.changed and result.backup is None
    assert not (tmp_path / "backups").exists()
    database.dispose()


def _migrate_in_process(url_text: str, barrier: multiprocessing.synchronize.Barrier) -> str:
    from fulfilstation.db.url import parse_url

    database = Database.connect(parse_url(url_text))
    barrier.wait(timeout=30)
    result = migrate.upgrade(database.engine)
    database.dispose()
    return f"{result.before}->{result.after}"


def test_stations_starting_together_migrate_once(postgres_empty_url: URL) -> None:
    """PostgreSQL only: the advisory lock (SQLite is one PC's file)."""
    empty_url = postgres_empty_url
    context = multiprocessing.get_context("spawn")
    workers = 4
    with context.Manager() as manager:
        barrier = manager.Barrier(workers)
        with context.Pool(workers) as pool:
            results = pool.starmap(_migrate_in_process,
                                   [(empty_url.render_as_string(hide_password=False), barrier)] * workers)
    head = migrate.head_revision()
    assert sorted(results) == sorted([f"None->{head}"] + [f"{head}->{head}"] * (workers - 1))
    database = Database.connect(empty_url)
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    database.dispose()


FUTURE = "9999"


def from_the_future(database: Database) -> Database:
    """``database`` stamped with a revision no script here knows, reopened as a station
    that starts now would open it."""
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": FUTURE})
    return Database.connect(database.engine.url)


def held_orders(database: Database) -> int:
    with database.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(Order).where(Order.hold)) or 0


def test_a_database_from_a_newer_version_is_refused_for_writing(seeded_database: Database) -> None:
    held = held_orders(seeded_database)
    newer = from_the_future(seeded_database)
    try:
        with pytest.raises(NewerSchema, match=r"upgraded by a newer FulfilStation \(revision 9999\): "
                                              r"update this station"), newer.unit_of_work() as session:
            session.execute(update(Order).values(hold=True))
        assert held_orders(newer) == held  # reading still works; nothing was written
        with pytest.raises(NewerSchema):
            migrate.upgrade(newer.engine)
        assert migrate.current_revision(newer.engine) == FUTURE
    finally:
        newer.dispose()


@pytest.mark.parametrize("sql, writes", [
    ("INSERT INTO t VALUES (1)", True), ("  update t set a = 1", True), ("/* x */ DELETE FROM t", True),
    ("WITH x AS (SELECT 1) UPDATE t SET a = 1", True), ("SELECT * FROM t", False),
    ("WITH x AS (SELECT 1) SELECT * FROM x", False), ("PRAGMA foreign_keys = ON", False),
])
def test_which_statements_write(sql: str, writes: bool) -> None:
    assert writes_rows(sql) is writes


def test_badges_registered_before_the_salt_still_sign_in_after_it(empty_url: URL) -> None:
    """Migration 0015 stretches the digests it finds without knowing the badges: a badge
    registered under 0014 (the source's HMAC alone) signs in after the upgrade, its stored
    digest is no longer that HMAC, and the salt is this database's own."""
    database = Database.connect(empty_url)
    migrate.upgrade(database.engine, "0014")
    with database.engine.begin() as connection:
        connection.execute(insert(User.__table__).values(
            username="early", full_name="Early Bird", role="packer", active=True, failed_pin_attempts=0,
            badge_digest=badge_pre_digest("BADGE-EARLY"), created_at=utcnow()))
    migrate.upgrade(database.engine)
    with database.unit_of_work() as session:
        stored = session.scalar(select(User.badge_digest).where(User.username == "early"))
        salt = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "badge_salt"))
    assert stored != badge_pre_digest("BADGE-EARLY") and isinstance(salt, str) and len(bytes.fromhex(salt)) == 16
    assert stored == badge_digest("BADGE-EARLY", bytes.fromhex(salt))
    actor = app_for(database).users.sign_in_with_badge(" BADGE-EARLY ")
    assert actor.username == "early"
    migrate.downgrade(database.engine, "0014")  # a one-way hash: the badges are cleared, the salt goes
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM users WHERE badge_digest IS NOT NULL")).scalar() == 0
        assert connection.execute(text("SELECT count(*) FROM site_settings WHERE key = 'badge_salt'")).scalar() == 0
    database.dispose()
