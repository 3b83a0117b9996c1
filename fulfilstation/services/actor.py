"""``Actor``: who is acting, where — produced only by sign-in — and the one role check.

Invariants:

* An ``Actor`` is made only by ``fulfilstation.services.users`` when a PIN, a badge or a
  job secret has been verified (``signed_in``); constructing one otherwise raises. Every
  use case that changes data takes one, checks it with ``authorize`` before touching the
  database, and names it in the audit log.
* ``authorize`` is the only role check in the house (the rules are
  ``fulfilstation.domain.roles``). ``use_case`` applies it to a service method and, unless
  the method is on the packer's hot path (``fresh=False``), also confirms in the database
  that the user is still active with the same role, so a deactivated or demoted user is
  refused everywhere at once, not only at the next sign-in.
* ``use_case`` marks the method (``USE_CASE_ATTR``) so the role-matrix test can find every
  mutating use case and fail when one is not covered.
* A use case reports what it changed: the tables its committed transactions touched are
  published (``services.changes.Changes``) to the area's hub when it returns normally.

Threading: immutable values and pure checks; ``confirm`` blocks on one short read.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from sqlalchemy import select

from fulfilstation.db.change_recorder import committed_here
from fulfilstation.db.database import Database
from fulfilstation.db.models import User
from fulfilstation.domain.enums import Role
from fulfilstation.domain.roles import ROLE_NAMES, Permission, allows, who_may
from fulfilstation.services.changes import ChangeHub, Changes
from fulfilstation.services.refused import NotAllowed

USE_CASE_ATTR = "__use_case__"
_SIGNED_IN = object()  # the proof only sign-in holds


@dataclass(frozen=True)
class Actor:
    """A signed-in person at a station (``station_id`` None: no station, e.g. a job)."""

    user_id: int
    username: str
    full_name: str
    role: Role
    station_id: int | None
    method: str  # "pin", "badge" or "secret": how they proved who they are
    _proof: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._proof is not _SIGNED_IN:
            raise TypeError("an Actor is made by signing in (fulfilstation.services.users), not by hand")

    def may(self, permission: Permission) -> bool:
        return allows(self.role, permission)

    @property
    def first_name(self) -> str:
        return self.full_name.split()[0] if self.full_name.strip() else self.username


def signed_in(user_id: int, username: str, full_name: str, role: str, station_id: int | None,
              method: str) -> Actor:
    """The actor of a verified sign-in. Call only after the PIN, badge or secret checked out."""
    return Actor(user_id, username, full_name, Role(role), station_id, method, _SIGNED_IN)


def authorize(actor: object, permission: Permission, doing: str) -> Actor:
    """``actor`` if it may do ``permission``; else NotAllowed saying who may ``doing``."""
    if not isinstance(actor, Actor):
        raise NotAllowed(f"Sign in first: only {who_may(permission)} can {doing}.")
    if not actor.may(permission):
        raise NotAllowed(f"{actor.full_name} is {ROLE_NAMES[actor.role]}: only {who_may(permission)} can "
                         f"{doing}. Ask one to do it, or to sign in here.")
    return actor


def confirm(database: Database, actor: Actor) -> None:
    """NotAllowed unless the actor's user is still active and still has the role they signed in with."""
    with database.unit_of_work() as session:
        row = session.execute(select(User.active, User.role).where(User.id == actor.user_id)).first()
    if row is None or not row[0]:
        raise NotAllowed(f"{actor.full_name} is no longer an active user here: sign in again, or ask an owner.")
    if row[1] != actor.role.value:
        raise NotAllowed(f"{actor.full_name}'s role changed to {row[1]}: sign in again.")


@dataclass(frozen=True)
class UseCase:
    """What ``use_case`` records on a method: the permission and the words for refusals."""

    permission: Permission
    doing: str
    fresh: bool


class Area(Protocol):
    @property
    def database(self) -> Database: ...

    @property
    def changes(self) -> ChangeHub: ...


S = TypeVar("S", bound=Area)
P = ParamSpec("P")
R = TypeVar("R")


def use_case(permission: Permission, doing: str, *, fresh: bool = True) -> Callable[
        [Callable[Concatenate[S, Actor, P], R]], Callable[Concatenate[S, Actor, P], R]]:
    """Make a service method a use case: its first argument after ``self`` is the Actor,
    checked (``authorize``, and ``confirm`` when ``fresh``) before the method runs; what it
    changed is published to the area's change hub when it returns."""

    def wrap(method: Callable[Concatenate[S, Actor, P], R]) -> Callable[Concatenate[S, Actor, P], R]:
        name = method.__qualname__

        @functools.wraps(method)
        def checked(self: S, actor: Actor, /, *args: P.args, **kwargs: P.kwargs) -> R:
            authorize(actor, permission, doing)
            if fresh:
                confirm(self.database, actor)
            with committed_here() as tables:
                result = method(self, actor, *args, **kwargs)
            if tables:
                self.changes.publish(Changes(frozenset(tables), name, actor.username))
            return result

        setattr(checked, USE_CASE_ATTR, UseCase(permission, doing, fresh))
        return checked

    return wrap


def use_case_of(method: Any) -> UseCase | None:
    """The ``UseCase`` record of a (bound or plain) method, or None for a query."""
    found = getattr(method, USE_CASE_ATTR, None)
    return found if isinstance(found, UseCase) else None
