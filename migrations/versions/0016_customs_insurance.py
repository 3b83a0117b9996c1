"""Insurance per carrier service and on each shipment (issue #17, point 5): a service may
offer insurance (``insurance_allowed``) at a rate in basis points of the declared value
(``insurance_rate_bp``) plus a fixed fee (``insurance_fee_minor``, the service's currency);
a shipment records the value it insured (``insured_value_minor``, None when not insured)
and what the insurance cost (``insurance_cost_minor``).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("carrier_services", schema=None) as batch_op:
        batch_op.add_column(sa.Column("insurance_allowed", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("insurance_rate_bp", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("insurance_fee_minor", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_check_constraint("insurance_terms",
                                         "insurance_rate_bp >= 0 AND insurance_fee_minor >= 0")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("insured_value_minor", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("insurance_cost_minor", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_check_constraint("insurance_not_negative",
                                         "insurance_cost_minor >= 0 AND (insured_value_minor IS NULL OR "
                                         "insured_value_minor >= 0)")


def downgrade() -> None:
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_shipments_insurance_not_negative"), type_="check")
        batch_op.drop_column("insurance_cost_minor")
        batch_op.drop_column("insured_value_minor")
    with op.batch_alter_table("carrier_services", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_carrier_services_insurance_terms"), type_="check")
        batch_op.drop_column("insurance_fee_minor")
        batch_op.drop_column("insurance_rate_bp")
        batch_op.drop_column("insurance_allowed")
