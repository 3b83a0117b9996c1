"""Pack session heartbeat: who holds an open pack and when it was last heard from.

``heard_at`` is moved on by the process packing (the window every 30 seconds, the
``pack`` command while it runs); a session not heard from for two minutes may be taken
over by another station or restarted. ``holder`` names the process (``window`` or ``pack``
command, host, process id) so that a second ``pack`` run at the same station is told the
order is being packed instead of sharing the session. Open sessions that exist before this
revision count as heard from now.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pack_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heard_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("holder", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pack_sessions", schema=None) as batch_op:
        batch_op.drop_column("holder")
        batch_op.drop_column("heard_at")
