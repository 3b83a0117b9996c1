"""A private PostgreSQL server holding the demo warehouse, for the tests of a database
outage (issue #15): the test stops and restarts the server itself.

``warehouse_server()`` starts a ``PrivateServer``, creates the database ``fulfil`` on it,
migrates it with the app's own ``db upgrade`` code and seeds the demo warehouse as
``TemplateFactory`` seeds the suite's templates; it yields the server and the URL. The
server is removed afterwards, whatever the test did to it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from fulfilstation.db import migrate
from fulfilstation.db.database import Database
from fulfilstation.demo.seed import seed_demo
from tests.support.private_postgres import PrivateServer

DATABASE = "fulfil"


@contextmanager
def warehouse_server(workdir: Path, *, seeded: bool = True) -> Iterator[tuple[PrivateServer, URL]]:
    with PrivateServer() as server:
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
        finally:
            admin.dispose()
        url = make_url(server.url(DATABASE))
        database = Database.connect(url)
        try:
            migrate.upgrade(database.engine, backup_dir=workdir / "backups")
            if seeded:
                seed_demo(database)
        finally:
            database.dispose()
        yield server, url


def wait_for(condition: Callable[[], object], timeout: float) -> bool:
    """Whether ``condition()`` came true within ``timeout`` seconds (polled every 50 ms)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False
