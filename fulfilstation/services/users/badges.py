"""The site's badge salt, and a badge's digest at this site (see ``domain.pins``).

Invariant: one salt per database, made by migration 0015 and never changed (changing it
would orphan every registered badge). A database made before that migration never
reaches the app without it (the app refuses an old schema), but ``badge_salt`` still
makes one if the row is missing, settling two stations doing so at once by the key's
uniqueness: the loser reads the winner's.

Threading: blocking (database, plus one scrypt — tens of milliseconds — per digest).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.db.models import SiteSetting
from fulfilstation.domain.pins import badge_digest, new_badge_salt

BADGE_SALT_KEY = "badge_salt"


def badge_salt(session: Session) -> bytes:
    """This site's badge salt (made now if missing)."""
    stored = session.scalar(select(SiteSetting.value).where(SiteSetting.key == BADGE_SALT_KEY))
    if isinstance(stored, str) and stored:
        return bytes.fromhex(stored)
    salt = new_badge_salt()
    try:
        with session.begin_nested():
            session.add(SiteSetting(key=BADGE_SALT_KEY, value=salt.hex()))
    except IntegrityError:
        stored = session.scalar(select(SiteSetting.value).where(SiteSetting.key == BADGE_SALT_KEY))
        return bytes.fromhex(str(stored))
    return salt


def site_badge_digest(session: Session, badge: str) -> str:
    """The digest ``badge`` is stored and found by at this site."""
    return badge_digest(badge, badge_salt(session))
