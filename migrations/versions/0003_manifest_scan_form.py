"""A closed manifest may receive its carrier's scan form once; nothing else about it changes.

An API carrier's (EasyPost) end-of-day scan form is asked for *after* the close-out
committed (never a network call inside that transaction), so it is recorded on the closed
manifest afterwards. This revision:

* adds ``manifests.external_form_url`` (the scan form document's address; the id goes in
  the existing ``external_id``);
* narrows 0002's manifest guard so that exactly one UPDATE of a manifest with packages is
  allowed: ``external_id`` from NULL to a non-empty value, optionally with
  ``external_form_url`` from NULL, every other column unchanged. A second recording (the
  id is no longer NULL), a change of the totals, clearing the id, a URL without an id and
  DELETE are all still refused. The service writes it with ``UPDATE … WHERE external_id IS
  NULL``, so of two finishers the second changes nothing.

PostgreSQL compares the whole row (a copy of NEW with the two columns put back must equal
OLD), so a column added later is guarded without touching this trigger. SQLite lists the
columns: a new ``manifests`` column must be added to ``_UNCHANGED`` in a new revision.

The shipment guard of 0002 is untouched. Downgrade restores 0002's triggers exactly.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_MESSAGE = "manifest is closed: a manifest with packages cannot be changed or deleted"
_MESSAGE = (f"{_OLD_MESSAGE}; only its carrier scan form can be recorded, once (external_id and "
            "external_form_url from NULL)")

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION manifests_closed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kept manifests%ROWTYPE;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.external_id IS NULL AND OLD.external_form_url IS NULL
            AND NEW.external_id IS NOT NULL AND NEW.external_id <> '' THEN
        kept := NEW;
        kept.external_id := NULL;
        kept.external_form_url := NULL;
        IF kept IS NOT DISTINCT FROM OLD THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION '{_MESSAGE} (% of %)', TG_OP, OLD.number;
END;
$$
"""
_PG_OLD_FUNCTION = f"""
CREATE OR REPLACE FUNCTION manifests_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{_OLD_MESSAGE} (% of %)', TG_OP, OLD.number;
END;
$$
"""

_UNCHANGED = ("id", "number", "carrier_account_id", "manifest_date", "package_count", "total_weight_g",
              "closed_by_id", "station_id", "closed_at")
_SCAN_FORM_ONLY = " AND ".join(
    ("OLD.external_id IS NULL", "OLD.external_form_url IS NULL", "NEW.external_id IS NOT NULL",
     "NEW.external_id <> ''", *(f"NEW.{column} IS OLD.{column}" for column in _UNCHANGED)))
_SQLITE_UPDATE = (f"CREATE TRIGGER manifests_closed_update BEFORE UPDATE ON manifests WHEN OLD.package_count > 0 "
                  f"AND NOT ({_SCAN_FORM_ONLY}) BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END")
_SQLITE_OLD_UPDATE = ("CREATE TRIGGER manifests_closed_update BEFORE UPDATE ON manifests WHEN OLD.package_count > 0 "
                      f"BEGIN SELECT RAISE(ABORT, '{_OLD_MESSAGE}'); END")


def _postgresql() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def upgrade() -> None:
    op.add_column("manifests", sa.Column("external_form_url", sa.Text(), nullable=True))
    if _postgresql():
        op.execute(_PG_FUNCTION)  # the trigger (BEFORE UPDATE OR DELETE WHEN package_count > 0) stays
        return
    op.execute("DROP TRIGGER IF EXISTS manifests_closed_update")
    op.execute(_SQLITE_UPDATE)


def downgrade() -> None:
    if _postgresql():
        op.execute(_PG_OLD_FUNCTION)
        op.drop_column("manifests", "external_form_url")
        return
    op.execute("DROP TRIGGER IF EXISTS manifests_closed_update")  # it names the column: drop it first
    op.execute("ALTER TABLE manifests DROP COLUMN external_form_url")  # SQLite ≥ 3.35, no table rebuild
    op.execute(_SQLITE_OLD_UPDATE)
