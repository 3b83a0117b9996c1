"""Test databases on SQLite and PostgreSQL, made from migrated templates.

PostgreSQL: the server comes from ``FULFIL_TEST_POSTGRES_URL``; every test run creates its
own databases on it (``fulfil_<run id>_…``) and drops them at the end. Each test gets a
fresh database cloned with ``CREATE DATABASE … TEMPLATE``, so tests never see each
other's rows. SQLite: each test gets a copy of a migrated template file.
"""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from fulfilstation.db import migrate, roles
from fulfilstation.db.database import Database
from fulfilstation.db.url import display_url, parse_url, sqlite_url
from fulfilstation.demo.seed import seed_demo

PG_ENV = "FULFIL_TEST_POSTGRES_URL"
AS_STATION_ENV = "FULFIL_TEST_AS_STATION"
"""Set to 1: every PostgreSQL database a test gets (``database``, ``seeded_database``, …) is
reached through a station login of its own (``roles.create_station_role``), so the app's
tests show what a station's least privileges allow (a test's own set-up SQL may need more)."""
LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
"""Where a newcomer's own PostgreSQL answers (a local server, user ``postgres``)."""


def local_postgres(url: str = LOCAL_POSTGRES, timeout: float = 2.0) -> tuple[str | None, str]:
    """(``url`` if a PostgreSQL there lets us in, else None; why, in words). Never raises;
    waits at most about ``timeout`` seconds."""
    import psycopg

    plain = make_url(url).set(drivername="postgresql")
    where = f"{plain.host}:{plain.port}"
    try:
        conninfo = plain.render_as_string(hide_password=False)
        with psycopg.connect(conninfo, connect_timeout=max(1, int(timeout))):
            pass
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return None, f"no PostgreSQL lets user {plain.username} in on {where} ({first})"
    return url, f"found on {where} as user {plain.username}"


def choose_engines(environ: MutableMapping[str, str],
                   probe: Callable[[], tuple[str | None, str]] = local_postgres) -> str:
    """Decide whether the PostgreSQL half runs, setting ``PG_ENV`` in ``environ`` when a
    local server is found; return the line the run's header and summary print.

    * ``PG_ENV`` set (CI, ``.ci/run``): used as given (an empty value means SQLite only);
    * ``CI`` set without it: the caller refuses the run (both engines are required there);
    * otherwise the local server is used when it answers, else SQLite alone, saying why.
    """
    given = environ.get(PG_ENV)
    if given is not None:
        if not given:
            return f"engines: sqlite only: {PG_ENV} is set empty"
        return f"engines: sqlite, postgresql ({display_url(parse_url(given))}, from {PG_ENV})"
    if environ.get("CI"):
        return f"engines: {PG_ENV} is required in CI"
    found, why = probe()
    if found is None:
        return f"engines: sqlite only: {why}; set {PG_ENV} to a server to run the PostgreSQL half"
    environ[PG_ENV] = found
    return f"engines: sqlite, postgresql ({why})"


class PostgresUnavailable(RuntimeError):
    pass


@dataclass
class PostgresServer:
    admin_url: URL
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:10])
    created: list[str] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    _counter: itertools.count[int] = field(default_factory=itertools.count)

    @classmethod
    def from_environment(cls) -> PostgresServer | None:
        text_url = os.environ.get(PG_ENV)
        if not text_url:
            return None
        server = cls(parse_url(text_url))
        server.check()
        return server

    def check(self) -> None:
        engine = create_engine(self.admin_url, connect_args={"connect_timeout": 5})
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:
            raise PostgresUnavailable(
                f"{PG_ENV} is set but the PostgreSQL server cannot be reached: {exc}") from exc
        finally:
            engine.dispose()

    def _admin(self, sql: str) -> None:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(sql))
        finally:
            engine.dispose()

    def create(self, template: str | None = None) -> URL:
        name = f"fulfil_{self.run_id}_{next(self._counter)}"
        self._admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.created.append(name)
        return self.admin_url.set(database=name)

    def drop_all(self) -> None:
        for name in reversed(self.created):
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if name in self.logins:
                self._admin(f'DROP ROLE IF EXISTS "{name}"')
                self._admin(f'DROP ROLE IF EXISTS "{roles.station_group(name)}"')
        self.created.clear()
        self.logins.clear()

    def as_station(self, url: URL) -> URL:
        """``url``'s database reached through a new station login (named as the database)."""
        assert url.database
        engine = create_engine(url)
        try:
            with engine.begin() as connection:
                roles.create_station_role(connection, url.database, None)
        finally:
            engine.dispose()
        self.logins.append(url.database)
        return url.set(username=url.database)


class TemplateFactory:
    """Builds migrated (optionally seeded) templates once per run, and clones them."""

    def __init__(self, workdir: Path, server: PostgresServer | None) -> None:
        self.workdir = workdir
        self.server = server
        self._templates: dict[tuple[str, bool], URL] = {}

    def empty(self, backend: str) -> URL:
        if backend == "sqlite":
            return sqlite_url(self.workdir / f"empty-{uuid.uuid4().hex}.sqlite3")
        assert self.server is not None
        return self.server.create()

    def clone(self, backend: str, seeded: bool) -> URL:
        template = self._template(backend, seeded)
        if backend == "sqlite":
            target = self.workdir / f"db-{uuid.uuid4().hex}.sqlite3"
            shutil.copyfile(str(template.database), target)
            return sqlite_url(target)
        assert self.server is not None and template.database
        clone = self.server.create(template=template.database)
        return self.server.as_station(clone) if os.environ.get(AS_STATION_ENV) == "1" else clone

    def _template(self, backend: str, seeded: bool) -> URL:
        key = (backend, seeded)
        if key not in self._templates:
            url = self.empty(backend)
            database = Database.connect(url)
            migrate.upgrade(database.engine, backup_dir=self.workdir / "backups")
            if seeded:
                seed_demo(database)
            database.dispose()
            self._templates[key] = url
        return self._templates[key]


def url_text(url: URL) -> str:
    return url.render_as_string(hide_password=False)


__all__ = ["LOCAL_POSTGRES", "PG_ENV", "PostgresServer", "choose_engines", "local_postgres",
           "PostgresUnavailable", "TemplateFactory", "make_url", "url_text"]
