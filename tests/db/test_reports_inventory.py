"""The inventory and returns report (SQLite and PostgreSQL) over a hand-made history in a site
whose day is Chicago's, not UTC's: accuracy from the counts' own figures, ABC class sizes by
shipped value, stock-outs and backorders now, return rate and reasons by product, return
processing time (median, p90). The expectations are worked out in
``tests/support/inventory_history.seed_history``'s docstring."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fulfilstation.db.database import Database
from fulfilstation.services.app import AppServices
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.reports import ReportSettings
from tests.support.app import app_for, sign_in
from tests.support.inventory_history import DAY, MUG, OUT, PEN, TEA, ZONE, History, seed_history


def chicago_app(database: Database) -> tuple[AppServices, History]:
    app = app_for(database)
    app.reports.set_settings(sign_in(app, "owner"), ReportSettings(time_zone=ZONE))
    return app, seed_history(database)


def test_the_days_figures_are_the_sites_local_day(seeded_database: Database) -> None:
    app, history = chicago_app(seeded_database)
    report = app.reports.inventory(sign_in(app, "manager"), app.reports.period(DAY, DAY))
    assert report.title == "Inventory and returns"

    accuracy = report.accuracy
    assert (accuracy.counts, accuracy.lines_counted, accuracy.lines_exact, accuracy.percent) == (2, 20, 16, 80.0)
    assert (accuracy.units_variance, accuracy.value_variance_minor) == (7, 1800)
    assert [(d.day, d.counts, d.lines_counted, d.lines_exact, d.percent) for d in report.accuracy_by_day] == [
        (DAY, 2, 20, 16, 80.0)]

    assert [(s.abc_class, s.products, s.shipped_value_minor, s.share_percent) for s in report.abc] == [
        ("A", 1, 4000, 42.1), ("B", 1, 5000, 52.6), ("C", 44, 500, 5.3)]  # 45 demo products + OUT, all active

    assert [(r.sku, r.units_shipped, r.units_returned, r.rate_percent) for r in report.return_rates] == [
        (TEA, 1, 1, 100.0), (PEN, 2, 1, 50.0), (MUG, 4, 1, 25.0)]
    assert [(r.sku, r.reason, r.units) for r in report.product_reasons] == [
        (MUG, "damaged-in-transit", 1), (PEN, "wrong-item", 1), (TEA, "defective", 1)]
    assert [(r.reason, r.units, r.rmas) for r in report.reasons][:3] == [
        ("damaged-in-transit", 1, 1), ("defective", 1, 1), ("wrong-item", 1, 1)]
    assert all(r.units == 0 for r in report.reasons[3:])

    assert (report.processing.rmas, report.processing.median_hours, report.processing.p90_hours) == (3, 24.0, 71.0)

    assert [(s.sku, s.available, s.orders, s.units_wanted, s.backorders) for s in report.stock_outs] == [
        (OUT, 0, 2, 3, 1)]
    assert [(b.number, b.ordered, b.ship_by, b.units, b.skus) for b in report.open_backorders] == [
        (history.backorder, DAY, dt.date(2026, 11, 12), 2, OUT), (history.remainder, DAY, None, 1, PEN)]
    assert (report.backordered, report.split_remainders) == (1, 1)


def test_tables_and_charts_carry_the_figures(seeded_database: Database) -> None:
    app, _history = chicago_app(seeded_database)
    report = app.reports.inventory(sign_in(app, "owner"), app.reports.period(DAY, DAY))
    tables = {table.title: table for table in report.tables()}
    assert tables["Inventory accuracy"].rows == ((2, 20, 16, 80.0, 7, Decimal("18.00")),)
    assert tables["ABC classes"].rows[0] == ("A", 1, Decimal("40.00"), 42.1)
    assert tables["Return processing time"].rows == ((3, 24.0, 71.0),)
    assert tables["Stock-outs and backorders"].rows == (
        ("Products out of stock with orders waiting (now)", 1), ("Backorders open (now)", 2),
        ("Orders that went to backorder in the period", 1), ("Remainders of split orders created in the period", 1))
    top = tables["Return rate by product"].rows[0]
    assert (top[0], top[2:]) == (TEA, (1, 1, 100.0))
    charts = {chart.title: chart for chart in report.charts()}
    assert charts["Inventory accuracy by day"].categories == ("2026-11-10",)
    assert charts["Inventory accuracy by day"].series == (("Accuracy", (80.0,)),)
    reasons = charts["Return reasons"]
    assert reasons.categories[:3] == ("Damaged in transit", "Defective", "Wrong item sent")
    assert reasons.series[0][1][:4] == (1.0, 1.0, 1.0, 0.0)


def test_a_longer_period_splits_accuracy_by_local_day(seeded_database: Database) -> None:
    app, _history = chicago_app(seeded_database)
    report = app.reports.inventory(sign_in(app, "manager"), app.reports.period(DAY - dt.timedelta(days=1), DAY))
    assert [(d.day, d.counts, d.lines_counted, d.lines_exact, d.percent) for d in report.accuracy_by_day] == [
        (DAY - dt.timedelta(days=1), 1, 4, 0, 0.0), (DAY, 2, 20, 16, 80.0)]
    assert report.accuracy.percent == round(100 * 16 / 24, 1)
    # MUG ×6 shipped late on the 9th (Chicago) counts now: 10 units, 1 returned.
    assert [(r.sku, r.units_shipped, r.units_returned) for r in report.return_rates if r.sku == MUG] == [(MUG, 10, 1)]
    # the RMA processed late on the 9th (24 h) joins: 2, 24, 24, 71 → median 24, p90 (rank ⌈3.6⌉ = 4th) 71
    assert (report.processing.rmas, report.processing.median_hours, report.processing.p90_hours) == (4, 24.0, 71.0)
    # the order audited early on the 10th UTC (the 9th here) went to backorder in this period
    assert report.backordered == 2


def test_in_utc_the_same_history_falls_on_other_days(seeded_database: Database) -> None:
    app, _history = chicago_app(seeded_database)
    app.reports.set_settings(sign_in(app, "owner"), ReportSettings(time_zone="UTC"))
    report = app.reports.inventory(sign_in(app, "manager"), app.reports.period(DAY, DAY))
    # UTC's 10th: the counts completed at 05:00 and 14:00 (4/0 and 10/9); MUG 4 + 6 shipped, TEA voided
    assert (report.accuracy.counts, report.accuracy.lines_counted, report.accuracy.lines_exact) == (2, 14, 9)
    assert {(r.sku, r.units_shipped) for r in report.return_rates} == {(MUG, 10)}


def test_only_managers_and_owners_see_it(seeded_database: Database) -> None:
    app, _history = chicago_app(seeded_database)
    with pytest.raises(NotAllowed):
        app.reports.inventory(sign_in(app, "packer"), app.reports.period(DAY, DAY))


def test_money_in_another_currency_than_the_sites_is_left_out_and_said(seeded_database: Database) -> None:
    app, _history = chicago_app(seeded_database)  # the history's orders and products are in USD
    app.reports.set_settings(sign_in(app, "owner"), ReportSettings(time_zone=ZONE, currency="EUR"))
    report = app.reports.inventory(sign_in(app, "manager"), app.reports.period(DAY, DAY))
    tables = {table.title: table for table in report.tables()}
    assert tables["Inventory accuracy"].rows == ((2, 20, 16, 80.0, 7, None),)  # not 18.00 under a EUR heading
    assert "priced in USD, not EUR" in tables["Inventory accuracy"].note
    assert all(share.shipped_value_minor == 0 for share in report.abc)
    assert report.other_currency_orders > 0
    assert f"{report.other_currency_orders} shipped order" in tables["ABC classes"].note
    assert [(r.sku, r.units_shipped) for r in report.return_rates][:1] == [(TEA, 1)]  # units still count
