"""The people of the site, as an owner manages them: add, edit, deactivate, PIN, badge, unlock.

Invariants:

* PINs and badges are never stored or logged in clear (``domain.pins``); a badge belongs to
  one user (a unique digest: a refusal names who has it).
* There is always an active owner: deactivating or demoting the last one is refused. The
  change is one conditional UPDATE that requires another active owner to remain, after the
  active owners' rows are locked (``FOR UPDATE`` on PostgreSQL, where the condition is then
  re-checked against the committed rows; SQLite runs the UPDATE under its one write lock),
  so two owners removing each other at once cannot both succeed.
* Every change is one transaction with its audit entry naming the actor (never a PIN).

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import User, UserSecret
from fulfilstation.domain.enums import Role
from fulfilstation.domain.pins import hash_pin, pin_problem
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.refused import Refused
from fulfilstation.services.users.badges import site_badge_digest

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


class UserRefused(Refused):
    """A change to the people of the site that cannot be made; the message says why."""


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str
    role: str
    pin: str | None = None
    badge: str | None = None


@dataclass(frozen=True)
class UserInfo:
    """A user as the owner's Users screen and ``users list`` show them (no secrets)."""

    username: str
    full_name: str
    role: str
    active: bool
    has_pin: bool
    has_badge: bool
    locked_until: dt.datetime | None
    job_secrets: int  # not revoked

    def locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


def list_users(database: Database) -> list[UserInfo]:
    with database.unit_of_work() as session:
        secrets = (select(UserSecret.user_id, func.count().label("n")).where(UserSecret.revoked_at.is_(None))
                   .group_by(UserSecret.user_id).subquery())
        rows = session.execute(select(User, func.coalesce(secrets.c.n, 0)).outerjoin(
            secrets, secrets.c.user_id == User.id).order_by(User.active.desc(), User.full_name)).all()
        return [UserInfo(u.username, u.full_name, u.role, u.active, u.pin_hash is not None,
                         u.badge_digest is not None, u.locked_until, int(n)) for u, n in rows]


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise UserRefused("bad-username", f"{username!r} cannot be a user name: use 1 to 64 lower-case letters, "
                          "digits, dots, dashes or underscores, starting with a letter or digit (e.g. jane.doe).")
    return name


def check_full_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not 1 <= len(cleaned) <= 200:
        raise UserRefused("bad-name", "A user's full name is 1 to 200 characters (it is shown at the stations).")
    return cleaned


def check_role(role: str) -> Role:
    try:
        return Role(role.strip().lower())
    except ValueError:
        raise UserRefused("bad-role", f"{role!r} is not a role: packer, manager or owner.") from None


def check_pin(pin: str) -> str:
    problem = pin_problem(pin)
    if problem:
        raise UserRefused("bad-pin", problem)
    return hash_pin(pin)


def add_user(database: Database, actor: Actor, new: NewUser) -> UserInfo:
    username, full_name, role = check_username(new.username), check_full_name(new.full_name), check_role(new.role)
    pin_hash = check_pin(new.pin) if new.pin else None
    try:
        with database.unit_of_work() as session:
            if session.scalar(select(User.id).where(User.username == username)) is not None:
                raise UserRefused("user-exists", f"There is already a user called {username!r}: choose another "
                                  "name, or edit that user.")
            user = User(username=username, full_name=full_name, role=role.value, pin_hash=pin_hash, active=True)
            session.add(user)
            session.flush()
            if new.badge:
                _set_badge(session, user, new.badge)
            audit.record(session, actor, "user.added", "user", user.id,
                         {"username": username, "role": role.value, "pin": bool(pin_hash), "badge": bool(new.badge)})
    except IntegrityError:
        raise UserRefused("user-exists", f"There is already a user called {username!r}.") from None
    return _info(database, username)


def edit_user(database: Database, actor: Actor, username: str, *, full_name: str | None = None,
              role: str | None = None) -> UserInfo:
    with database.unit_of_work() as session:
        user = find_user(session, username)
        changes: dict[str, object] = {}
        name = check_full_name(full_name) if full_name is not None else user.full_name
        new_role = check_role(role).value if role is not None else user.role
        if name != user.full_name:
            changes["full_name"] = {"from": user.full_name, "to": name}
            user.full_name = name
        if new_role != user.role:
            changes["role"] = {"from": user.role, "to": new_role}
            if user.role == Role.OWNER.value:
                _leave_an_owner(session, user, {"role": new_role}, "take the owner role from")
            else:
                user.role = new_role
        if changes:
            audit.record(session, actor, "user.edited", "user", user.id, {"username": user.username, **changes})
    return _info(database, username)


def set_active(database: Database, actor: Actor, username: str, active: bool) -> UserInfo:
    with database.unit_of_work() as session:
        user = find_user(session, username)
        if user.active == active:
            return _info_of(session, user)
        if not active and user.role == Role.OWNER.value:
            _leave_an_owner(session, user, {"active": False}, "deactivate")
        else:
            user.active = active
        audit.record(session, actor, "user.activated" if active else "user.deactivated", "user", user.id,
                     {"username": user.username})
    return _info(database, username)


def set_pin(database: Database, actor: Actor, username: str, pin: str) -> UserInfo:
    pin_hash = check_pin(pin)
    with database.unit_of_work() as session:
        user = find_user(session, username)
        user.pin_hash, user.failed_pin_attempts, user.locked_until = pin_hash, 0, None
        audit.record(session, actor, "user.pin_set", "user", user.id, {"username": user.username})
    return _info(database, username)


def set_badge(database: Database, actor: Actor, username: str, badge: str | None) -> UserInfo:
    """Give the user ``badge`` (None or empty: take their badge away)."""
    with database.unit_of_work() as session:
        user = find_user(session, username)
        if badge and badge.strip():
            _set_badge(session, user, badge)
        else:
            user.badge_digest = None
        audit.record(session, actor, "user.badge_set" if badge else "user.badge_removed", "user", user.id,
                     {"username": user.username})
    return _info(database, username)


def unlock(database: Database, actor: Actor, username: str) -> UserInfo:
    with database.unit_of_work() as session:
        user = find_user(session, username)
        user.failed_pin_attempts, user.locked_until = 0, None
        audit.record(session, actor, "user.unlocked", "user", user.id, {"username": user.username})
    return _info(database, username)


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise UserRefused("unknown-user", f"There is no user called {username.strip()!r}: 'fulfilstation users "
                          "list' shows them.")
    return user


def _set_badge(session: Session, user: User, badge: str) -> None:
    if len(badge.strip()) < 4:
        raise UserRefused("bad-badge", "A badge code is at least 4 characters: scan the badge.")
    digest = site_badge_digest(session, badge)
    holder = session.scalar(select(User).where(User.badge_digest == digest, User.id != user.id))
    if holder is not None:
        raise UserRefused("badge-taken", f"This badge already belongs to {holder.full_name} ({holder.username}): "
                          "take it from them first, or scan another badge.")
    user.badge_digest = digest


def _leave_an_owner(session: Session, user: User, values: dict[str, object], doing: str) -> None:
    """Apply ``values`` to the owner ``user`` only if another active owner remains."""
    session.execute(select(User.id).where(User.role == Role.OWNER.value, User.active.is_(True)).with_for_update())
    others = aliased(User)
    another_owner = (select(func.count()).select_from(others).where(
        others.role == Role.OWNER.value, others.active.is_(True), others.id != user.id).scalar_subquery())
    changed = rows_changed(session, update(User).where(User.id == user.id, another_owner >= 1).values(**values)
                           .execution_options(synchronize_session=False))
    if not changed:
        raise UserRefused("last-owner", f"{user.full_name} is the only active owner: you cannot {doing} them. "
                          "Make someone else an owner first.")
    session.refresh(user)


def _info(database: Database, username: str) -> UserInfo:
    with database.unit_of_work() as session:
        return _info_of(session, find_user(session, username))


def _info_of(session: Session, user: User) -> UserInfo:
    secrets = session.scalar(select(func.count()).select_from(UserSecret).where(
        UserSecret.user_id == user.id, UserSecret.revoked_at.is_(None))) or 0
    return UserInfo(user.username, user.full_name, user.role, user.active, user.pin_hash is not None,
                    user.badge_digest is not None, user.locked_until, int(secrets))
