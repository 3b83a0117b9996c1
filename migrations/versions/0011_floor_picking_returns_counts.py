"""The warehouse floor (issue #13): pick confirmation, graded returns, reconciled cycle
counts, replenishment and slotting.

* ``pick_lists.description`` / ``by_zone``; ``pick_list_lines.short_quantity`` (found missing
  at the bin), ``picked_by_id`` / ``picked_at``.
* ``orders.refund_due``: returned units received, money still owed.
* ``rmas``: who received it, when every unit was graded, the return label and its carrier,
  the refund value; ``rma_lines.reason_code`` and ``quantity_graded``; ``rma_units``: one row
  per inspected unit (grade, action, bin).
* ``cycle_counts``: approval and the accuracy figures; ``cycle_count_lines.system_quantity``
  (the system's figure at the moment of the count) and ``posted_quantity``.
* ``products.abc_class``, ``supplier``, ``lead_time_days``, ``cost_minor``.
* ``slotting_moves``: proposed moves of fast movers a manager accepts or rejects.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GRADES = ("like-new", "opened", "damaged", "defective", "wrong-item")
_ACTIONS = ("restock", "quarantine", "dispose")
_SLOTTING = ("proposed", "accepted", "rejected", "stale")


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _when() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _zero(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=False, server_default="0")


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refund_due", sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table("pick_lists", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("by_zone", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("pick_list_lines", schema=None) as batch_op:
        batch_op.add_column(_zero("short_quantity"))
        batch_op.add_column(sa.Column("picked_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("picked_at", _when(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_pick_list_lines_picked_by_id_users"), "users",
                                    ["picked_by_id"], ["id"])
        batch_op.create_check_constraint(
            "short_within", "short_quantity >= 0 AND picked_quantity + short_quantity <= quantity")

    with op.batch_alter_table("rmas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("received_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("processed_at", _when(), nullable=True))
        batch_op.add_column(sa.Column("return_carrier_code", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("return_label", sa.Text(), nullable=True))
        batch_op.add_column(_zero("refund_minor"))
        batch_op.create_foreign_key(batch_op.f("fk_rmas_received_by_id_users"), "users", ["received_by_id"], ["id"])
    with op.batch_alter_table("rma_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_code", sa.String(length=32), nullable=True))
        batch_op.add_column(_zero("quantity_graded"))
        batch_op.create_check_constraint(
            "graded_within", "quantity_graded >= 0 AND quantity_graded <= quantity_received")
    op.create_table(
        "rma_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rma_line_id", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("bin_id", sa.Integer(), nullable=True),
        sa.Column("serial_number", sa.String(length=64), nullable=True),
        sa.Column("lot_code", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("graded_by_id", sa.Integer(), nullable=True),
        sa.Column("graded_at", _when(), nullable=False),
        sa.CheckConstraint(_in("grade", _GRADES), name=op.f("ck_rma_units_grade")),
        sa.CheckConstraint(_in("action", _ACTIONS), name=op.f("ck_rma_units_action")),
        sa.ForeignKeyConstraint(["rma_line_id"], ["rma_lines.id"], name=op.f("fk_rma_units_rma_line_id_rma_lines"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["bin_id"], ["bins.id"], name=op.f("fk_rma_units_bin_id_bins")),
        sa.ForeignKeyConstraint(["graded_by_id"], ["users.id"], name=op.f("fk_rma_units_graded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rma_units")),
    )
    op.create_index(op.f("ix_rma_units_rma_line_id"), "rma_units", ["rma_line_id"], unique=False)

    with op.batch_alter_table("cycle_counts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("needs_approval", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("approved_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("approved_at", _when(), nullable=True))
        batch_op.add_column(_zero("lines_counted"))
        batch_op.add_column(_zero("lines_exact"))
        batch_op.add_column(_zero("units_variance"))
        batch_op.add_column(_zero("value_variance_minor"))
        batch_op.create_foreign_key(batch_op.f("fk_cycle_counts_approved_by_id_users"), "users",
                                    ["approved_by_id"], ["id"])
    with op.batch_alter_table("cycle_count_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("system_quantity", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("posted_quantity", sa.Integer(), nullable=True))

    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("abc_class", sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column("supplier", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("lead_time_days", sa.Integer(), nullable=False, server_default="14"))
        batch_op.add_column(_zero("cost_minor"))

    op.create_table(
        "slotting_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("from_bin_id", sa.Integer(), nullable=False),
        sa.Column("to_bin_id", sa.Integer(), nullable=False),
        sa.Column("lot_code", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("units_shipped", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", _when(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", _when(), nullable=True),
        sa.Column("stock_move_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(_in("status", _SLOTTING), name=op.f("ck_slotting_moves_status")),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_slotting_moves_quantity_positive")),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_slotting_moves_product_id_products")),
        sa.ForeignKeyConstraint(["from_bin_id"], ["bins.id"], name=op.f("fk_slotting_moves_from_bin_id_bins")),
        sa.ForeignKeyConstraint(["to_bin_id"], ["bins.id"], name=op.f("fk_slotting_moves_to_bin_id_bins")),
        sa.ForeignKeyConstraint(["proposed_by_id"], ["users.id"], name=op.f("fk_slotting_moves_proposed_by_id_users")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_slotting_moves_decided_by_id_users")),
        sa.ForeignKeyConstraint(["stock_move_id"], ["stock_moves.id"],
                                name=op.f("fk_slotting_moves_stock_move_id_stock_moves")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slotting_moves")),
    )
    op.create_index(op.f("ix_slotting_moves_product_id"), "slotting_moves", ["product_id"], unique=False)
    op.create_index(op.f("ix_slotting_moves_status"), "slotting_moves", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_slotting_moves_status"), table_name="slotting_moves")
    op.drop_index(op.f("ix_slotting_moves_product_id"), table_name="slotting_moves")
    op.drop_table("slotting_moves")
    with op.batch_alter_table("products", schema=None) as batch_op:
        for column in ("cost_minor", "lead_time_days", "supplier", "abc_class"):
            batch_op.drop_column(column)
    with op.batch_alter_table("cycle_count_lines", schema=None) as batch_op:
        batch_op.drop_column("posted_quantity")
        batch_op.drop_column("system_quantity")
    with op.batch_alter_table("cycle_counts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_cycle_counts_approved_by_id_users"), type_="foreignkey")
        for column in ("value_variance_minor", "units_variance", "lines_exact", "lines_counted", "approved_at",
                       "approved_by_id", "needs_approval", "description"):
            batch_op.drop_column(column)
    op.drop_index(op.f("ix_rma_units_rma_line_id"), table_name="rma_units")
    op.drop_table("rma_units")
    with op.batch_alter_table("rma_lines", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_rma_lines_graded_within"), type_="check")
        batch_op.drop_column("quantity_graded")
        batch_op.drop_column("reason_code")
    with op.batch_alter_table("rmas", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_rmas_received_by_id_users"), type_="foreignkey")
        for column in ("refund_minor", "return_label", "return_carrier_code", "processed_at", "received_by_id"):
            batch_op.drop_column(column)
    with op.batch_alter_table("pick_list_lines", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_pick_list_lines_short_within"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_pick_list_lines_picked_by_id_users"), type_="foreignkey")
        batch_op.drop_column("picked_at")
        batch_op.drop_column("picked_by_id")
        batch_op.drop_column("short_quantity")
    with op.batch_alter_table("pick_lists", schema=None) as batch_op:
        batch_op.drop_column("by_zone")
        batch_op.drop_column("description")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("refund_due")
