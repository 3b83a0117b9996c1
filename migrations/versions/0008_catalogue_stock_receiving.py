"""Catalogue, bins, stock and receiving (issue #11).

* ``products``: reorder point and safety stock, HS code and country of origin (customs),
  ``updated_at``; ``product_components`` makes a product a kit of others.
* ``bins``: aisle, bay and level; kinds are now pickable, storage, receiving, returns,
  quarantine, damaged and staging (``pick`` becomes ``pickable``).
* ``stock_moves``: the reason ``transfer`` is now ``move``.
* ``order_lines.kit_line_id``: a kit component's line points at the kit's line.
* ``receipts``: a default bin, notes, who closed it; ``receipt_items`` are the units scanned
  on an open receipt (posted to stock when it closes); ``serial_numbers`` are the serials
  that came in.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIN_KINDS = ("pickable", "storage", "receiving", "returns", "quarantine", "damaged", "staging")
_OLD_BIN_KINDS = ("storage", "pick", "receiving", "returns", "staging", "damaged")
_REASONS = ("receive", "move", "pick", "ship", "void", "return", "adjust", "count", "scrap")
_OLD_REASONS = ("receive", "transfer", "pick", "ship", "void", "return", "adjust", "count", "scrap")


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reorder_point", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("safety_stock", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("hs_code", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("country_of_origin", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint("stock_targets", "reorder_point >= 0 AND safety_stock >= 0")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.alter_column("reorder_point", server_default=None)
        batch_op.alter_column("safety_stock", server_default=None)

    op.create_table(
        "product_components",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kit_id", sa.Integer(), nullable=False),
        sa.Column("component_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_product_components_quantity_positive")),
        sa.CheckConstraint("kit_id <> component_id", name=op.f("ck_product_components_not_itself")),
        sa.ForeignKeyConstraint(["kit_id"], ["products.id"], name=op.f("fk_product_components_kit_id_products"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["component_id"], ["products.id"],
                                name=op.f("fk_product_components_component_id_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_components")),
        sa.UniqueConstraint("kit_id", "component_id", name=op.f("uq_product_components_kit_id_component_id")),
    )
    op.create_index(op.f("ix_product_components_kit_id"), "product_components", ["kit_id"])
    op.create_index(op.f("ix_product_components_component_id"), "product_components", ["component_id"])

    with op.batch_alter_table("bins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("aisle", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("bay", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("level", sa.String(length=16), nullable=True))
        batch_op.drop_constraint(op.f("ck_bins_kind"), type_="check")
    op.execute("UPDATE bins SET kind = 'pickable' WHERE kind = 'pick'")
    with op.batch_alter_table("bins", schema=None) as batch_op:
        batch_op.create_check_constraint("kind", _in("kind", _BIN_KINDS))

    with op.batch_alter_table("stock_moves", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_stock_moves_reason"), type_="check")
    op.execute("UPDATE stock_moves SET reason = 'move' WHERE reason = 'transfer'")
    with op.batch_alter_table("stock_moves", schema=None) as batch_op:
        batch_op.create_check_constraint("reason", _in("reason", _REASONS))

    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kit_line_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_order_lines_kit_line_id_order_lines"), "order_lines",
                                    ["kit_line_id"], ["id"], ondelete="CASCADE")
        batch_op.create_index(op.f("ix_order_lines_kit_line_id"), ["kit_line_id"])

    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bin_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("notes", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("closed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_receipts_bin_id_bins"), "bins", ["bin_id"], ["id"])
        batch_op.create_foreign_key(op.f("fk_receipts_closed_by_id_users"), "users", ["closed_by_id"], ["id"])

    op.create_table(
        "receipt_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("bin_id", sa.Integer(), nullable=False),
        sa.Column("lot_code", sa.String(length=64), nullable=False),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.Column("serial_number", sa.String(length=64), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("scanned_by_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_receipt_items_quantity_positive")),
        sa.CheckConstraint("serial_number IS NULL OR quantity = 1", name=op.f("ck_receipt_items_one_unit_per_serial")),
        sa.ForeignKeyConstraint(["receipt_id"], ["receipts.id"], name=op.f("fk_receipt_items_receipt_id_receipts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_receipt_items_product_id_products")),
        sa.ForeignKeyConstraint(["bin_id"], ["bins.id"], name=op.f("fk_receipt_items_bin_id_bins")),
        sa.ForeignKeyConstraint(["scanned_by_id"], ["users.id"], name=op.f("fk_receipt_items_scanned_by_id_users")),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_receipt_items_station_id_stations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_items")),
        sa.UniqueConstraint("receipt_id", "product_id", "serial_number",
                            name=op.f("uq_receipt_items_receipt_id_product_id_serial_number")),
    )
    op.create_index(op.f("ix_receipt_items_receipt_id"), "receipt_items", ["receipt_id"])

    op.create_table(
        "serial_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("lot_code", sa.String(length=64), nullable=False),
        sa.Column("bin_id", sa.Integer(), nullable=True),
        sa.Column("receipt_id", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('in-stock', 'shipped')", name=op.f("ck_serial_numbers_status")),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_serial_numbers_product_id_products")),
        sa.ForeignKeyConstraint(["bin_id"], ["bins.id"], name=op.f("fk_serial_numbers_bin_id_bins")),
        sa.ForeignKeyConstraint(["receipt_id"], ["receipts.id"], name=op.f("fk_serial_numbers_receipt_id_receipts")),
        sa.ForeignKeyConstraint(["shipment_id"], ["shipments.id"],
                                name=op.f("fk_serial_numbers_shipment_id_shipments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_serial_numbers")),
        sa.UniqueConstraint("product_id", "serial", name=op.f("uq_serial_numbers_product_id_serial")),
    )
    op.create_index(op.f("ix_serial_numbers_product_id"), "serial_numbers", ["product_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_serial_numbers_product_id"), table_name="serial_numbers")
    op.drop_table("serial_numbers")
    op.drop_index(op.f("ix_receipt_items_receipt_id"), table_name="receipt_items")
    op.drop_table("receipt_items")
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_receipts_closed_by_id_users"), type_="foreignkey")
        batch_op.drop_constraint(op.f("fk_receipts_bin_id_bins"), type_="foreignkey")
        batch_op.drop_column("closed_by_id")
        batch_op.drop_column("notes")
        batch_op.drop_column("bin_id")
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_index(op.f("ix_order_lines_kit_line_id"))
        batch_op.drop_constraint(op.f("fk_order_lines_kit_line_id_order_lines"), type_="foreignkey")
        batch_op.drop_column("kit_line_id")
    with op.batch_alter_table("stock_moves", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_stock_moves_reason"), type_="check")
    op.execute("UPDATE stock_moves SET reason = 'transfer' WHERE reason = 'move'")
    with op.batch_alter_table("stock_moves", schema=None) as batch_op:
        batch_op.create_check_constraint("reason", _in("reason", _OLD_REASONS))
    with op.batch_alter_table("bins", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_bins_kind"), type_="check")
    op.execute("UPDATE bins SET kind = 'pick' WHERE kind = 'pickable'")
    op.execute("UPDATE bins SET kind = 'storage' WHERE kind = 'quarantine'")
    with op.batch_alter_table("bins", schema=None) as batch_op:
        batch_op.create_check_constraint("kind", _in("kind", _OLD_BIN_KINDS))
        batch_op.drop_column("level")
        batch_op.drop_column("bay")
        batch_op.drop_column("aisle")
    op.drop_index(op.f("ix_product_components_component_id"), table_name="product_components")
    op.drop_index(op.f("ix_product_components_kit_id"), table_name="product_components")
    op.drop_table("product_components")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_products_stock_targets"), type_="check")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("country_of_origin")
        batch_op.drop_column("hs_code")
        batch_op.drop_column("safety_stock")
        batch_op.drop_column("reorder_point")
