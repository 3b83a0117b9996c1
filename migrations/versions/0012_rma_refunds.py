"""Each RMA's refund recorded on its own (issue #13): ``rmas.refunded_at`` / ``refunded_by_id``,
so a second return of an order owes only its own value.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rmas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("refunded_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_rmas_refunded_by_id_users"), "users", ["refunded_by_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("rmas", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_rmas_refunded_by_id_users"), type_="foreignkey")
        batch_op.drop_column("refunded_by_id")
        batch_op.drop_column("refunded_at")
