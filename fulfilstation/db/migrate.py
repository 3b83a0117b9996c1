"""Schema migrations: upgrade on start, safely, on either engine.

* PostgreSQL: the whole upgrade runs under a session advisory lock, so when several
  stations start at once exactly one migrates and the others wait, then find the schema
  at head and do nothing. DDL is transactional there: a failed step leaves no half schema.
* SQLite: before a file that already holds data is migrated, a copy is taken with
  SQLite's online backup API into the data directory's ``backups/`` (the last
  ``KEEP_BACKUPS`` are kept), so a failed upgrade can always be rolled back by hand.
* PostgreSQL with station roles (``roles``): after the migrations, the station group's
  grants are made again to match the schema (``roles.keep_station_grants``), so a table a
  migration adds is a station's to use at once; a station's own login (which owns nothing)
  changes nothing. ``UpgradeResult.station_group`` names the group granted. A login that
  does not own the schema never migrates: a schema that needs upgrading is
  :class:`NeedsOwner` (nothing tried, nothing changed), so the owner runs ``db upgrade``.
* A database at a revision these scripts do not know (a newer FulfilStation upgraded it)
  is never touched: ``upgrade`` raises :class:`~fulfilstation.db.schema_guard.NewerSchema`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text

from fulfilstation import paths
from fulfilstation.db import revisions, roles
from fulfilstation.db.change_recorder import unpublished
from fulfilstation.db.schema_guard import NewerSchema, is_from_the_future
from fulfilstation.domain.words import plural

if TYPE_CHECKING:
    from alembic.config import Config

ADVISORY_LOCK_KEY = 0x46554C46  # "FULF"
KEEP_BACKUPS = 10


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None
    after: str | None
    backup: Path | None
    station_group: str | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after


class NeedsOwner(RuntimeError):
    """The schema needs an upgrade and this login (a station's) does not own it."""

    def __init__(self, before: str | None, wanted: str | None) -> None:
        super().__init__(f"The database's schema is at {before or 'empty'} and this FulfilStation needs {wanted}, "
                         "but this station's login may not change the schema: ask whoever owns the database to run "
                         "'fulfilstation db upgrade' with the owner's login (see the README's site set-up), then "
                         "start again.")


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("migrations")))
    return config


def head_revision() -> str | None:
    return revisions.head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return _current(connection)


def _current(connection: Connection) -> str | None:
    return revisions.current(connection)


def upgrade(engine: Engine, target: str = "head", backup_dir: Path | None = None) -> UpgradeResult:
    """Bring the schema to ``target``. Safe to call from every station at start-up.
    NewerSchema (nothing changed) when a newer FulfilStation upgraded the database."""
    with engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            connection.commit()
        try:
            return _upgrade_locked(engine, connection, target, backup_dir)
        finally:
            if postgres:
                connection.rollback()
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
                connection.commit()


def _upgrade_locked(engine: Engine, connection: Connection, target: str, backup_dir: Path | None) -> UpgradeResult:
    before = _current(connection)
    connection.rollback()
    if before is not None and is_from_the_future(before):
        raise NewerSchema(before)
    wanted = head_revision() if target == "head" else target
    if before == wanted:
        return UpgradeResult(before, before, None, _keep_grants(connection))
    if connection.dialect.name == "postgresql" and before is not None and not roles.owns_schema(connection):
        connection.rollback()
        raise NeedsOwner(before, wanted)
    backup = None
    if connection.dialect.name == "sqlite" and _has_tables(connection):
        backup = backup_sqlite(engine, backup_dir or paths.backups_dir(), before)
    from alembic import command  # only to migrate: a station at head never loads Alembic (``revisions``)

    _run(connection, lambda config: command.upgrade(config, target))
    return UpgradeResult(before, _current(connection), backup, _keep_grants(connection))


def _keep_grants(connection: Connection) -> str | None:
    """The station group's grants made to match the schema (PostgreSQL, when the login owns it)."""
    if connection.dialect.name != "postgresql":
        return None
    with unpublished(connection):
        group = roles.keep_station_grants(connection)
        connection.commit()
    return group


def downgrade(engine: Engine, target: str) -> None:
    from alembic import command

    with engine.connect() as connection:
        _run(connection, lambda config: command.downgrade(config, target))


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a new revision from the models (developers only)."""
    from alembic import command

    number = len(revisions.known()) + 1
    with engine.connect() as connection:
        _run(connection, lambda config: command.revision(
            config, message, autogenerate=True, rev_id=f"{number:04d}",
            version_path=str(resources.files("migrations") / "versions")))


def _run(connection: Connection, step: Callable[[Config], object]) -> None:
    """Run an Alembic command on ``connection`` and commit, publishing none of its changes
    (``change_recorder.unpublished``). On SQLite, foreign keys are off
    while it runs (batch mode rebuilds tables that others refer to: SQLite's documented
    procedure for schema changes) and checked afterwards; a broken reference fails."""
    config = alembic_config()
    config.attributes["connection"] = connection
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")  # outside a transaction, or it is ignored
        connection.commit()
    try:
        with unpublished(connection):
            step(config)
            connection.commit()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"The migration left {plural(len(broken), 'broken reference')}, e.g. in table "
                                   f"{broken[0][0]}: restore the backup taken before it.")
    finally:
        if sqlite:
            connection.rollback()
            connection.exec_driver_sql("PRAGMA foreign_keys = ON")
            connection.commit()


def _has_tables(connection: Connection) -> bool:
    count = connection.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'table'")).scalar_one()
    connection.rollback()
    return bool(count)


def backup_sqlite(engine: Engine, directory: Path, revision: str | None) -> Path | None:
    """Copy the SQLite database with the online backup API (consistent even with WAL)."""
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = directory / f"{Path(database).stem}-{stamp}-{revision or 'empty'}.sqlite3"
    with closing(sqlite3.connect(database)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    _prune(directory, Path(database).stem)
    return target


def _prune(directory: Path, stem: str) -> None:
    backups = sorted(directory.glob(f"{stem}-*.sqlite3"))
    for old in backups[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
