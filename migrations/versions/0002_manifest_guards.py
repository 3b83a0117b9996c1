"""Closed manifests never change: guards in the database itself (like the audit log's).

* A manifest that holds packages (``package_count > 0``) refuses UPDATE and DELETE. The
  close-out transaction inserts the row, claims the shipments, then writes the totals in
  that same transaction while the count is still 0; no empty manifest is ever committed.
* A shipment on a manifest keeps its ``manifest_id`` (it cannot move to another manifest
  or back to none), cannot be voided and cannot be deleted.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MANIFEST_MESSAGE = "manifest is closed: a manifest with packages cannot be changed or deleted"
_SHIPMENT_MESSAGE = "shipment is on a closed manifest: it cannot move, be voided or be deleted"

_PG_FUNCTIONS = (
    f"""
CREATE FUNCTION manifests_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{_MANIFEST_MESSAGE} (% of %)', TG_OP, OLD.number;
END;
$$
""",
    f"""
CREATE FUNCTION shipments_manifested() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.manifest_id IS DISTINCT FROM OLD.manifest_id
            OR (NEW.status = 'voided' AND OLD.status <> 'voided') THEN
        RAISE EXCEPTION '{_SHIPMENT_MESSAGE} (shipment %)', OLD.id;
    END IF;
    RETURN NEW;
END;
$$
""",
)
_PG_TRIGGERS = (
    "CREATE TRIGGER manifests_closed BEFORE UPDATE OR DELETE ON manifests FOR EACH ROW "
    "WHEN (OLD.package_count > 0) EXECUTE FUNCTION manifests_closed()",
    "CREATE TRIGGER shipments_manifested BEFORE UPDATE OR DELETE ON shipments FOR EACH ROW "
    "WHEN (OLD.manifest_id IS NOT NULL) EXECUTE FUNCTION shipments_manifested()",
)
_SQLITE_TRIGGERS = (
    *(f"CREATE TRIGGER manifests_closed_{verb.lower()} BEFORE {verb} ON manifests WHEN OLD.package_count > 0 "
      f"BEGIN SELECT RAISE(ABORT, '{_MANIFEST_MESSAGE}'); END" for verb in ("UPDATE", "DELETE")),
    "CREATE TRIGGER shipments_manifested_update BEFORE UPDATE ON shipments WHEN OLD.manifest_id IS NOT NULL "
    "AND (NEW.manifest_id IS NOT OLD.manifest_id OR (NEW.status = 'voided' AND OLD.status <> 'voided')) "
    f"BEGIN SELECT RAISE(ABORT, '{_SHIPMENT_MESSAGE}'); END",
    "CREATE TRIGGER shipments_manifested_delete BEFORE DELETE ON shipments WHEN OLD.manifest_id IS NOT NULL "
    f"BEGIN SELECT RAISE(ABORT, '{_SHIPMENT_MESSAGE}'); END",
)


def _postgresql() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def upgrade() -> None:
    statements = (*_PG_FUNCTIONS, *_PG_TRIGGERS) if _postgresql() else _SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if _postgresql():
        op.execute("DROP TRIGGER IF EXISTS shipments_manifested ON shipments")
        op.execute("DROP TRIGGER IF EXISTS manifests_closed ON manifests")
        op.execute("DROP FUNCTION IF EXISTS shipments_manifested()")
        op.execute("DROP FUNCTION IF EXISTS manifests_closed()")
        return
    for name in ("shipments_manifested_delete", "shipments_manifested_update", "manifests_closed_delete",
                 "manifests_closed_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
