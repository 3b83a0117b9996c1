"""What the packers' report (issue #14) needs that was not recorded: every weighing the
station refused as over or under the expected range (``weight_refusals``), written apart
from the refused weighing's transaction so it survives the refusal.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "weight_refusals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_session_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("package_sequence", sa.Integer(), nullable=False),
        sa.Column("measured_g", sa.Integer(), nullable=False),
        sa.Column("expected_g", sa.Integer(), nullable=False),
        sa.Column("min_g", sa.Integer(), nullable=False),
        sa.Column("max_g", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("verdict IN ('over', 'under')", name=op.f("ck_weight_refusals_verdict")),
        sa.ForeignKeyConstraint(["pack_session_id"], ["pack_sessions.id"],
                                name=op.f("fk_weight_refusals_pack_session_id_pack_sessions")),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_weight_refusals_station_id_stations")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_weight_refusals_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weight_refusals")),
    )
    op.create_index(op.f("ix_weight_refusals_pack_session_id"), "weight_refusals", ["pack_session_id"], unique=False)
    op.create_index("ix_weight_refusals_user_id_created_at", "weight_refusals", ["user_id", "created_at"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_weight_refusals_user_id_created_at", table_name="weight_refusals")
    op.drop_index(op.f("ix_weight_refusals_pack_session_id"), table_name="weight_refusals")
    op.drop_table("weight_refusals")
