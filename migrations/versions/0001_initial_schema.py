"""Initial schema: the whole single-site operation.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _create_tables()
    _create_audit_guards()


def _create_tables() -> None:
    op.create_table(
        "bins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("zone", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("pick_sequence", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('storage', 'pick', 'receiving', 'returns', 'staging', 'damaged')", name=op.f("ck_bins_kind")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bins")),
        sa.UniqueConstraint("code", name=op.f("uq_bins_code")),
    )
    with op.batch_alter_table("bins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bins_pick_sequence"), ["pick_sequence"], unique=False)

    op.create_table(
        "box_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("inner_length_mm", sa.Integer(), nullable=False),
        sa.Column("inner_width_mm", sa.Integer(), nullable=False),
        sa.Column("inner_height_mm", sa.Integer(), nullable=False),
        sa.Column("tare_weight_g", sa.Integer(), nullable=False),
        sa.Column("max_weight_g", sa.Integer(), nullable=False),
        sa.Column("cost_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "inner_length_mm > 0 AND inner_width_mm > 0 AND inner_height_mm > 0",
            name=op.f("ck_box_types_inner_dimensions"),
        ),
        sa.CheckConstraint(
            "tare_weight_g >= 0 AND max_weight_g >= 0 AND cost_minor >= 0", name=op.f("ck_box_types_amounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_box_types")),
        sa.UniqueConstraint("code", name=op.f("uq_box_types_code")),
    )
    op.create_table(
        "carriers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind IN ('local', 'api')", name=op.f("ck_carriers_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carriers")),
        sa.UniqueConstraint("code", name=op.f("uq_carriers_code")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("dedup_key", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'delivered', 'failed')", name=op.f("ck_outbox_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_outbox_dedup_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_topic"), ["topic"], unique=False)

    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("weight_g", sa.Integer(), nullable=False),
        sa.Column("length_mm", sa.Integer(), nullable=False),
        sa.Column("width_mm", sa.Integer(), nullable=False),
        sa.Column("height_mm", sa.Integer(), nullable=False),
        sa.Column("serial_tracked", sa.Boolean(), nullable=False),
        sa.Column("lot_tracked", sa.Boolean(), nullable=False),
        sa.Column("hazmat", sa.Boolean(), nullable=False),
        sa.Column("fragile", sa.Boolean(), nullable=False),
        sa.Column("unit_price_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("image_path", sa.String(length=500), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "weight_g >= 0 AND length_mm >= 0 AND width_mm >= 0 AND height_mm >= 0", name=op.f("ck_products_sizes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("sku", name=op.f("uq_products_sku")),
    )
    op.create_table(
        "site_settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_site_settings")),
    )
    op.create_table(
        "stations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("scanner_uri", sa.String(length=300), nullable=False),
        sa.Column("scale_uri", sa.String(length=300), nullable=True),
        sa.Column("label_printer_uri", sa.String(length=300), nullable=True),
        sa.Column("document_printer_uri", sa.String(length=300), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stations")),
        sa.UniqueConstraint("name", name=op.f("uq_stations_name")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=True),
        sa.Column("badge_digest", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_pin_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('packer', 'manager', 'owner')", name=op.f("ck_users_role")),
        sa.CheckConstraint("failed_pin_attempts >= 0", name=op.f("ck_users_failed_pin_attempts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("badge_digest", name=op.f("uq_users_badge_digest")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=32), nullable=True),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_audit_log_station_id_stations")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_audit_log_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_occurred_at"), ["occurred_at"], unique=False)

    op.create_table(
        "carrier_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("account_number", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("origin_postal_code", sa.String(length=20), nullable=True),
        sa.Column("keyring_name", sa.String(length=200), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["carrier_id"], ["carriers.id"], name=op.f("fk_carrier_accounts_carrier_id_carriers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_accounts")),
        sa.UniqueConstraint("carrier_id", "account_number", name=op.f("uq_carrier_accounts_carrier_id_account_number")),
    )
    with op.batch_alter_table("carrier_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_carrier_accounts_carrier_id"), ["carrier_id"], unique=False)

    op.create_table(
        "carrier_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("service_code", sa.String(length=16), nullable=False),
        sa.Column("dim_divisor", sa.Integer(), nullable=False),
        sa.Column("fuel_surcharge_bp", sa.Integer(), nullable=False),
        sa.Column("residential_surcharge_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("dim_divisor > 0", name=op.f("ck_carrier_services_dim_divisor_positive")),
        sa.CheckConstraint(
            "fuel_surcharge_bp >= 0 AND residential_surcharge_minor >= 0", name=op.f("ck_carrier_services_surcharges")
        ),
        sa.ForeignKeyConstraint(["carrier_id"], ["carriers.id"], name=op.f("fk_carrier_services_carrier_id_carriers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_services")),
        sa.UniqueConstraint("carrier_id", "code", name=op.f("uq_carrier_services_carrier_id_code")),
    )
    with op.batch_alter_table("carrier_services", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_carrier_services_carrier_id"), ["carrier_id"], unique=False)

    op.create_table(
        "cycle_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("blind", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'counting', 'completed', 'cancelled')", name=op.f("ck_cycle_counts_status")
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_cycle_counts_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_counts")),
        sa.UniqueConstraint("number", name=op.f("uq_cycle_counts_number")),
    )
    op.create_table(
        "pick_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('open', 'picking', 'done', 'cancelled')", name=op.f("ck_pick_lists_status")),
        sa.ForeignKeyConstraint(["assigned_to_id"], ["users.id"], name=op.f("fk_pick_lists_assigned_to_id_users")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_pick_lists_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pick_lists")),
        sa.UniqueConstraint("number", name=op.f("uq_pick_lists_number")),
    )
    op.create_table(
        "product_barcodes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("pack_quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("pack_quantity >= 1", name=op.f("ck_product_barcodes_pack_quantity")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_product_barcodes_product_id_products"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_barcodes")),
        sa.UniqueConstraint("code", name=op.f("uq_product_barcodes_code")),
    )
    with op.batch_alter_table("product_barcodes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_product_barcodes_product_id"), ["product_id"], unique=False)

    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("expected_date", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('open', 'received', 'cancelled')", name=op.f("ck_receipts_status")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_receipts_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipts")),
        sa.UniqueConstraint("number", name=op.f("uq_receipts_number")),
    )
    op.create_table(
        "stock_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("bin_id", sa.Integer(), nullable=False),
        sa.Column("lot_code", sa.String(length=64), nullable=False),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.CheckConstraint("on_hand >= 0", name=op.f("ck_stock_levels_on_hand_not_negative")),
        sa.CheckConstraint("reserved <= on_hand", name=op.f("ck_stock_levels_reserved_within_on_hand")),
        sa.CheckConstraint("reserved >= 0", name=op.f("ck_stock_levels_reserved_not_negative")),
        sa.ForeignKeyConstraint(["bin_id"], ["bins.id"], name=op.f("fk_stock_levels_bin_id_bins")),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_stock_levels_product_id_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_levels")),
        sa.UniqueConstraint(
            "product_id", "bin_id", "lot_code", name=op.f("uq_stock_levels_product_id_bin_id_lot_code")
        ),
    )
    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stock_levels_bin_id"), ["bin_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stock_levels_product_id"), ["product_id"], unique=False)

    op.create_table(
        "zone_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("origin_prefix", sa.String(length=10), nullable=False),
        sa.Column("dest_prefix_from", sa.String(length=10), nullable=False),
        sa.Column("dest_prefix_to", sa.String(length=10), nullable=False),
        sa.Column("zone", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["carrier_id"], ["carriers.id"], name=op.f("fk_zone_rules_carrier_id_carriers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zone_rules")),
    )
    with op.batch_alter_table("zone_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zone_rules_carrier_id"), ["carrier_id"], unique=False)

    op.create_table(
        "cycle_count_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_count_id", sa.Integer(), nullable=False),
        sa.Column("bin_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("lot_code", sa.String(length=64), nullable=False),
        sa.Column("expected_quantity", sa.Integer(), nullable=False),
        sa.Column("counted_quantity", sa.Integer(), nullable=True),
        sa.Column("counted_by_id", sa.Integer(), nullable=True),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "counted_quantity IS NULL OR counted_quantity >= 0", name=op.f("ck_cycle_count_lines_counted_not_negative")
        ),
        sa.CheckConstraint("expected_quantity >= 0", name=op.f("ck_cycle_count_lines_expected_not_negative")),
        sa.ForeignKeyConstraint(["bin_id"], ["bins.id"], name=op.f("fk_cycle_count_lines_bin_id_bins")),
        sa.ForeignKeyConstraint(["counted_by_id"], ["users.id"], name=op.f("fk_cycle_count_lines_counted_by_id_users")),
        sa.ForeignKeyConstraint(
            ["cycle_count_id"],
            ["cycle_counts.id"],
            name=op.f("fk_cycle_count_lines_cycle_count_id_cycle_counts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_cycle_count_lines_product_id_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_count_lines")),
        sa.UniqueConstraint(
            "cycle_count_id",
            "bin_id",
            "product_id",
            "lot_code",
            name=op.f("uq_cycle_count_lines_cycle_count_id_bin_id_product_id_lot_code"),
        ),
    )
    with op.batch_alter_table("cycle_count_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cycle_count_lines_cycle_count_id"), ["cycle_count_id"], unique=False)

    op.create_table(
        "manifests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("carrier_account_id", sa.Integer(), nullable=False),
        sa.Column("manifest_date", sa.Date(), nullable=False),
        sa.Column("package_count", sa.Integer(), nullable=False),
        sa.Column("total_weight_g", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("package_count >= 0 AND total_weight_g >= 0", name=op.f("ck_manifests_totals")),
        sa.ForeignKeyConstraint(
            ["carrier_account_id"],
            ["carrier_accounts.id"],
            name=op.f("fk_manifests_carrier_account_id_carrier_accounts"),
        ),
        sa.ForeignKeyConstraint(["closed_by_id"], ["users.id"], name=op.f("fk_manifests_closed_by_id_users")),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_manifests_station_id_stations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_manifests")),
        sa.UniqueConstraint("number", name=op.f("uq_manifests_number")),
    )
    with op.batch_alter_table("manifests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_manifests_carrier_account_id"), ["carrier_account_id"], unique=False)

    op.create_table(
        "number_ranges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier_account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("prefix", sa.String(length=32), nullable=False),
        sa.Column("first_value", sa.BigInteger(), nullable=False),
        sa.Column("next_value", sa.BigInteger(), nullable=False),
        sa.Column("last_value", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('ups', 'usps-impb', 'fedex-express', 'sscc', 'manifest')", name=op.f("ck_number_ranges_kind")
        ),
        sa.CheckConstraint(
            "first_value <= next_value AND next_value <= last_value + 1", name=op.f("ck_number_ranges_within_range")
        ),
        sa.ForeignKeyConstraint(
            ["carrier_account_id"],
            ["carrier_accounts.id"],
            name=op.f("fk_number_ranges_carrier_account_id_carrier_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_ranges")),
        sa.UniqueConstraint("carrier_account_id", "kind", name=op.f("uq_number_ranges_carrier_account_id_kind")),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("ship_to_name", sa.String(length=200), nullable=False),
        sa.Column("ship_to_company", sa.String(length=200), nullable=True),
        sa.Column("ship_to_line1", sa.String(length=200), nullable=False),
        sa.Column("ship_to_line2", sa.String(length=200), nullable=True),
        sa.Column("ship_to_city", sa.String(length=100), nullable=False),
        sa.Column("ship_to_region", sa.String(length=100), nullable=True),
        sa.Column("ship_to_postal_code", sa.String(length=20), nullable=False),
        sa.Column("ship_to_country", sa.String(length=2), nullable=False),
        sa.Column("ship_to_phone", sa.String(length=40), nullable=True),
        sa.Column("ship_to_email", sa.String(length=200), nullable=True),
        sa.Column("ship_to_residential", sa.Boolean(), nullable=False),
        sa.Column("ship_by", sa.Date(), nullable=True),
        sa.Column("deliver_by", sa.Date(), nullable=True),
        sa.Column("requested_service_id", sa.Integer(), nullable=True),
        sa.Column("hold", sa.Boolean(), nullable=False),
        sa.Column("hold_reason", sa.String(length=300), nullable=True),
        sa.Column("gift_message", sa.Text(), nullable=True),
        sa.Column("total_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("ordered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'ready', 'packing', 'shipped', 'cancelled')", name=op.f("ck_orders_status")
        ),
        sa.CheckConstraint("total_minor >= 0", name=op.f("ck_orders_total_not_negative")),
        sa.ForeignKeyConstraint(
            ["requested_service_id"],
            ["carrier_services.id"],
            name=op.f("fk_orders_requested_service_id_carrier_services"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("channel", "external_id", name=op.f("uq_orders_channel_external_id")),
        sa.UniqueConstraint("number", name=op.f("uq_orders_number")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_ship_by"), ["ship_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_orders_status"), ["status"], unique=False)

    op.create_table(
        "receipt_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity_expected", sa.Integer(), nullable=False),
        sa.Column("quantity_received", sa.Integer(), nullable=False),
        sa.Column("to_bin_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "quantity_expected >= 0 AND quantity_received >= 0", name=op.f("ck_receipt_lines_quantities")
        ),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_receipt_lines_product_id_products")),
        sa.ForeignKeyConstraint(
            ["receipt_id"], ["receipts.id"], name=op.f("fk_receipt_lines_receipt_id_receipts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["to_bin_id"], ["bins.id"], name=op.f("fk_receipt_lines_to_bin_id_bins")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_lines")),
        sa.UniqueConstraint("receipt_id", "product_id", name=op.f("uq_receipt_lines_receipt_id_product_id")),
    )
    with op.batch_alter_table("receipt_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_lines_receipt_id"), ["receipt_id"], unique=False)

    op.create_table(
        "routing_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"], ["carrier_services.id"], name=op.f("fk_routing_rules_service_id_carrier_services")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rules")),
    )
    op.create_table(
        "service_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("zone", sa.Integer(), nullable=False),
        sa.Column("max_weight_g", sa.Integer(), nullable=False),
        sa.Column("price_minor", sa.Integer(), nullable=False),
        sa.CheckConstraint("max_weight_g > 0 AND price_minor >= 0", name=op.f("ck_service_rates_rate_values")),
        sa.ForeignKeyConstraint(
            ["service_id"], ["carrier_services.id"], name=op.f("fk_service_rates_service_id_carrier_services")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_rates")),
        sa.UniqueConstraint(
            "service_id", "zone", "max_weight_g", name=op.f("uq_service_rates_service_id_zone_max_weight_g")
        ),
    )
    with op.batch_alter_table("service_rates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_rates_service_id"), ["service_id"], unique=False)

    op.create_table(
        "service_transits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("zone", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.CheckConstraint("days >= 0", name=op.f("ck_service_transits_days")),
        sa.ForeignKeyConstraint(
            ["service_id"], ["carrier_services.id"], name=op.f("fk_service_transits_service_id_carrier_services")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_transits")),
        sa.UniqueConstraint("service_id", "zone", name=op.f("uq_service_transits_service_id_zone")),
    )
    with op.batch_alter_table("service_transits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_transits_service_id"), ["service_id"], unique=False)

    op.create_table(
        "order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_minor", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_order_lines_quantity_positive")),
        sa.CheckConstraint("unit_price_minor >= 0", name=op.f("ck_order_lines_price_not_negative")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_lines_order_id_orders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_order_lines_product_id_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_lines")),
        sa.UniqueConstraint("order_id", "line_no", name=op.f("uq_order_lines_order_id_line_no")),
    )
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_lines_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_lines_product_id"), ["product_id"], unique=False)

    op.create_table(
        "pack_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("box_type_id", sa.Integer(), nullable=True),
        sa.Column("weight_override_by_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scan_count", sa.Integer(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('open', 'completed', 'cancelled')", name=op.f("ck_pack_sessions_status")),
        sa.ForeignKeyConstraint(["box_type_id"], ["box_types.id"], name=op.f("fk_pack_sessions_box_type_id_box_types")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_pack_sessions_order_id_orders")),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_pack_sessions_station_id_stations")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_pack_sessions_user_id_users")),
        sa.ForeignKeyConstraint(
            ["weight_override_by_id"], ["users.id"], name=op.f("fk_pack_sessions_weight_override_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_sessions")),
    )
    with op.batch_alter_table("pack_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pack_sessions_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pack_sessions_station_id"), ["station_id"], unique=False)
        batch_op.create_index(
            "uq_pack_sessions_open_order",
            ["order_id"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "pick_list_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pick_list_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("tote_code", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_pick_list_orders_order_id_orders")),
        sa.ForeignKeyConstraint(
            ["pick_list_id"],
            ["pick_lists.id"],
            name=op.f("fk_pick_list_orders_pick_list_id_pick_lists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pick_list_orders")),
        sa.UniqueConstraint("pick_list_id", "order_id", name=op.f("uq_pick_list_orders_pick_list_id_order_id")),
    )
    with op.batch_alter_table("pick_list_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pick_list_orders_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pick_list_orders_pick_list_id"), ["pick_list_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pick_list_orders_tote_code"), ["tote_code"], unique=False)

    op.create_table(
        "rmas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("return_tracking_number", sa.String(length=64), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('open', 'received', 'closed', 'cancelled')", name=op.f("ck_rmas_status")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_rmas_created_by_id_users")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_rmas_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rmas")),
        sa.UniqueConstraint("number", name=op.f("uq_rmas_number")),
    )
    with op.batch_alter_table("rmas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rmas_order_id"), ["order_id"], unique=False)

    op.create_table(
        "allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("stock_level_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_allocations_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_allocations_order_line_id_order_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stock_level_id"], ["stock_levels.id"], name=op.f("fk_allocations_stock_level_id_stock_levels")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocations")),
        sa.UniqueConstraint(
            "order_line_id", "stock_level_id", name=op.f("uq_allocations_order_line_id_stock_level_id")
        ),
    )
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allocations_order_line_id"), ["order_line_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_allocations_stock_level_id"), ["stock_level_id"], unique=False)

    op.create_table(
        "rma_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rma_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity_expected", sa.Integer(), nullable=False),
        sa.Column("quantity_received", sa.Integer(), nullable=False),
        sa.Column("disposition", sa.String(length=20), nullable=False),
        sa.Column("condition_note", sa.String(length=300), nullable=True),
        sa.Column("serial_number", sa.String(length=64), nullable=True),
        sa.Column("lot_code", sa.String(length=64), nullable=True),
        sa.Column("restock_bin_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "disposition IN ('pending', 'restock', 'damaged', 'scrap', 'return-to-vendor')",
            name=op.f("ck_rma_lines_disposition"),
        ),
        sa.CheckConstraint("quantity_expected > 0", name=op.f("ck_rma_lines_expected_positive")),
        sa.CheckConstraint(
            "quantity_received >= 0 AND quantity_received <= quantity_expected",
            name=op.f("ck_rma_lines_received_within"),
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"], ["order_lines.id"], name=op.f("fk_rma_lines_order_line_id_order_lines")
        ),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_rma_lines_product_id_products")),
        sa.ForeignKeyConstraint(["restock_bin_id"], ["bins.id"], name=op.f("fk_rma_lines_restock_bin_id_bins")),
        sa.ForeignKeyConstraint(["rma_id"], ["rmas.id"], name=op.f("fk_rma_lines_rma_id_rmas"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rma_lines")),
    )
    with op.batch_alter_table("rma_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rma_lines_rma_id"), ["rma_id"], unique=False)

    op.create_table(
        "scan_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_session_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("raw", sa.String(length=500), nullable=False),
        sa.Column("symbology", sa.String(length=8), nullable=True),
        sa.Column("gtin", sa.String(length=14), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("order_line_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("package_sequence", sa.Integer(), nullable=False),
        sa.Column("lot_code", sa.String(length=64), nullable=True),
        sa.Column("serial_number", sa.String(length=64), nullable=True),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("refusal", sa.String(length=32), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "result IN ('accepted', 'refused', 'pending', 'command')", name=op.f("ck_scan_events_result")
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"], ["order_lines.id"], name=op.f("fk_scan_events_order_line_id_order_lines")
        ),
        sa.ForeignKeyConstraint(
            ["pack_session_id"], ["pack_sessions.id"], name=op.f("fk_scan_events_pack_session_id_pack_sessions")
        ),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_scan_events_product_id_products")),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_scan_events_station_id_stations")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_scan_events_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scan_events")),
    )
    with op.batch_alter_table("scan_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scan_events_pack_session_id"), ["pack_session_id"], unique=False)

    op.create_table(
        "shipments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("pack_session_id", sa.Integer(), nullable=True),
        sa.Column("carrier_account_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("tracking_number", sa.String(length=64), nullable=True),
        sa.Column("routing_code", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("cost_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("manifest_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.String(length=300), nullable=True),
        sa.CheckConstraint("status IN ('label-pending', 'printed', 'voided')", name=op.f("ck_shipments_status")),
        sa.CheckConstraint("cost_minor >= 0", name=op.f("ck_shipments_cost_not_negative")),
        sa.ForeignKeyConstraint(
            ["carrier_account_id"],
            ["carrier_accounts.id"],
            name=op.f("fk_shipments_carrier_account_id_carrier_accounts"),
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_shipments_created_by_id_users")),
        sa.ForeignKeyConstraint(["manifest_id"], ["manifests.id"], name=op.f("fk_shipments_manifest_id_manifests")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_shipments_order_id_orders")),
        sa.ForeignKeyConstraint(
            ["pack_session_id"], ["pack_sessions.id"], name=op.f("fk_shipments_pack_session_id_pack_sessions")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["carrier_services.id"], name=op.f("fk_shipments_service_id_carrier_services")
        ),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_shipments_station_id_stations")),
        sa.ForeignKeyConstraint(["voided_by_id"], ["users.id"], name=op.f("fk_shipments_voided_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipments")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_shipments_idempotency_key")),
        sa.UniqueConstraint("tracking_number", name=op.f("uq_shipments_tracking_number")),
    )
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shipments_carrier_account_id"), ["carrier_account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shipments_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_shipments_manifest_id"), ["manifest_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shipments_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shipments_status"), ["status"], unique=False)

    op.create_table(
        "packages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=True),
        sa.Column("pack_session_id", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("box_type_id", sa.Integer(), nullable=True),
        sa.Column("tracking_number", sa.String(length=64), nullable=True),
        sa.Column("weight_measured_g", sa.Integer(), nullable=False),
        sa.Column("weight_expected_g", sa.Integer(), nullable=False),
        sa.Column("weight_override_by_id", sa.Integer(), nullable=True),
        sa.Column("length_mm", sa.Integer(), nullable=True),
        sa.Column("width_mm", sa.Integer(), nullable=True),
        sa.Column("height_mm", sa.Integer(), nullable=True),
        sa.Column("label_format", sa.String(length=16), nullable=True),
        sa.Column("label_data", sa.Text(), nullable=True),
        sa.CheckConstraint("sequence >= 1", name=op.f("ck_packages_sequence_positive")),
        sa.CheckConstraint("weight_measured_g >= 0 AND weight_expected_g >= 0", name=op.f("ck_packages_weights")),
        sa.ForeignKeyConstraint(["box_type_id"], ["box_types.id"], name=op.f("fk_packages_box_type_id_box_types")),
        sa.ForeignKeyConstraint(
            ["pack_session_id"], ["pack_sessions.id"], name=op.f("fk_packages_pack_session_id_pack_sessions")
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipments.id"], name=op.f("fk_packages_shipment_id_shipments"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["weight_override_by_id"], ["users.id"], name=op.f("fk_packages_weight_override_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_packages")),
        sa.UniqueConstraint("pack_session_id", "sequence", name=op.f("uq_packages_pack_session_id_sequence")),
        sa.UniqueConstraint("shipment_id", "sequence", name=op.f("uq_packages_shipment_id_sequence")),
        sa.UniqueConstraint("tracking_number", name=op.f("uq_packages_tracking_number")),
    )
    with op.batch_alter_table("packages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_packages_pack_session_id"), ["pack_session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_packages_shipment_id"), ["shipment_id"], unique=False)

    op.create_table(
        "pick_list_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pick_list_id", sa.Integer(), nullable=False),
        sa.Column("allocation_id", sa.Integer(), nullable=True),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("bin_id", sa.Integer(), nullable=False),
        sa.Column("lot_code", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("picked_quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "picked_quantity >= 0 AND picked_quantity <= quantity", name=op.f("ck_pick_list_lines_picked_within")
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_pick_list_lines_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["allocation_id"],
            ["allocations.id"],
            name=op.f("fk_pick_list_lines_allocation_id_allocations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["bin_id"], ["bins.id"], name=op.f("fk_pick_list_lines_bin_id_bins")),
        sa.ForeignKeyConstraint(
            ["order_line_id"], ["order_lines.id"], name=op.f("fk_pick_list_lines_order_line_id_order_lines")
        ),
        sa.ForeignKeyConstraint(
            ["pick_list_id"],
            ["pick_lists.id"],
            name=op.f("fk_pick_list_lines_pick_list_id_pick_lists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_pick_list_lines_product_id_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pick_list_lines")),
    )
    with op.batch_alter_table("pick_list_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pick_list_lines_pick_list_id"), ["pick_list_id"], unique=False)

    op.create_table(
        "shipment_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipments.id"], name=op.f("fk_shipment_notes_shipment_id_shipments"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_shipment_notes_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_notes")),
    )
    with op.batch_alter_table("shipment_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shipment_notes_shipment_id"), ["shipment_id"], unique=False)

    op.create_table(
        "stock_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("from_bin_id", sa.Integer(), nullable=True),
        sa.Column("to_bin_id", sa.Integer(), nullable=True),
        sa.Column("lot_code", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("shipment_id", sa.Integer(), nullable=True),
        sa.Column("receipt_id", sa.Integer(), nullable=True),
        sa.Column("rma_id", sa.Integer(), nullable=True),
        sa.Column("cycle_count_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "reason IN ('receive', 'transfer', 'pick', 'ship', 'void', 'return', 'adjust', 'count', 'scrap')",
            name=op.f("ck_stock_moves_reason"),
        ),
        sa.CheckConstraint("from_bin_id IS NOT NULL OR to_bin_id IS NOT NULL", name=op.f("ck_stock_moves_has_a_bin")),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_stock_moves_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["cycle_count_id"], ["cycle_counts.id"], name=op.f("fk_stock_moves_cycle_count_id_cycle_counts")
        ),
        sa.ForeignKeyConstraint(["from_bin_id"], ["bins.id"], name=op.f("fk_stock_moves_from_bin_id_bins")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_stock_moves_order_id_orders")),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_stock_moves_product_id_products")),
        sa.ForeignKeyConstraint(["receipt_id"], ["receipts.id"], name=op.f("fk_stock_moves_receipt_id_receipts")),
        sa.ForeignKeyConstraint(["rma_id"], ["rmas.id"], name=op.f("fk_stock_moves_rma_id_rmas")),
        sa.ForeignKeyConstraint(["shipment_id"], ["shipments.id"], name=op.f("fk_stock_moves_shipment_id_shipments")),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_stock_moves_station_id_stations")),
        sa.ForeignKeyConstraint(["to_bin_id"], ["bins.id"], name=op.f("fk_stock_moves_to_bin_id_bins")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_stock_moves_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_moves")),
    )
    with op.batch_alter_table("stock_moves", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stock_moves_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_stock_moves_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stock_moves_product_id"), ["product_id"], unique=False)

    op.create_table(
        "package_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("lot_code", sa.String(length=64), nullable=True),
        sa.Column("serial_number", sa.String(length=64), nullable=True),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_package_items_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["order_line_id"], ["order_lines.id"], name=op.f("fk_package_items_order_line_id_order_lines")
        ),
        sa.ForeignKeyConstraint(
            ["package_id"], ["packages.id"], name=op.f("fk_package_items_package_id_packages"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_package_items_product_id_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package_items")),
    )
    with op.batch_alter_table("package_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_package_items_package_id"), ["package_id"], unique=False)

    op.create_table(
        "shipped_serials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("serial_number", sa.String(length=64), nullable=False),
        sa.Column("package_item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["package_item_id"],
            ["package_items.id"],
            name=op.f("fk_shipped_serials_package_item_id_package_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_shipped_serials_product_id_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipped_serials")),
        sa.UniqueConstraint("product_id", "serial_number", name=op.f("uq_shipped_serials_product_id_serial_number")),
    )


def downgrade() -> None:
    _drop_audit_guards()
    _drop_tables()


def _drop_tables() -> None:
    op.drop_table("shipped_serials")
    with op.batch_alter_table("package_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_package_items_package_id"))

    op.drop_table("package_items")
    with op.batch_alter_table("stock_moves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_moves_product_id"))
        batch_op.drop_index(batch_op.f("ix_stock_moves_order_id"))
        batch_op.drop_index(batch_op.f("ix_stock_moves_created_at"))

    op.drop_table("stock_moves")
    with op.batch_alter_table("shipment_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipment_notes_shipment_id"))

    op.drop_table("shipment_notes")
    with op.batch_alter_table("pick_list_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pick_list_lines_pick_list_id"))

    op.drop_table("pick_list_lines")
    with op.batch_alter_table("packages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_packages_shipment_id"))
        batch_op.drop_index(batch_op.f("ix_packages_pack_session_id"))

    op.drop_table("packages")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipments_status"))
        batch_op.drop_index(batch_op.f("ix_shipments_order_id"))
        batch_op.drop_index(batch_op.f("ix_shipments_manifest_id"))
        batch_op.drop_index(batch_op.f("ix_shipments_created_at"))
        batch_op.drop_index(batch_op.f("ix_shipments_carrier_account_id"))

    op.drop_table("shipments")
    with op.batch_alter_table("scan_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scan_events_pack_session_id"))

    op.drop_table("scan_events")
    with op.batch_alter_table("rma_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rma_lines_rma_id"))

    op.drop_table("rma_lines")
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocations_stock_level_id"))
        batch_op.drop_index(batch_op.f("ix_allocations_order_line_id"))

    op.drop_table("allocations")
    with op.batch_alter_table("rmas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rmas_order_id"))

    op.drop_table("rmas")
    with op.batch_alter_table("pick_list_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pick_list_orders_tote_code"))
        batch_op.drop_index(batch_op.f("ix_pick_list_orders_pick_list_id"))
        batch_op.drop_index(batch_op.f("ix_pick_list_orders_order_id"))

    op.drop_table("pick_list_orders")
    with op.batch_alter_table("pack_sessions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_pack_sessions_open_order",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index(batch_op.f("ix_pack_sessions_station_id"))
        batch_op.drop_index(batch_op.f("ix_pack_sessions_order_id"))

    op.drop_table("pack_sessions")
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_lines_product_id"))
        batch_op.drop_index(batch_op.f("ix_order_lines_order_id"))

    op.drop_table("order_lines")
    with op.batch_alter_table("service_transits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_transits_service_id"))

    op.drop_table("service_transits")
    with op.batch_alter_table("service_rates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_rates_service_id"))

    op.drop_table("service_rates")
    op.drop_table("routing_rules")
    with op.batch_alter_table("receipt_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_lines_receipt_id"))

    op.drop_table("receipt_lines")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_status"))
        batch_op.drop_index(batch_op.f("ix_orders_ship_by"))

    op.drop_table("orders")
    op.drop_table("number_ranges")
    with op.batch_alter_table("manifests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_manifests_carrier_account_id"))

    op.drop_table("manifests")
    with op.batch_alter_table("cycle_count_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cycle_count_lines_cycle_count_id"))

    op.drop_table("cycle_count_lines")
    with op.batch_alter_table("zone_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zone_rules_carrier_id"))

    op.drop_table("zone_rules")
    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_levels_product_id"))
        batch_op.drop_index(batch_op.f("ix_stock_levels_bin_id"))

    op.drop_table("stock_levels")
    op.drop_table("receipts")
    with op.batch_alter_table("product_barcodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_barcodes_product_id"))

    op.drop_table("product_barcodes")
    op.drop_table("pick_lists")
    op.drop_table("cycle_counts")
    with op.batch_alter_table("carrier_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_carrier_services_carrier_id"))

    op.drop_table("carrier_services")
    with op.batch_alter_table("carrier_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_carrier_accounts_carrier_id"))

    op.drop_table("carrier_accounts")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))

    op.drop_table("audit_log")
    op.drop_table("users")
    op.drop_table("stations")
    op.drop_table("site_settings")
    op.drop_table("products")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_topic"))
        batch_op.drop_index(batch_op.f("ix_outbox_status"))

    op.drop_table("outbox")
    op.drop_table("carriers")
    op.drop_table("box_types")
    with op.batch_alter_table("bins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bins_pick_sequence"))

    op.drop_table("bins")


# The audit log is append-only: UPDATE and DELETE are refused by the database itself.
_PG_GUARD_FUNCTION = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
END;
$$
"""


def _create_audit_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_GUARD_FUNCTION)
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
            )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: {verb} is not allowed'); END"
        )


def _drop_audit_guards() -> None:
    for verb in ("update", "delete"):
        op.execute(
            f"DROP TRIGGER IF EXISTS audit_log_no_{verb}"
            + (" ON audit_log" if op.get_bind().dialect.name == "postgresql" else "")
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
