"""Partial shipments and stored sync errors (issue #12).

* ``orders.split_from_id``: the order a remainder carries on (a partial shipment ships what
  is in stock; the rest waits as its own backorder).
* ``sales_channels.last_error`` / ``last_error_at``: the last sync round's failure, kept
  until a round succeeds.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("split_from_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_orders_split_from_id"), ["split_from_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_orders_split_from_id_orders"), "orders", ["split_from_id"], ["id"],
                                    ondelete="RESTRICT")
    with op.batch_alter_table("sales_channels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sales_channels", schema=None) as batch_op:
        batch_op.drop_column("last_error_at")
        batch_op.drop_column("last_error")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_orders_split_from_id_orders"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_orders_split_from_id"))
        batch_op.drop_column("split_from_id")
