"""The first owner of a new database — the one change that needs no sign-in.

Invariant: it can happen only while the database has no owner at all, and only once, even
when two people try at the same moment: the transaction inserts the site setting
``first_owner`` (a primary key) beside the user, so a second attempt fails on that key in
the database, whatever Python saw.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, SiteSetting, User
from fulfilstation.domain.enums import Role
from fulfilstation.services.users.accounts import UserInfo, UserRefused, check_full_name, check_pin, check_username

FIRST_OWNER_KEY = "first_owner"
_TAKEN = "There is already an owner: sign in as them, and add users from the Users screen or 'fulfilstation users add'."


def has_owner(database: Database) -> bool:
    with database.unit_of_work() as session:
        return session.scalar(select(User.id).where(User.role == Role.OWNER.value).limit(1)) is not None


def create_owner(database: Database, username: str, full_name: str, pin: str) -> UserInfo:
    name, full, pin_hash = check_username(username), check_full_name(full_name), check_pin(pin)
    try:
        with database.unit_of_work() as session:
            if session.scalar(select(User.id).where(User.role == Role.OWNER.value).limit(1)) is not None:
                raise UserRefused("owner-exists", _TAKEN)
            if session.scalar(select(User.id).where(User.username == name)) is not None:
                raise UserRefused("user-exists", f"There is already a user called {name!r}: choose another name.")
            session.add(SiteSetting(key=FIRST_OWNER_KEY, value={"username": name}))
            user = User(username=name, full_name=full, role=Role.OWNER.value, pin_hash=pin_hash, active=True)
            session.add(user)
            session.flush()
            session.add(AuditEntry(user_id=user.id, action="user.first_owner", entity_type="user", entity_id=user.id,
                                   details={"username": name}))
    except IntegrityError:
        raise UserRefused("owner-exists", _TAKEN) from None
    return UserInfo(name, full, Role.OWNER.value, True, True, False, None, 0)
