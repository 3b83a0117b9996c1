"""Order intake, sales channels and the outbox worker (issue #12).

* ``orders``: the shop's financial and own status, the customer's note, the billing country, the intake findings
  (``intake_problems``), lines whose SKU is unknown (``unmatched_lines``), the address as
  the shop sent it when it was corrected (``original_ship_to``), and ``backorder``.
* ``order_lines.external_line_id``: the shop's line item id.
* ``outbox``: ``channel`` (where it goes), ``order_id``, ``result`` (the shop's answer) and
  the status ``cancelled``.
* ``products.stock_buffer``: units held back from the shops (None: the site default).
* New tables ``sales_channels``, ``channel_listings``, ``column_mappings``,
  ``integration_locks`` and ``webhook_deliveries``.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OUTBOX = ("pending", "delivered", "failed", "cancelled")
_OLD_OUTBOX = ("pending", "delivered", "failed")
_CHANNEL_KINDS = ("shopify", "woocommerce", "file")


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _when() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("financial_status", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("customer_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("shop_status", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("bill_to_country", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("intake_problems", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("unmatched_lines", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("original_ship_to", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("backorder", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.alter_column("backorder", server_default=None)

    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_line_id", sa.String(length=100), nullable=True))

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("order_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("result", sa.JSON(), nullable=True))
        batch_op.create_index(op.f("ix_outbox_channel"), ["channel"])
        batch_op.create_index(op.f("ix_outbox_order_id"), ["order_id"])
        batch_op.drop_constraint(op.f("ck_outbox_status"), type_="check")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_check_constraint("status", _in("status", _OUTBOX))

    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stock_buffer", sa.Integer(), nullable=True))
        batch_op.create_check_constraint("stock_buffer_not_negative", "stock_buffer IS NULL OR stock_buffer >= 0")

    op.create_table(
        "sales_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("base_url", sa.String(length=300), nullable=True),
        sa.Column("location_id", sa.String(length=100), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("sync_state", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_synced_at", _when(), nullable=True),
        sa.Column("created_at", _when(), nullable=False),
        sa.CheckConstraint(_in("kind", _CHANNEL_KINDS), name=op.f("ck_sales_channels_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_channels")),
        sa.UniqueConstraint("name", name=op.f("uq_sales_channels_name")),
    )
    op.create_table(
        "channel_listings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("inventory_item_id", sa.String(length=100), nullable=True),
        sa.Column("pushed_available", sa.Integer(), nullable=True),
        sa.Column("pushed_at", _when(), nullable=True),
        sa.ForeignKeyConstraint(["channel_id"], ["sales_channels.id"],
                                name=op.f("fk_channel_listings_channel_id_sales_channels"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"],
                                name=op.f("fk_channel_listings_product_id_products"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_listings")),
        sa.UniqueConstraint("channel_id", "product_id", name=op.f("uq_channel_listings_channel_id_product_id")),
    )
    op.create_index(op.f("ix_channel_listings_channel_id"), "channel_listings", ["channel_id"])
    op.create_index(op.f("ix_channel_listings_product_id"), "channel_listings", ["product_id"])
    op.create_table(
        "column_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("updated_at", _when(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_column_mappings")),
        sa.UniqueConstraint("name", name=op.f("uq_column_mappings_name")),
    )
    op.create_table(
        "integration_locks",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=100), nullable=False),
        sa.Column("expires_at", _when(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_integration_locks")),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("delivery_id", sa.String(length=200), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=True),
        sa.Column("received_at", _when(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint("source", "delivery_id", name=op.f("uq_webhook_deliveries_source_delivery_id")),
    )


def downgrade() -> None:
    op.drop_table("webhook_deliveries")
    op.drop_table("integration_locks")
    op.drop_table("column_mappings")
    op.drop_index(op.f("ix_channel_listings_product_id"), table_name="channel_listings")
    op.drop_index(op.f("ix_channel_listings_channel_id"), table_name="channel_listings")
    op.drop_table("channel_listings")
    op.drop_table("sales_channels")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_products_stock_buffer_not_negative"), type_="check")
        batch_op.drop_column("stock_buffer")
    op.execute("UPDATE outbox SET status = 'failed' WHERE status = 'cancelled'")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_outbox_status"), type_="check")
        batch_op.drop_index(op.f("ix_outbox_order_id"))
        batch_op.drop_index(op.f("ix_outbox_channel"))
        batch_op.drop_column("result")
        batch_op.drop_column("order_id")
        batch_op.drop_column("channel")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_check_constraint("status", _in("status", _OLD_OUTBOX))
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_column("external_line_id")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("backorder")
        batch_op.drop_column("original_ship_to")
        batch_op.drop_column("unmatched_lines")
        batch_op.drop_column("intake_problems")
        batch_op.drop_column("bill_to_country")
        batch_op.drop_column("shop_status")
        batch_op.drop_column("financial_status")
        batch_op.drop_column("customer_note")
