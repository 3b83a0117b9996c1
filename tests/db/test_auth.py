"""Log-in by badge and PIN, and the lock after five wrong PINs (on both engines)."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, User
from fulfilstation.services.users.sign_in import LoginRefused, login_with_badge, login_with_pin


class FixedClock:
    def __init__(self, now: dt.datetime) -> None:
        self.current = now

    def now(self) -> dt.datetime:
        return self.current


def test_badge_and_pin_log_in(seeded_database: Database) -> None:
    assert login_with_badge(seeded_database, "BADGE-0002").role == "manager"
    assert login_with_pin(seeded_database, "packer", "1111").username == "packer"
    with pytest.raises(LoginRefused, match="badge is not known"):
        login_with_badge(seeded_database, "BADGE-9999")


def test_five_wrong_pins_lock_for_five_minutes_and_are_audited(seeded_database: Database) -> None:
    clock = FixedClock(dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC))
    for _ in range(4):
        with pytest.raises(LoginRefused, match="^Wrong PIN. Try again."):
            login_with_pin(seeded_database, "packer", "0000", clock=clock)
    with pytest.raises(LoginRefused, match="locked for 5 minutes"):
        login_with_pin(seeded_database, "packer", "0000", clock=clock)
    with pytest.raises(LoginRefused, match="locked after 5 wrong PINs"):
        login_with_pin(seeded_database, "packer", "1111", clock=clock)  # even the right PIN
    with pytest.raises(LoginRefused, match="locked"):
        login_with_badge(seeded_database, "BADGE-0001", clock=clock)
    clock.current += dt.timedelta(minutes=5, seconds=1)
    assert login_with_pin(seeded_database, "packer", "1111", clock=clock).username == "packer"
    with seeded_database.unit_of_work() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions.count("user.locked") == 1


def test_a_right_pin_resets_the_count(seeded_database: Database) -> None:
    for _ in range(4):
        with pytest.raises(LoginRefused):
            login_with_pin(seeded_database, "packer", "9999")
    login_with_pin(seeded_database, "packer", "1111")
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(User.failed_pin_attempts).where(User.username == "packer")) == 0


def test_wrong_pins_from_many_stations_at_once_are_all_counted(backend: str, seeded_database: Database) -> None:
    """Counting is one conditional UPDATE: concurrent failures lose nothing."""
    def attempt(_: int) -> str:
        try:
            login_with_pin(seeded_database, "packer2", "0000")
        except LoginRefused as exc:
            return str(exc)
        return "logged in"

    with ThreadPoolExecutor(4) as pool:
        messages = list(pool.map(attempt, range(4)))
    assert all(m.startswith("Wrong PIN") for m in messages)
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(User.failed_pin_attempts).where(User.username == "packer2")) == 4
