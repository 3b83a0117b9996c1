"""Signing in by badge and PIN — the only way to get an ``Actor`` — and the lock after five
wrong PINs (on both engines), through ``app.users`` as the window and the CLI sign in."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Station, User
from fulfilstation.domain.enums import Role
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices, build_services
from fulfilstation.services.context import Ports
from fulfilstation.services.refused import NotAllowed, Refused
from fulfilstation.services.users.sign_in import SignInRefused
from tests.support.app import STATION, app_for, sign_in
from tests.support.warehouse import make_order


class FixedClock:
    def __init__(self, now: dt.datetime) -> None:
        self.current = now

    def now(self) -> dt.datetime:
        return self.current


def clocked_app(database: Database, clock: FixedClock) -> AppServices:
    """The use cases as the composition root builds them, with this clock as their Clock port."""
    return build_services(database, Ports(clock=clock), STATION)


def test_badge_and_pin_sign_in(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    manager = app.users.sign_in_with_badge("BADGE-0002")
    assert manager.role == "manager" and manager.role is Role.MANAGER and manager.method == "badge"
    packer = app.users.sign_in_with_pin("packer", "1111")
    assert packer.username == "packer" and packer.method == "pin" and packer.role is Role.PACKER
    with pytest.raises(SignInRefused, match="badge is not known") as unknown:
        app.users.sign_in_with_badge("BADGE-9999")
    assert unknown.value.code == "unknown-badge" and isinstance(unknown.value, Refused)
    with pytest.raises(SignInRefused, match="no active user called 'nobody'") as nobody:
        app.users.sign_in_with_pin("nobody", "1111")
    assert nobody.value.code == "unknown-user"


def test_sign_in_binds_the_actor_to_a_station_and_is_audited_there(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)  # this PC is station PACK-T
    here = sign_in(app, "packer")
    there = app.users.sign_in_with_badge("BADGE-0002", station="PACK-FAR")  # as ``pack --station PACK-FAR``
    with db.unit_of_work() as session:
        stations = dict(session.execute(select(Station.name, Station.id)).all())
        logins = session.execute(select(AuditEntry.user_id, AuditEntry.station_id, AuditEntry.details)
                                 .where(AuditEntry.action == "user.login").order_by(AuditEntry.id)).all()
    assert (here.station_id, there.station_id) == (stations[STATION], stations["PACK-FAR"])  # registered on first use
    assert [tuple(row) for row in logins] == [(here.user_id, here.station_id, {"method": "pin"}),
                                              (there.user_id, there.station_id, {"method": "badge"})]


def test_an_actor_is_made_only_by_signing_in(seeded_database: Database) -> None:
    with pytest.raises(TypeError, match="made by signing in"):
        Actor(1, "owner", "Olive Owner", Role.OWNER, None, "pin")
    app = app_for(seeded_database)
    number = make_order(seeded_database, [("MUG-CER-350", 1)])
    with pytest.raises(NotAllowed, match="Sign in first") as refused:
        app.packing.start("packer", number)  # type: ignore[arg-type]  # a name is not an actor
    assert refused.value.code == "not-allowed"


def test_a_deactivated_or_demoted_user_is_refused_at_once(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    with db.unit_of_work() as session:
        session.execute(update(User).where(User.username == "packer").values(active=False))
        session.execute(update(User).where(User.username == "manager").values(role="packer"))
    number = make_order(db, [("MUG-CER-350", 1)])
    with pytest.raises(NotAllowed, match="no longer an active user"):
        app.packing.start(packer, number)
    with pytest.raises(NotAllowed, match="role changed to packer"):
        app.packing.start(manager, number)
    with pytest.raises(SignInRefused, match="no active user called 'packer'"):
        sign_in(app, "packer")


def test_five_wrong_pins_lock_for_five_minutes_and_are_audited(seeded_database: Database) -> None:
    clock = FixedClock(dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC))
    app = clocked_app(seeded_database, clock)
    for _ in range(4):
        with pytest.raises(SignInRefused, match="^Wrong PIN. Try again.") as wrong:
            app.users.sign_in_with_pin("packer", "0000")
        assert wrong.value.code == "wrong-pin"
    with pytest.raises(SignInRefused, match="locked for 5 minutes") as locked:
        app.users.sign_in_with_pin("packer", "0000")
    assert locked.value.code == "locked"
    with pytest.raises(SignInRefused, match="locked after 5 wrong PINs"):
        app.users.sign_in_with_pin("packer", "1111")  # even the right PIN
    with pytest.raises(SignInRefused, match="locked"):
        app.users.sign_in_with_badge("BADGE-0001")
    clock.current += dt.timedelta(minutes=5, seconds=1)
    assert app.users.sign_in_with_pin("packer", "1111").username == "packer"
    with seeded_database.unit_of_work() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        lock = session.scalars(select(AuditEntry).where(AuditEntry.action == "user.locked")).one()
        station_id = session.scalars(select(Station.id).where(Station.name == STATION)).one()
    assert actions.count("user.locked") == 1 and lock.station_id == station_id


def test_a_right_pin_resets_the_count(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    for _ in range(4):
        with pytest.raises(SignInRefused):
            app.users.sign_in_with_pin("packer", "9999")
    app.users.sign_in_with_pin("packer", "1111")
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(User.failed_pin_attempts).where(User.username == "packer")) == 0


def test_wrong_pins_from_many_stations_at_once_are_all_counted(backend: str, seeded_database: Database) -> None:
    """Counting is one conditional UPDATE: concurrent failures lose nothing."""
    stations = [app_for(seeded_database, station=f"PACK-{n}") for n in range(4)]

    def attempt(n: int) -> str:
        try:
            stations[n].users.sign_in_with_pin("packer2", "0000")
        except SignInRefused as exc:
            return str(exc)
        return "signed in"

    with ThreadPoolExecutor(4) as pool:
        messages = list(pool.map(attempt, range(4)))
    assert all(m.startswith("Wrong PIN") for m in messages), messages
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(User.failed_pin_attempts).where(User.username == "packer2")) == 4
