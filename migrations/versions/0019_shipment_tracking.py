"""Tracking to delivery (issue #17, point 6): each carrier scan of a shipment once
(``tracking_events``, unique per shipment, instant and code), and on ``shipments`` the latest
tracking state, when it was delivered, its last event, when a poll last claimed it and the
promised delivery day.

The new shipment columns are nullable and carry no CHECK, so SQLite adds them in place (no
table copy: the manifest guards' triggers on ``shipments`` stay as they are).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("tracking_state", sa.String(length=24)),
    ("delivered_at", sa.DateTime(timezone=True)),
    ("last_event_at", sa.DateTime(timezone=True)),
    ("tracked_at", sa.DateTime(timezone=True)),
    ("promised_by", sa.Date()),
)


def upgrade() -> None:
    for name, type_ in _COLUMNS:
        op.add_column("shipments", sa.Column(name, type_, nullable=True))
    op.create_index(op.f("ix_shipments_delivered_at"), "shipments", ["delivered_at"], unique=False)
    op.create_table(
        "tracking_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["shipment_id"], ["shipments.id"], ondelete="CASCADE",
                                name=op.f("fk_tracking_events_shipment_id_shipments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracking_events")),
        sa.UniqueConstraint("shipment_id", "occurred_at", "code",
                            name=op.f("uq_tracking_events_shipment_id_occurred_at_code")),
    )


def downgrade() -> None:
    op.drop_table("tracking_events")
    op.drop_index(op.f("ix_shipments_delivered_at"), table_name="shipments")
    for name, _type in reversed(_COLUMNS):
        op.drop_column("shipments", name)  # SQLite ≥ 3.35 drops in place: no table copy, the triggers stay
