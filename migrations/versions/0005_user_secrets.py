"""Job secrets: ``user_secrets``.

An owner issues a user a secret for unattended jobs (imports, shop sync); the secret lives
only in the OS keyring of the machine that runs the job, and here only its SHA-256 digest
(unique: one indexed look-up signs the job in), with who issued it, when it was last used
and who revoked it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision: str = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_secrets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("secret_digest", sa.String(length=64), nullable=False),
        sa.Column("keyring_name", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_secrets_user_id_users")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_user_secrets_created_by_id_users")),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["users.id"], name=op.f("fk_user_secrets_revoked_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_secrets")),
        sa.UniqueConstraint("secret_digest", name=op.f("uq_user_secrets_secret_digest")),
    )
    op.create_index(op.f("ix_user_secrets_user_id"), "user_secrets", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_user_secrets_user_id"), table_name="user_secrets")
    op.drop_table("user_secrets")
