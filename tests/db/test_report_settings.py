"""The reports' site settings as the use case takes them (both engines): the currency is an
active ISO 4217 code (any case in, upper case stored), the labour rate at most 1,000 an hour
(1,000,000 where the unit is worth about a cent)
in that currency's whole units, an owner's only; a refusal says what to fix and stores and
audits nothing; the costs report says plainly when no labour rate is set. Also the weight
overrides listed behind the dashboard: the packages a manager accepted, who and why."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.reports import Period, ReportSettings
from fulfilstation.services.reports.costs import LABOUR_NOT_COUNTED
from fulfilstation.services.site import SiteSettingRefused
from tests.support.app import app_for, sign_in
from tests.support.report_history import ready, ship

UTC = dt.UTC


def audited(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)
                                  .where(AuditEntry.action == "site.reports_changed")) or 0)


def wanted(currency: str = "USD", rate: int = 0) -> ReportSettings:
    return ReportSettings(time_zone="America/Chicago", currency=currency, labour_rate_minor=rate)


def test_an_owner_sets_a_currency_by_its_iso_code_and_a_rate_up_to_the_ceiling(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    stored = app.reports.set_settings(owner, wanted(" eur", 100_000))  # 1,000.00 an hour: the ceiling itself
    assert (stored.currency, stored.labour_rate_minor) == ("EUR", 100_000)
    assert app.reports.settings() == stored and audited(seeded_database) == 1
    yen = app.reports.set_settings(owner, wanted("JPY", 1_200))  # no minor unit: 1,200 yen, a real wage
    assert (yen.currency, yen.labour_rate_minor) == ("JPY", 1_200)
    dong = app.reports.set_settings(owner, wanted("VND", 30_000))  # ₫30,000 an hour
    assert (dong.currency, dong.labour_rate_minor) == ("VND", 30_000)


@pytest.mark.parametrize(("currency", "rate", "message"), [
    ("ABC", 1850, "ABC is not a currency: write its three-letter ISO 4217 code, such as USD, EUR or GBP."),
    ("XAU", 1850, "XAU is not a currency: write its three-letter ISO 4217 code, such as USD, EUR or GBP."),
    ("US", 1850, "US is not a currency: write its three-letter ISO 4217 code, such as USD, EUR or GBP."),
    ("", 1850, "An empty code is not a currency: write its three-letter ISO 4217 code, such as USD, EUR or GBP."),
    ("USD", 100_001, "A labour rate of $1,000.01 an hour is more than the $1,000.00 taken: write the rate per "
                     "hour in whole units of the currency, such as 18.50."),
    ("JPY", 1_000_001, "A labour rate of ¥1,000,001 an hour is more than the ¥1,000,000 taken: write the rate "
                       "per hour in whole units of the currency, such as 18.50."),
    ("USD", -1, "The hourly labour rate cannot be negative."),
])
def test_an_unknown_currency_or_a_rate_out_of_bounds_is_refused_in_words(
        seeded_database: Database, currency: str, rate: int, message: str) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    before = app.reports.set_settings(owner, wanted("USD", 1850))
    with pytest.raises(SiteSettingRefused) as refused:
        app.reports.set_settings(owner, wanted(currency, rate))
    assert str(refused.value) == message
    assert app.reports.settings() == before and audited(seeded_database) == 1


def test_only_an_owner_changes_them(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    for who in ("manager", "packer"):
        with pytest.raises(NotAllowed):
            app.reports.set_settings(sign_in(app, who), wanted("EUR", 1850))
    assert app.reports.settings().labour_rate_minor == 0 and audited(seeded_database) == 0


def test_the_costs_note_says_when_labour_is_not_counted(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    manager, owner = sign_in(app, "manager"), sign_in(app, "owner")
    period = app.reports.period()
    unset = app.reports.costs(manager, period).tables()[0].note
    assert LABOUR_NOT_COUNTED == "Labour not counted: set the labour rate in Site settings → Reports"
    assert f"{LABOUR_NOT_COUNTED}." in unset and "per hour" not in unset
    app.reports.set_settings(owner, wanted("USD", 1850))
    counted = app.reports.costs(manager, period).tables()[0].note
    assert "× 18.50 USD per hour" in counted and LABOUR_NOT_COUNTED not in counted


def test_the_weight_overrides_list_says_order_package_weights_who_and_why(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    manager = sign_in(app, "manager")
    accepted, plain = ready(app, None), ready(app, None)
    start = dt.datetime.now(UTC) - dt.timedelta(minutes=5)
    ship(app, accepted, override=manager)  # 5 kg over, "Scale test"
    ship(app, plain)
    end = dt.datetime.now(UTC) + dt.timedelta(minutes=5)
    listed = app.shipping.weight_overrides(start, end)
    assert [(o.order_number, o.package, o.accepted_by, o.reason, o.difference_g) for o in listed] == [
        (accepted, 1, "Morgan Manager", "Scale test", 5000)]
    row = listed[0]
    assert row.min_g is not None and row.max_g is not None and row.min_g <= row.expected_g <= row.max_g
    assert row.accepted_at is not None and start <= row.accepted_at <= end
    assert app.shipping.weight_overrides(end, end + dt.timedelta(days=1)) == []
    board = app.reports.dashboard(manager)
    today = Period.day(board.today, app.reports.period().zone)
    assert board.exception("weight_overrides").count == len(
        app.shipping.weight_overrides(today.start_utc, today.end_utc))
    assert board.exception("weight_overrides").filter == "weight-overrides"
