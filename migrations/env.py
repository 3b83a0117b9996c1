"""Alembic environment: always driven by ``fulfilstation.db.migrate`` with a connection."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

import fulfilstation.db.models  # noqa: F401  (registers every table)
from fulfilstation.db.base import Base

target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations with 'fulfilstation db upgrade', which provides the connection.")
run_with(connection)
