"""Badge digests become salted slow hashes (issue #15): each site gets a random
``badge_salt`` (``site_settings``), and every stored ``users.badge_digest`` — until now an
HMAC-SHA256 with a key in the source code — is stretched in place into scrypt over that
HMAC with the site's salt. The badges themselves are not needed (see ``domain.pins``).

The arithmetic is written out here rather than imported, so this migration keeps doing
what it did whatever ``domain.pins`` becomes. Downgrading cannot undo a one-way hash: it
clears every badge (they must be registered again) and removes the salt.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_N, _R, _P = 2**14, 8, 1  # scrypt's cost, as for PINs

site_settings = sa.table("site_settings", sa.column("key", sa.String), sa.column("value", sa.JSON),
                         sa.column("updated_at", sa.DateTime(timezone=True)))
users = sa.table("users", sa.column("id", sa.Integer), sa.column("badge_digest", sa.String))


def _stretched(pre_digest: str, salt: bytes) -> str:
    return hashlib.scrypt(bytes.fromhex(pre_digest), salt=salt, n=_N, r=_R, p=_P, dklen=32).hex()


def upgrade() -> None:
    connection = op.get_bind()
    stored = connection.execute(sa.select(site_settings.c.value).where(site_settings.c.key == "badge_salt")).scalar()
    if isinstance(stored, str) and stored:
        salt = bytes.fromhex(stored)
    else:
        salt = os.urandom(16)
        connection.execute(site_settings.insert().values(key="badge_salt", value=salt.hex(),
                                                         updated_at=dt.datetime.now(dt.timezone.utc)))
    rows = connection.execute(sa.select(users.c.id, users.c.badge_digest)
                              .where(users.c.badge_digest.is_not(None))).all()
    for user_id, digest in rows:
        connection.execute(users.update().where(users.c.id == user_id)
                           .values(badge_digest=_stretched(digest, salt)))


def downgrade() -> None:
    connection = op.get_bind()
    connection.execute(users.update().values(badge_digest=None))
    connection.execute(site_settings.delete().where(site_settings.c.key == "badge_salt"))
