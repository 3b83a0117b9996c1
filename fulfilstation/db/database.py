"""The ``Database`` handle services receive, and its unit of work.

Threading: a ``Database`` is shared by every thread; each ``unit_of_work()`` opens its
own session, which must stay on the thread that opened it. A unit of work is one short
transaction: it commits when the block ends normally and rolls back on any exception.
ORM objects never leave a unit of work: services return frozen dataclasses.

Every committed transaction on the engine announces the tables it changed
(``change_recorder``, installed here for every engine a ``Database`` wraps);
``change_source`` is the token those announcements carry, so this ``Database``'s own
listener can tell its own changes from other stations'. A database upgraded by a newer
FulfilStation is refused for writing (``schema_guard``: NewerSchema before any row changes).

``watch_failures(callback)``: every exception that ends a unit of work is shown to the
callbacks (on the thread of that unit of work, after its rollback) — how
``fulfilstation.health`` hears at once that the connection was lost. A callback never
changes what the caller sees: the exception is raised as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, Executable
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from fulfilstation.db import change_recorder, schema_guard
from fulfilstation.db.engine import PasswordLookup, make_engine
from fulfilstation.db.url import display_url

log = logging.getLogger(__name__)


class Database:
    def __init__(self, engine: Engine, password_for: PasswordLookup | None = None) -> None:
        self.engine = engine
        self.password_for = password_for
        """How the engine finds a password missing from the URL; the change listener's own
        connection uses it too."""
        self.change_source = change_recorder.install(engine)
        schema_guard.install(engine)  # no writing into a schema a newer version made
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._failure_watchers: list[Callable[[BaseException], object]] = []

    @classmethod
    def connect(cls, url: URL, password_for: PasswordLookup | None = None, *, create: bool = True) -> Database:
        """``create=False``: an SQLite file must exist (``engine.NoDatabaseFile``), none is made."""
        return cls(make_engine(url, password_for, create=create), password_for)

    def watch_failures(self, callback: Callable[[BaseException], object]) -> None:
        """Show ``callback`` every exception that ends a unit of work (see the module doc)."""
        self._failure_watchers.append(callback)

    def _failed(self, exc: BaseException) -> None:
        for callback in list(self._failure_watchers):
            try:
                callback(exc)
            except Exception:
                log.exception("a unit-of-work failure watcher failed")

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        return display_url(self.engine.url)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException as exc:
            try:
                session.rollback()
            finally:
                if self._failure_watchers:
                    self._failed(exc)
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def rows_changed(session: Session, statement: Executable, params: list[dict[str, Any]] | None = None) -> int:
    """Run a conditional UPDATE/DELETE and return how many rows it changed (0 = lost the race);
    with ``params``, once per parameter set (an executemany: the rows changed by all)."""
    result = session.execute(statement, params) if params is not None else session.execute(statement)
    return cast("CursorResult[Any]", result).rowcount
