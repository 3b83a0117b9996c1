"""The change counters: how other processes on an SQLite file notice what changed.

One row per table name (plus the ``*`` row for "everything may have changed"), bumped in
the same transaction as the change it counts by ``fulfilstation.db.change_recorder`` and
read by the change listener (``fulfilstation.changes``). ``source`` names the process
(``Database``) that made the latest bump, so a listener can skip its own echoes.

The table exists on both engines (one schema), but only SQLite uses it: on PostgreSQL
changes travel by ``NOTIFY`` and nothing ever writes here (a shared counter row would
serialize every writer across stations).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from fulfilstation.db.base import Base


class ChangeCounter(Base):
    __tablename__ = "change_counters"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(64))
