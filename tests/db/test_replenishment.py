"""The reorder report, its forecast, its CSV and the purchase orders made from it (SQLite and
PostgreSQL; the forecast's own rules without a database).

The forecast follows a synthetic history with a known weekly pattern and trend (weekday
forecasts above weekend ones, the second week above the first); shorter histories fall
back to Holt's trend, then simple smoothing, none to 0; forecasts never go below 0. The
report lists products at or below reorder point + safety stock, and those the forecast
runs out within their lead time, with available (sellable bins, free units), on order
(open POs) and the suggested quantity by the rule; kits and inactive products never.
One action makes one PO per supplier (no supplier: one "Unknown supplier" PO), in
Receiving, audited; afterwards the units are on order and the report suggests less."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Product, Receipt
from fulfilstation.services.app import AppServices
from fulfilstation.services.receiving import ExpectedLine, NewPurchaseOrder
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.replenishment import UNKNOWN_SUPPLIER, ReorderRow, ReplenishmentRefused
from fulfilstation.services.replenishment.forecast import (
    AVERAGE,
    DAILY_AVERAGE,
    HOLT,
    HOLT_WINTERS,
    NO_HISTORY,
    SIMPLE,
    forecast_demand,
)
from fulfilstation.services.replenishment.report import daily_history
from fulfilstation.services.stock import StockFilter
from tests.support.app import app_for, sign_in
from tests.support.shipped_history import pattern, ship_history

MUG, BOTTLE, PEN, SOCKS, KIT = "MUG-CER-350", "BTL-SS-750", "PEN-GEL-BLK", "SOCK-WL-M", "GIFT-TEA-SET"


# -- the forecast's rules (pure)

def test_the_forecast_follows_a_weekly_pattern_and_a_trend() -> None:
    end = dt.date(2026, 11, 30)  # a Monday: the forecast's first day
    history = pattern(112, base=10, slope=0.1, weekday=4, weekend=-6, end=end)
    forecast = forecast_demand(history, 14)
    assert forecast.method == HOLT_WINTERS and len(forecast.days) == 14
    days = [end + dt.timedelta(days=offset) for offset in range(14)]
    weekdays = [value for day, value in zip(days, forecast.days, strict=True) if day.weekday() < 5]
    weekends = [value for day, value in zip(days, forecast.days, strict=True) if day.weekday() >= 5]
    assert min(weekdays) > max(weekends) + 5  # the pattern's 10-unit gap, give or take
    assert sum(forecast.days[7:]) > sum(forecast.days[:7])  # the trend goes on rising
    last_week = history[-7:]
    assert sum(last_week) < sum(forecast.days[:7]) < sum(last_week) + 14  # about 0.1 more per day, per day ahead
    assert forecast.units() == int(-(-sum(forecast.days) // 1))
    assert forecast_demand(list(history), 14) is forecast  # the same history is not fitted again


def test_shorter_histories_fall_back_and_forecasts_never_go_below_zero() -> None:
    assert forecast_demand([], 10).days == (0.0,) * 10 and forecast_demand([], 10).method == NO_HISTORY
    assert forecast_demand([0, 0, 0, 0], 5).method == NO_HISTORY
    short = forecast_demand([3, 4, 5, 6, 7, 8, 9, 10], 4)
    assert short.method == HOLT and short.days[-1] > short.days[0] > 8
    tiny = forecast_demand([5, 5, 6], 3)
    assert tiny.method == SIMPLE and all(4 < value < 7 for value in tiny.days)
    falling = forecast_demand([40 - 3 * day for day in range(14)] + [0] * 7, 30)  # down to nothing
    assert all(value >= 0 for value in falling.days)
    steep = forecast_demand([30, 25, 20, 15, 10, 5, 1], 10)  # the damped trend still points below zero
    assert steep.method == HOLT and all(value >= 0 for value in steep.days) and steep.days[-1] == 0.0


def test_the_daily_history_is_zero_filled_from_the_first_shipping_day() -> None:
    today = dt.date(2026, 12, 6)
    shipped = {dt.date(2026, 12, 1): 4, dt.date(2026, 12, 4): 2}
    assert daily_history(shipped, today, 120) == [4.0, 0.0, 0.0, 2.0, 0.0, 0.0]  # through today
    assert daily_history({dt.date(2026, 1, 1): 9, dt.date(2026, 12, 5): 1}, today, 3) == [0.0, 0.0, 1.0, 0.0]
    assert daily_history({today: 3}, today, 120) == [3.0]  # what shipped today counts
    assert daily_history({}, today, 120) == []


def test_holt_winters_fits_from_three_weeks_and_shorter_histories_never_fail() -> None:
    for days in (14, 15, 16, 20, 21, 22):
        growing = forecast_demand([float(day) for day in range(1, days + 1)], 21)
        assert growing.method == (HOLT_WINTERS if days >= 21 else HOLT), days
        assert days * 0.9 < growing.per_day < days * 1.6, (days, growing.per_day)  # near the trend, not half
    steady = forecast_demand([float(day) for day in range(1, 22)], 21)  # 1 → 21 a day over three weeks
    assert 20 < steady.per_day < 30


def test_the_trend_is_damped_so_a_late_spike_is_not_projected_over_the_lead_time() -> None:
    spike = forecast_demand([1.0] * 18 + [10.0, 10.0], 21)
    assert spike.method == HOLT and 1 < spike.per_day < 23  # undamped it was 46 a day
    seasonal_spike = forecast_demand([1.0] * 19 + [10.0, 10.0], 21)
    assert seasonal_spike.method == HOLT_WINTERS and 1 < seasonal_spike.per_day < 23


def test_a_single_shipping_day_is_its_daily_average_not_a_failed_model() -> None:
    one = forecast_demand([5.0], 10)
    assert one.method == DAILY_AVERAGE and one.method != AVERAGE and one.days == (5.0,) * 10
    assert forecast_demand([5.0, 3.0], 4).method == SIMPLE


# -- the report (both engines)

def _available(app: AppServices, sku: str) -> int:
    return sum(row.available for row in app.stock.levels(StockFilter(sku=sku)) if row.bin_kind in
               ("pickable", "storage"))


def _set(database: Database, sku: str, **values: object) -> None:
    with database.unit_of_work() as session:
        session.execute(update(Product).where(Product.sku == sku).values(**values))


def _expected_suggestion(row: ReorderRow) -> int:
    return max(0, row.demand + row.safety_stock - row.position, row.reorder_point + row.safety_stock - row.position)


def test_the_reorder_report_lists_what_to_order_and_how_many(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    today = app.replenishment.today()
    mug = _available(app, MUG)
    _set(db, MUG, reorder_point=mug + 10, safety_stock=5, supplier="Acme Ceramics", lead_time_days=14)
    _set(db, BOTTLE, reorder_point=1, safety_stock=0, supplier="Acme Ceramics")  # plenty: not listed
    ship_history(db, MUG, pattern(56, base=6, slope=0.05, end=today), end=today)
    socks = _available(app, SOCKS)  # no reorder point, but ships far more than it holds in its lead time
    ship_history(db, SOCKS, [socks // 5 + 10] * 30, end=today)
    _set(db, KIT, reorder_point=1_000, safety_stock=10)  # a kit is never ordered
    _set(db, PEN, reorder_point=10_000, active=False)  # nor an inactive product
    manager = sign_in(app, "manager")
    app.receiving.create_po(manager, NewPurchaseOrder("Acme Ceramics", (ExpectedLine(MUG, 7),)))

    report = app.replenishment.report()
    skus = [row.sku for row in report.rows]
    assert MUG in skus and SOCKS in skus
    assert BOTTLE not in skus and KIT not in skus and PEN not in skus
    row = report.row(MUG)
    assert row is not None
    assert (row.available, row.on_order, row.reorder_point, row.safety_stock) == (mug, 7, mug + 10, 5)
    assert row.below_reorder_point and row.method == HOLT_WINTERS and row.supplier == "Acme Ceramics"
    history = daily_history({today - dt.timedelta(days=56 - offset): units for offset, units in
                             enumerate(pattern(56, base=6, slope=0.05, end=today)) if units}, today, 120)
    expected = forecast_demand(history, 14 + 7)
    assert row.demand == expected.units() and row.forecast_per_day == pytest.approx(expected.per_day)
    assert row.suggested == _expected_suggestion(row) > 0
    assert row.suggested >= row.reorder_point + row.safety_stock - row.position
    sock_row = report.row(SOCKS)
    assert sock_row is not None and not sock_row.below_reorder_point and sock_row.why == "runs out within lead time"
    assert sock_row.supplier == "Northwind Textiles" and sock_row.suggested == _expected_suggestion(sock_row) > 0
    assert all(r.suggested == _expected_suggestion(r) for r in report.rows)


def test_the_report_exports_as_csv(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    app = app_for(db)
    _set(db, MUG, reorder_point=10_000, supplier="Smith, Jones & Co", name='Mug "classic", 350 ml, Café crème')
    path = tmp_path / "reorder.csv"
    report = app.replenishment.report()
    umask = os.umask(0o022)
    try:
        assert app.replenishment.export(path, report) == len(report.rows) >= 1
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # readable by others, as any document (not mkstemp's 0600)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # a byte-order mark: Excel reads the accents right
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == ("sku,name,supplier,available,on_order,reorder_point,safety_stock,"
                                    "lead_time_days,forecast_per_day,method,suggested,why")
    rows = list(csv.DictReader(io.StringIO(text)))
    mug = next(r for r in rows if r["sku"] == MUG)
    assert mug["supplier"] == "Smith, Jones & Co" and mug["name"] == 'Mug "classic", 350 ml, Café crème'
    assert int(mug["suggested"]) == report.row(MUG).suggested  # type: ignore[union-attr]
    assert mug["method"] == NO_HISTORY and mug["forecast_per_day"] == "0.00"
    with pytest.raises(ReplenishmentRefused) as refused:
        app.replenishment.export(tmp_path / "no-such-folder" / "x.csv", report)
    assert "There is no folder" in refused.value.message


def _po_count(database: Database) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(Receipt)) or 0)


def test_one_action_makes_a_purchase_order_per_supplier(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    for sku, supplier in ((MUG, "Acme Ceramics"), (BOTTLE, "Acme Ceramics"), (PEN, "Inkwell Ltd"), (SOCKS, None)):
        _set(db, sku, reorder_point=_available(app, sku) + 20, safety_stock=3, supplier=supplier, lead_time_days=10)
    report = app.replenishment.report()
    wanted = {row.sku: row.suggested for row in report.rows if row.suggested > 0}
    assert {MUG, BOTTLE, PEN, SOCKS} <= set(wanted)
    before = _po_count(db)
    with pytest.raises(NotAllowed):
        app.replenishment.create_purchase_orders(sign_in(app, "packer"))
    assert _po_count(db) == before

    made = app.replenishment.create_purchase_orders(sign_in(app, "manager"))
    suppliers = [order.supplier for order in made.orders]
    assert suppliers == sorted(set(suppliers), key=lambda s: (s == UNKNOWN_SUPPLIER, s.lower()))
    assert {"Acme Ceramics", "Inkwell Ltd", UNKNOWN_SUPPLIER} <= set(suppliers)
    assert _po_count(db) == before + len(made.orders)
    acme = app.receiving.show(next(o.number for o in made.orders if o.supplier == "Acme Ceramics"))
    assert {line.sku: line.expected for line in acme.lines} == {sku: wanted[sku] for sku in wanted
                                                                if report.row(sku).supplier == "Acme Ceramics"}  # type: ignore[union-attr]
    assert acme.summary.status == "open" and acme.summary.purchase_order
    assert acme.summary.expected_date == report.today + dt.timedelta(days=10)
    open_numbers = {summary.number for summary in app.receiving.list(open_only=True)}
    assert set(made.numbers) <= open_numbers  # they show up in Receiving
    with db.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "replenishment.ordered")).one()
        assert set(entry.details["orders"]) == set(made.numbers)

    after = app.replenishment.report()  # now on order: nothing more to suggest for them
    for sku in (MUG, BOTTLE, PEN, SOCKS):
        row = after.row(sku)
        assert row is not None and row.on_order == wanted[sku] and row.suggested == 0


def test_chosen_rows_only_and_nothing_to_order_is_refused(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    _set(db, MUG, reorder_point=_available(app, MUG) + 5, supplier="Acme Ceramics")
    _set(db, PEN, reorder_point=_available(app, PEN) + 5, supplier="Inkwell Ltd")
    before = _po_count(db)
    for asked in (["NO-SUCH-SKU"], [PEN, "NO-SUCH-SKU"]):  # a typo never makes a partial order
        with pytest.raises(ReplenishmentRefused) as unknown:
            app.replenishment.create_purchase_orders(manager, asked)
        assert unknown.value.code == "unknown-product" and unknown.value.message.startswith(
            "There is no product NO-SUCH-SKU: check the SKU")
    assert _po_count(db) == before
    made = app.replenishment.create_purchase_orders(manager, [PEN.lower(), BOTTLE])
    assert [order.supplier for order in made.orders] == ["Inkwell Ltd"] and made.skipped == (BOTTLE,)
    assert app.receiving.show(made.numbers[0]).lines[0].expected == 5
    with pytest.raises(ReplenishmentRefused) as refused:
        app.replenishment.create_purchase_orders(manager, [PEN, BOTTLE])  # PEN is on order now; BOTTLE never listed
    assert refused.value.code == "nothing-to-order" and "Nothing to order (PEN-GEL-BLK, BTL-SS-750)" in \
        refused.value.message
    assert "PEN-GEL-BLK has nothing suggested" in refused.value.message
    assert "BTL-SS-750 is not on the reorder report" in refused.value.message
    assert _po_count(db) == before + 1
