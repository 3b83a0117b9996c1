"""What the reports (issue #14) need that was not recorded: when an order became ready
(``orders.ready_at``, the service level's received → ready step) and the shipping the
customer paid (``orders.shipping_charged_minor``, the order's currency, from the shop or
the order file; unknown is NULL).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("shipping_charged_minor", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(batch_op.f("ck_orders_shipping_charged_not_negative"),
                                         "shipping_charged_minor >= 0")


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_orders_shipping_charged_not_negative"), type_="check")
        batch_op.drop_column("shipping_charged_minor")
        batch_op.drop_column("ready_at")
