"""Longer carrier service codes.

EasyPost names services by the carrier's own codes, some longer than 16 characters
(FedEx ``STANDARD_OVERNIGHT``, ``INTERNATIONAL_PRIORITY``): ``carrier_services.service_code``
becomes VARCHAR(64). Downgrading refuses while a longer code is stored rather than cut it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("carrier_services") as batch:
        batch.alter_column("service_code", existing_type=sa.String(16), type_=sa.String(64),
                           existing_nullable=False)


def downgrade() -> None:
    longest = op.get_bind().execute(sa.text("SELECT max(length(service_code)) FROM carrier_services")).scalar()
    if longest is not None and longest > 16:
        raise RuntimeError("A carrier service code is longer than 16 characters: shorten it before downgrading.")
    with op.batch_alter_table("carrier_services") as batch:
        batch.alter_column("service_code", existing_type=sa.String(64), type_=sa.String(16),
                           existing_nullable=False)
