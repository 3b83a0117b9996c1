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
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from fulfilstation.db import migrate
from fulfilstation.db.database import Database
from fulfilstation.db.url import parse_url, sqlite_url
from fulfilstation.demo.seed import seed_demo

PG_ENV = "FULFIL_TEST_POSTGRES_URL"


class PostgresUnavailable(RuntimeError):
    pass


@dataclass
class PostgresServer:
    admin_url: URL
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:10])
    created: list[str] = field(default_factory=list)
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
        self.created.clear()


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
        return self.server.create(template=template.database)

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


__all__ = ["PG_ENV", "PostgresServer", "PostgresUnavailable", "TemplateFactory", "make_url", "url_text"]
