"""``UsersService``: signing in (the only way to get an ``Actor``) and the people of the site.

Sign-in binds the actor to a station: by default this PC's (``ServiceContext.station_name``,
registered on first use), or the one named (``pack --station``). Managing users, their
PINs, badges and job secrets is an owner's (``Permission.MANAGE_USERS``); the first owner of
a new database is the one change that needs no sign-in (``create_owner``).

Threading: blocking (database, keyring); call from worker threads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.credentials import KeyringUnavailable
from fulfilstation.db.models import Station, User
from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.context import ServiceContext
from fulfilstation.services.users import accounts, first_owner, job_secrets
from fulfilstation.services.users.accounts import NewUser, UserInfo
from fulfilstation.services.users.badges import site_badge_digest
from fulfilstation.services.users.job_secrets import IssuedSecret
from fulfilstation.services.users.sign_in import SignInRefused, StationRef, sign_in_with_badge, sign_in_with_pin

_MANAGE = "manage users"


@dataclass(frozen=True)
class LoginChoice:
    """An active user as the log-in picker lists them."""

    username: str
    full_name: str
    role: str


class UsersService(AreaService):
    def __init__(self, context: ServiceContext) -> None:
        super().__init__(context)
        self._station_ids: dict[str, int] = {}  # station name -> id, once known

    # -- signing in

    def sign_in_with_pin(self, username: str, pin: str, station: str | None = None) -> Actor:
        """The actor, once ``pin`` is ``username``'s; SignInRefused otherwise (wrong PINs count
        towards the lock-out, at any station and in the CLI alike)."""
        return self._at(station, lambda ref: sign_in_with_pin(self.database, username, pin, ref,
                                                              clock=self._context.ports.clock))

    def sign_in_with_badge(self, badge: str, station: str | None = None) -> Actor:
        return self._at(station, lambda ref: sign_in_with_badge(self.database, badge, ref,
                                                                clock=self._context.ports.clock))

    def sign_in_with_secret(self, username: str, station: str | None = None) -> Actor:
        """An unattended job signs in with the job secret this machine's keyring holds for ``username``."""
        return self._at(station, lambda ref: job_secrets.sign_in_with_secret(self.database, username, ref,
                                                                             self._context.ports.secrets))

    def has_job_secret(self, username: str) -> bool:
        """Whether this machine's keyring holds a job secret for ``username`` (it may be revoked)."""
        try:
            return bool(self._context.ports.secrets.get(job_secrets.keyring_name(username.strip().lower(),
                                                                                 self.database)))
        except KeyringUnavailable:
            return False

    def _at(self, station: str | None, sign_in: Callable[[StationRef], Actor]) -> Actor:
        """Sign in at ``station`` (default: this PC's), registering a new station only when
        the sign-in succeeds; a station registered meanwhile by another PC is found on retry."""
        name = (station or self._context.station_name).strip()
        if not name:
            raise SignInRefused("no-station", "Sign-ins happen at a station: name it (station.toml's [station] "
                                "name, or --station).")

        def ref(session: Session, create: bool) -> int | None:
            if name in self._station_ids:
                return self._station_ids[name]
            found = session.scalar(select(Station.id).where(Station.name == name))
            if found is None and create:
                new = Station(name=name)
                session.add(new)
                session.flush()
                found = new.id
            return found

        for attempt in (1, 2):
            try:
                actor = sign_in(ref)
            except IntegrityError:  # the same new station registered elsewhere at this moment
                if attempt == 2:
                    raise
                continue
            if actor.station_id is not None:
                self._station_ids[name] = actor.station_id
            return actor
        raise AssertionError("unreachable")

    # -- queries

    def login_choices(self) -> list[LoginChoice]:
        """Active users, by name, for the log-in picker."""
        with self.database.unit_of_work() as session:
            rows = session.execute(select(User.username, User.full_name, User.role)
                                   .where(User.active.is_(True)).order_by(User.full_name)).all()
        return [LoginChoice(u, n, r) for u, n, r in rows]

    def badge_holder(self, badge: str) -> LoginChoice | None:
        """The active user whose badge ``badge`` is, or None. Signs nobody in and records
        nothing: the station names a badge scanned where a badge does nothing."""
        with self.database.unit_of_work() as session:
            digest = site_badge_digest(session, badge)
            row = session.execute(select(User.username, User.full_name, User.role)
                                  .where(User.badge_digest == digest, User.active.is_(True))).first()
        return None if row is None else LoginChoice(row[0], row[1], row[2])

    def list(self) -> list[UserInfo]:
        """Every user (active first) with whether they have a PIN, a badge, live job secrets."""
        return accounts.list_users(self.database)

    def has_owner(self) -> bool:
        """Whether the database has an owner (else the first-run screen asks for one)."""
        return first_owner.has_owner(self.database)

    # -- the first owner (no sign-in: only while there is no owner)

    def create_owner(self, username: str, full_name: str, pin: str) -> UserInfo:
        return first_owner.create_owner(self.database, username, full_name, pin)

    # -- an owner's use cases

    @use_case(Permission.MANAGE_USERS, _MANAGE)
    def add(self, actor: Actor, new: NewUser) -> UserInfo:
        return accounts.add_user(self.database, actor, new)

    @use_case(Permission.MANAGE_USERS, _MANAGE)
    def edit(self, actor: Actor, username: str, *, full_name: str | None = None, role: str | None = None) -> UserInfo:
        return accounts.edit_user(self.database, actor, username, full_name=full_name, role=role)

    @use_case(Permission.MANAGE_USERS, _MANAGE)
    def deactivate(self, actor: Actor, username: str) -> UserInfo:
        return accounts.set_active(self.database, actor, username, False)

    @use_case(Permission.MANAGE_USERS, _MANAGE)
    def reactivate(self, actor: Actor, username: str) -> UserInfo:
        return accounts.set_active(self.database, actor, username, True)

    @use_case(Permission.MANAGE_USERS, _MANAGE)
    def set_pin(self, actor: Actor, username: str, pin: str) -> UserInfo:
        return accounts.set_pin(self.database, actor, username, pin)

    @use_case(Permission.MANAGE_USERS, _MANAGE)
    def set_badge(self, actor: Actor, username: str, badge: str | None) -> UserInfo:
        return accounts.set_badge(self.database, actor, username, badge)

    @use_case(Permission.MANAGE_USERS, _MANAGE)
    def unlock(self, actor: Actor, username: str) -> UserInfo:
        return accounts.unlock(self.database, actor, username)

    @use_case(Permission.MANAGE_USERS, _MANAGE)
    def issue_secret(self, actor: Actor, username: str, label: str = "job") -> IssuedSecret:
        """A job secret for ``username``, kept in THIS machine's keyring only (never shown)."""
        return job_secrets.issue_secret(self.database, actor, username, label, self._context.ports.secrets)

    @use_case(Permission.MANAGE_USERS, _MANAGE)
    def revoke_secrets(self, actor: Actor, username: str, secret_id: int | None = None) -> int:
        """Revoke ``username``'s job secrets (or one); returns how many were revoked."""
        return job_secrets.revoke_secrets(self.database, actor, username, self._context.ports.secrets, secret_id)
