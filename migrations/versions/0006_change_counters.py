"""Change counters: how processes sharing an SQLite file see each other's changes.

``change_counters`` holds one row per changed table (``*`` for "anything may have
changed"): a version bumped in the same transaction as the change, and the source token of
the process that bumped it last. The table is created on both engines so that the schema
is one; PostgreSQL never writes to it (changes travel by ``NOTIFY`` there).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_counters",
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("table_name", name=op.f("pk_change_counters")),
    )


def downgrade() -> None:
    op.drop_table("change_counters")
