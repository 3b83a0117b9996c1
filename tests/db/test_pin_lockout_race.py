"""Security (issue #15 point 3): the lock-out after ``MAX_ATTEMPTS`` wrong PINs bounds how
many PINs are tried, on SQLite and PostgreSQL, even when many stations guess at once.

Counting wrong PINs after the check is not enough: every guess that started before the
fifth failure was counted had already passed the "locked?" test, so twelve stations
guessing together got twelve PINs checked. A sign-in now claims its attempt first (one
conditional UPDATE: not locked, fewer than ``MAX_ATTEMPTS`` claimed) and only then checks
the PIN, so at most ``MAX_ATTEMPTS`` PINs are ever checked per lock period.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, User
from fulfilstation.services.users import SignInRefused
from fulfilstation.services.users.sign_in import LOCK_MINUTES, MAX_ATTEMPTS
from tests.support.app import PINS, app_for

GUESSERS = 12


def guess_together(database: Database, username: str, pins: list[str]) -> list[str]:
    """Each PIN tried by its own station at the same moment; what each was told."""
    stations = [app_for(database, station=f"GUESS-{n}") for n in range(len(pins))]
    start = Barrier(len(pins))

    def attempt(n: int) -> str:
        start.wait()
        try:
            stations[n].users.sign_in_with_pin(username, pins[n])
        except SignInRefused as refused:
            return f"{refused.code}: {refused}"
        return "signed in"

    with ThreadPoolExecutor(len(pins)) as pool:
        return list(pool.map(attempt, range(len(pins))))


def test_many_stations_guessing_at_once_get_at_most_five_pins_checked(seeded_database: Database) -> None:
    told = guess_together(seeded_database, "packer2", [f"90{n:02d}" for n in range(GUESSERS)])
    wrong = [m for m in told if m.startswith("wrong-pin")]
    fifth = [m for m in told if "That was the 5th in a row" in m]
    assert len(wrong) + len(fifth) == MAX_ATTEMPTS, told  # the PINs that were checked
    assert len(fifth) == 1
    refused_unchecked = [m for m in told if m.startswith("locked:") and m not in fifth]
    assert len(refused_unchecked) == GUESSERS - MAX_ATTEMPTS, told
    with seeded_database.unit_of_work() as session:
        user = session.scalars(select(User).where(User.username == "packer2")).one()
        assert user.locked_until is not None
        locks = session.scalars(select(AuditEntry).where(AuditEntry.action == "user.locked",
                                                         AuditEntry.user_id == user.id)).all()
    assert len(locks) == 1
    with pytest.raises(SignInRefused, match="locked"):  # the right PIN too, while locked
        app_for(seeded_database).users.sign_in_with_pin("packer2", PINS["packer2"])


def test_the_right_pin_among_guesses_signs_in_only_if_its_attempt_was_claimed(seeded_database: Database) -> None:
    pins = [f"80{n:02d}" for n in range(GUESSERS - 1)] + [PINS["packer2"]]
    told = guess_together(seeded_database, "packer2", pins)
    wrong_checked = [m for m in told if m.startswith("wrong-pin") or "5th in a row" in m]
    signed_in = told.count("signed in")
    # A right PIN resets the count, as it does one station at a time: at most MAX_ATTEMPTS
    # wrong PINs are checked before it and MAX_ATTEMPTS after it.
    assert len(wrong_checked) <= MAX_ATTEMPTS * (1 + signed_in), told
    assert all(m == "signed in" or m.startswith(("wrong-pin", "locked")) for m in told), told
    if signed_in == 0:  # the right PIN waited behind five wrong ones, which locked the user
        assert told[-1].startswith("locked:"), told


def test_one_login_signing_in_at_eight_stations_at_once_signs_in_at_every_one(seeded_database: Database) -> None:
    """More right PINs at once than MAX_ATTEMPTS (a shared login at the start of a shift):
    a sign-in that finds five attempts claimed waits for them instead of calling the user
    locked (that refusal hung the eight-station race test when it could not be pickled)."""
    told = guess_together(seeded_database, "packer", [PINS["packer"]] * 8)
    assert told == ["signed in"] * 8
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(User.failed_pin_attempts).where(User.username == "packer")) == 0


def test_after_the_lock_period_five_more_pins_may_be_tried(seeded_database: Database) -> None:
    guess_together(seeded_database, "packer2", [f"70{n:02d}" for n in range(GUESSERS)])
    with seeded_database.unit_of_work() as session:
        user = session.scalars(select(User).where(User.username == "packer2")).one()
        user.locked_until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)  # the period is over
    assert LOCK_MINUTES > 0
    app = app_for(seeded_database)
    assert app.users.sign_in_with_pin("packer2", PINS["packer2"]).username == "packer2"
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(User.failed_pin_attempts).where(User.username == "packer2")) == 0
