"""Restore the manifest guard on ``shipments`` in SQLite databases (issue #17's migrations).

Migrations 0016–0018 add columns to ``shipments`` in Alembic's batch mode; on SQLite batch
mode copies the table, and a copied table loses its triggers: ``shipments_manifested_update``
and ``shipments_manifested_delete`` (migration 0002) were gone, so a closed manifest's
shipment could be voided or deleted. This revision creates them again where they are missing,
exactly as 0002 made them. PostgreSQL keeps its triggers through ``ALTER TABLE``: nothing to do.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_SHIPMENT_MESSAGE = "shipment is on a closed manifest: it cannot move, be voided or be deleted"
_SQLITE_TRIGGERS = (  # as in 0002_manifest_guards
    "CREATE TRIGGER IF NOT EXISTS shipments_manifested_update BEFORE UPDATE ON shipments WHEN OLD.manifest_id "
    "IS NOT NULL AND (NEW.manifest_id IS NOT OLD.manifest_id OR (NEW.status = 'voided' AND OLD.status <> 'voided')) "
    f"BEGIN SELECT RAISE(ABORT, '{_SHIPMENT_MESSAGE}'); END",
    "CREATE TRIGGER IF NOT EXISTS shipments_manifested_delete BEFORE DELETE ON shipments WHEN OLD.manifest_id IS "
    f"NOT NULL BEGIN SELECT RAISE(ABORT, '{_SHIPMENT_MESSAGE}'); END",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    """Nothing: the guards belong to migration 0002."""
