"""Labels bought through a carrier gateway (issue #17): ``shipments.label_requested_at`` is
the database's claim on a label purchase (set by ``UPDATE … WHERE label_requested_at IS
NULL`` before the carrier is asked, given back when the carrier refused), and
``shipments.label_unanswered_at`` says the claimed call ended without an answer (the
carrier may have made the label: the next attempt looks it up before buying), and each package keeps the carrier
shipment it is on (``packages.external_id``) and what its label cost
(``packages.label_cost_minor``): one carrier shipment per package when the carrier takes
one parcel per shipment.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("label_requested_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("label_unanswered_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("packages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_id", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("label_cost_minor", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("packages", schema=None) as batch_op:
        batch_op.drop_column("label_cost_minor")
        batch_op.drop_column("external_id")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_column("label_unanswered_at")
        batch_op.drop_column("label_requested_at")
