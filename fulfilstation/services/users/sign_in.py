"""Signing in: a badge scan, or a user name and a PIN. The only way to get an ``Actor``.

Every PIN check is claimed first: one conditional UPDATE counts the attempt only while the
user is not locked and has fewer than ``MAX_ATTEMPTS`` attempts counted, and the PIN is
checked only when it did. So however many stations guess at once, at most ``MAX_ATTEMPTS``
PINs are checked per lock period (``tests/db/test_pin_lockout_race.py``: counting after the
check let every guess that had passed the "locked?" test through). A right PIN resets the
count; the fifth wrong one in a row locks the user for ``LOCK_MINUTES`` (count back to 0) and
is written to the audit log. While locked, no PIN is even checked. A sign-in that finds
``MAX_ATTEMPTS`` attempts claimed but no lock waits (up to ``IN_FLIGHT_WAIT_S``) for those
checks to end rather than calling the user locked: the right PIN at an eighth station at
once signs in. Every sign-in is
audited (``user.login``, with the method) at the station it happened. The station is asked
for through ``StationRef`` in the sign-in's own transaction: a station named for the first
time is registered only by a sign-in that succeeds (a refused one changes nothing but the
count of wrong PINs).

Threading: blocking (database; a PIN check costs one scrypt hash, tens of milliseconds).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, User
from fulfilstation.domain.pins import verify_pin
from fulfilstation.domain.words import plural
from fulfilstation.ports import Clock, SystemClock
from fulfilstation.services.actor import Actor, signed_in
from fulfilstation.services.refused import Refused
from fulfilstation.services.users.badges import site_badge_digest

MAX_ATTEMPTS = 5
LOCK_MINUTES = 5
IN_FLIGHT_WAIT_S = 5.0
"""How long a sign-in waits while ``MAX_ATTEMPTS`` PINs of the same user are being checked
at other stations (say one shared login signing in at eight stations at once): each of those
checks ends in a sign-in, which resets the count, or a lock, within a scrypt hash's time."""
IN_FLIGHT_POLL_S = 0.05

StationRef = Callable[[Session, bool], int | None]
"""``ref(session, create)``: the id of the station signed in at (registered first when
``create``), or None (no station, or an unknown one when not ``create``)."""


def no_station(_session: Session, _create: bool) -> None:
    return None


class SignInRefused(Refused):
    """The sign-in was refused; the message says why and what to do."""


def sign_in_with_badge(database: Database, badge: str, station: StationRef = no_station,
                       clock: Clock | None = None) -> Actor:
    with database.unit_of_work() as session:
        digest = site_badge_digest(session, badge)
        user = session.scalar(select(User).where(User.badge_digest == digest, User.active.is_(True)))
        if user is None:
            raise SignInRefused("unknown-badge", "This badge is not known. Ask a manager to register it, or sign "
                                "in with your PIN.")
        _refuse_if_locked(user, (clock or SystemClock()).now())
        station_id = station(session, True)
        session.add(AuditEntry(user_id=user.id, station_id=station_id, action="user.login",
                               details={"method": "badge"}))
        return _actor(user, station_id, "badge")


def sign_in_with_pin(database: Database, username: str, pin: str, station: StationRef = no_station,
                     clock: Clock | None = None) -> Actor:
    now = (clock or SystemClock()).now()
    with database.unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == username.strip(), User.active.is_(True)))
        if user is None:
            raise SignInRefused("unknown-user", f"There is no active user called {username.strip()!r}.")
        _refuse_if_locked(user, now)
        user_id, pin_hash = user.id, user.pin_hash
    attempt = _claim_attempt(database, user_id, now)
    waited_until = time.monotonic() + IN_FLIGHT_WAIT_S
    while attempt is None:  # locked meanwhile, or the last attempts are being checked at other stations
        with database.unit_of_work() as session:
            user = session.get_one(User, user_id)
            _refuse_if_locked(user, now)
            full_name = user.full_name
        if time.monotonic() >= waited_until:
            raise SignInRefused("busy", f"{MAX_ATTEMPTS} PINs for {full_name} are being checked at other "
                                "stations right now: try again in a moment.")
        time.sleep(IN_FLIGHT_POLL_S)  # those checks end in a sign-in (count reset) or a lock
        attempt = _claim_attempt(database, user_id, now)
    if verify_pin(pin, pin_hash):
        with database.unit_of_work() as session:
            user = session.get_one(User, user_id)
            user.failed_pin_attempts = 0
            user.locked_until = None
            station_id = station(session, True)
            session.add(AuditEntry(user_id=user.id, station_id=station_id, action="user.login",
                                   details={"method": "pin"}))
            return _actor(user, station_id, "pin")
    if attempt >= MAX_ATTEMPTS:
        _lock(database, user_id, station, now)
    raise SignInRefused("wrong-pin", "Wrong PIN. Try again.")


def _refuse_if_locked(user: User, now: dt.datetime) -> None:
    if user.locked_until is not None and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() + 59) // 60)
        raise SignInRefused("locked", f"{user.full_name} is locked after {MAX_ATTEMPTS} wrong PINs. Try again in "
                            f"{plural(minutes, 'minute')}, or ask an owner to unlock.")


def _claim_attempt(database: Database, user_id: int, now: dt.datetime) -> int | None:
    """Count one PIN attempt if the user may have one (not locked, fewer than MAX_ATTEMPTS
    counted): the attempt's number, or None. One conditional UPDATE: concurrent claims are
    serialised by the row, so no more than MAX_ATTEMPTS are ever granted per lock period."""
    with database.unit_of_work() as session:
        return session.execute(
            update(User).where(User.id == user_id, User.failed_pin_attempts < MAX_ATTEMPTS,
                               or_(User.locked_until.is_(None), User.locked_until <= now))
            .values(failed_pin_attempts=User.failed_pin_attempts + 1, locked_until=None)
            .returning(User.failed_pin_attempts)
        ).scalar_one_or_none()


def _lock(database: Database, user_id: int, station: StationRef, now: dt.datetime) -> None:
    """The last allowed attempt failed: lock the user (count back to 0), audited; raises."""
    until = now + dt.timedelta(minutes=LOCK_MINUTES)
    with database.unit_of_work() as session:
        session.execute(update(User).where(User.id == user_id).values(failed_pin_attempts=0, locked_until=until))
        session.add(AuditEntry(user_id=user_id, station_id=station(session, False), action="user.locked",
                               details={"reason": f"{MAX_ATTEMPTS} wrong PINs", "until": until.isoformat()}))
    raise SignInRefused("locked", f"Wrong PIN. That was the {MAX_ATTEMPTS}th in a row: this user is locked for "
                        f"{LOCK_MINUTES} minutes (an owner can unlock it sooner).")


def _actor(user: User, station_id: int | None, method: str) -> Actor:
    return signed_in(user.id, user.username, user.full_name, user.role, station_id, method)
