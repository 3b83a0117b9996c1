"""Where a shipment's price came from (issue #17, live rates): ``shipments.rate_source`` is
``live`` (the carrier's own rate, asked at ship time from the account the shipment ships on)
or ``table`` (the site's rate tables). Every shipment made before this revision was priced
from the tables, so existing rows read ``table``.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rate_source", sa.String(length=16), nullable=False, server_default="table"))
        batch_op.create_check_constraint("rate_source", "rate_source IN ('live', 'table')")


def downgrade() -> None:
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_shipments_rate_source"), type_="check")
        batch_op.drop_column("rate_source")
