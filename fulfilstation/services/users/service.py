"""``UsersService``: signing in (the only way to get an ``Actor``) and the people of the site.

Sign-in binds the actor to a station: by default this PC's (``ServiceContext.station_name``,
registered on first use), or the one named (``pack --station``).

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import User
from fulfilstation.services.actor import Actor
from fulfilstation.services.context import ServiceContext
from fulfilstation.services.stations.registry import ensure_station
from fulfilstation.services.users.sign_in import sign_in_with_badge, sign_in_with_pin


@dataclass(frozen=True)
class LoginChoice:
    """An active user as the log-in picker lists them."""

    username: str
    full_name: str
    role: str


class UsersService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context
        self._station_ids: dict[str, int] = {}

    @property
    def database(self) -> Database:
        return self._context.database

    # -- signing in

    def sign_in_with_pin(self, username: str, pin: str, station: str | None = None) -> Actor:
        """The actor, once ``pin`` is ``username``'s; SignInRefused otherwise (wrong PINs count
        towards the lock-out, at any station and in the CLI alike)."""
        return sign_in_with_pin(self.database, username, pin, self._station_id(station),
                                clock=self._context.ports.clock)

    def sign_in_with_badge(self, badge: str, station: str | None = None) -> Actor:
        return sign_in_with_badge(self.database, badge, self._station_id(station), clock=self._context.ports.clock)

    def _station_id(self, name: str | None) -> int:
        wanted = (name or self._context.station_name).strip()
        if wanted not in self._station_ids:
            self._station_ids[wanted] = ensure_station(self.database, wanted).id
        return self._station_ids[wanted]

    # -- queries

    def login_choices(self) -> list[LoginChoice]:
        """Active users, by name, for the log-in picker."""
        with self.database.unit_of_work() as session:
            rows = session.execute(select(User.username, User.full_name, User.role)
                                   .where(User.active.is_(True)).order_by(User.full_name)).all()
        return [LoginChoice(u, n, r) for u, n, r in rows]
