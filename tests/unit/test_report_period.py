"""A report's period is whole days of the site's own calendar (issue #14, point 7): its UTC
bounds, daylight-saving days of 23 and 25 hours, the site-local day of an instant; the
reports' settings refuse what cannot be used and a change is audited (both engines)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.reports import DEFAULT_TARGETS, Period, PeriodRefused, ReportSettings
from fulfilstation.services.reports.percentiles import median, p90
from fulfilstation.services.reports.period import zone_named
from fulfilstation.services.site.settings import SiteSettingRefused
from tests.support.app import app_for, sign_in

CHICAGO = ZoneInfo("America/Chicago")
UTC = dt.UTC


def test_a_day_is_the_sites_local_day_in_utc_bounds() -> None:
    day = Period.day(dt.date(2026, 11, 10), CHICAGO)  # CST, UTC−6
    assert day.start_utc == dt.datetime(2026, 11, 10, 6, tzinfo=UTC)
    assert day.end_utc == dt.datetime(2026, 11, 11, 6, tzinfo=UTC)
    late_evening = dt.datetime(2026, 11, 11, 5, 30, tzinfo=UTC)  # 23:30 in Chicago on the 10th
    assert day.local_day(late_evening) == dt.date(2026, 11, 10)
    assert day.start_utc <= late_evening < day.end_utc
    assert day.local_day(dt.datetime(2026, 11, 11, 6, tzinfo=UTC)) == dt.date(2026, 11, 11)
    summer = Period.day(dt.date(2026, 7, 1), CHICAGO)  # CDT, UTC−5
    assert summer.start_utc == dt.datetime(2026, 7, 1, 5, tzinfo=UTC)


def test_daylight_saving_days_are_23_and_25_hours() -> None:
    spring = Period.day(dt.date(2026, 3, 8), CHICAGO)  # clocks go forward at 02:00
    assert spring.end_utc - spring.start_utc == dt.timedelta(hours=23)
    autumn = Period.day(dt.date(2026, 11, 1), CHICAGO)  # clocks go back at 02:00
    assert autumn.end_utc - autumn.start_utc == dt.timedelta(hours=25)
    assert autumn.start_utc == dt.datetime(2026, 11, 1, 5, tzinfo=UTC)  # midnight was still CDT
    assert autumn.end_utc == dt.datetime(2026, 11, 2, 6, tzinfo=UTC)
    week = Period(dt.date(2026, 3, 2), dt.date(2026, 3, 8), CHICAGO)
    assert week.end_utc - week.start_utc == dt.timedelta(days=7, hours=-1)
    assert len(week.days) == 7 and week.label() == "2026-03-02 – 2026-03-08"


def test_an_instant_in_epoch_seconds_falls_on_the_sites_day() -> None:
    chicago = ZoneInfo("America/Chicago")
    period = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 2), chicago)  # the 1st is 25 hours long
    day_of = period.day_of_epoch()
    midnight = dt.datetime(2026, 11, 2, tzinfo=chicago).timestamp()  # 06:00 UTC
    assert day_of(midnight) == dt.date(2026, 11, 2)
    assert day_of(midnight - 0.00001) == dt.date(2026, 11, 2)  # SQLite's julianday of 00:00:00: the same day
    assert day_of(midnight - 0.001) == dt.date(2026, 11, 1)  # a millisecond before: the day before
    assert day_of(dt.datetime(2026, 11, 1, 23, 59, tzinfo=chicago).timestamp()) == dt.date(2026, 11, 1)
    assert day_of(dt.datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=chicago).timestamp()) == dt.date(2026, 11, 1)
    assert day_of(dt.datetime(2026, 11, 1, 5, 0, tzinfo=dt.UTC).timestamp()) == dt.date(2026, 11, 1)  # 00:00 CDT


def test_last_days_and_refused_periods() -> None:
    month = Period.last_days(30, dt.date(2026, 11, 10), CHICAGO)
    assert (month.first, month.last) == (dt.date(2026, 10, 12), dt.date(2026, 11, 10))
    assert Period.last_days(1, dt.date(2026, 11, 10), CHICAGO) == Period.day(dt.date(2026, 11, 10), CHICAGO)
    with pytest.raises(PeriodRefused, match="ends .* before it starts"):
        Period(dt.date(2026, 11, 10), dt.date(2026, 11, 9), CHICAGO)
    with pytest.raises(PeriodRefused, match="not a time zone"):
        zone_named("Mars/Olympus")
    with pytest.raises(PeriodRefused, match="9999-12-31 is outside the days reports cover"):
        Period.day(dt.date(9999, 12, 31), CHICAGO)  # its end would be past the last representable day
    assert Period.day(dt.date(9998, 12, 31), CHICAGO).end_utc.year == 9999


def test_median_and_nearest_rank_p90() -> None:
    assert median([]) is None and p90([]) is None
    assert median([5.0, 40.0, 10.0, 20.0]) == 15.0  # mean of the two middle values
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert p90([5.0, 40.0, 10.0, 20.0]) == 40.0  # rank ⌈3.6⌉ = 4
    assert p90([float(n) for n in range(1, 11)]) == 9.0  # rank ⌈9⌉ = 9
    assert p90([float(n) for n in range(1, 12)]) == 10.0  # rank ⌈9.9⌉ = 10
    assert p90([7.0]) == 7.0


def test_settings_refuse_what_cannot_be_used_and_audit_a_change(seeded_database: Database) -> None:
    database = seeded_database
    app = app_for(database)
    owner = sign_in(app, "owner")
    assert app.reports.settings().targets == DEFAULT_TARGETS
    refusals = [
        (ReportSettings(time_zone="Mars/Olympus"), "not a time zone"),
        (ReportSettings(time_zone="UTC", targets={"lunch": 30}), "not lunch"),
        (ReportSettings(time_zone="UTC", targets={"ready": 0}), "whole minutes from 1 to 43200"),
        (ReportSettings(time_zone="UTC", targets={"picked": 43201}), "whole minutes from 1 to 43200"),
        (ReportSettings(time_zone="UTC", labour_rate_minor=-1), "cannot be negative"),
        (ReportSettings(time_zone="UTC", currency="DOLLARS"), "three-letter ISO 4217 code"),
    ]
    for settings, words in refusals:
        with pytest.raises(SiteSettingRefused, match=words):
            app.reports.set_settings(owner, settings)
    with pytest.raises(NotAllowed):
        app.reports.set_settings(sign_in(app, "manager"), ReportSettings(time_zone="UTC"))
    with database.unit_of_work() as session:
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "site.reports_changed")).all() == []

    stored = app.reports.set_settings(owner, ReportSettings(time_zone="America/Chicago", targets={"ready": 45},
                                                            labour_rate_minor=1800, currency="usd"))
    assert stored.targets == {**DEFAULT_TARGETS, "ready": 45} and stored.currency == "USD"
    assert app.reports.settings() == stored
    with database.unit_of_work() as session:
        (entry,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "site.reports_changed")).all()
        assert entry.user_id == owner.user_id
        assert "America/Chicago" in str(entry.details)
