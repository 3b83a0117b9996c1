"""The packers' report (SQLite and PostgreSQL) on the seeded Chicago history of
``tests.support.packing_cost_history``: per packer orders, items, packages and time of the packs
completed on the site's day (a pack ending 23:30 in Chicago counts that day, one ending the
evening before does not, though it is the same UTC date), the complexity-adjusted index, and
the mistakes the station caught per packer and per product — those of packs given back on the
refusal (cancelled, as ``fulfilstation pack`` does) too; a packer may not see it."""

from __future__ import annotations

import datetime as dt

import pytest

from fulfilstation.db.database import Database
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.reports import Period
from fulfilstation.services.reports.complexity import fit_standard
from tests.support.app import app_for, sign_in
from tests.support.packing_cost_history import (
    CHICAGO,
    CNDL,
    DAY,
    LAV,
    MUG,
    OAT,
    Pack,
    at,
    back_date,
    build,
    pack_and_ship,
)
from tests.support.warehouse import make_order


def test_packers_are_measured_against_the_orders_they_had(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    build(app)
    with pytest.raises(NotAllowed):
        app.reports.packers(sign_in(app, "packer"), Period.day(DAY, CHICAGO))
    report = app.reports.packers(sign_in(app, "manager"), Period.day(DAY, CHICAGO))

    # Packs of the day, (items, distinct SKUs) → minutes: (1, 1) 4, 4, 7 — (3, 1) 9, 9 — (2, 2) 8, 8.
    # Three kinds of order for three terms: the fit goes through each kind's mean, 5, 9 and 8, so
    # a + b + c = 5, a + 3b + c = 9, a + 2b + 2c = 8 → a = 2, b = 2, c = 1.
    assert report.standard.fitted
    assert (report.standard.per_order, report.standard.per_item, report.standard.per_sku) == pytest.approx((2, 2, 1))
    figures = {p.name: p for p in report.packers}
    # Pat: A and B, one item each, 4 + 4 minutes against 5 + 5 standard → 125.
    # Sam: C (3 mugs, 2 packages) 9 min and D (2 SKUs) 8 min against 9 + 8 → 100.
    # Morgan: E 7 (ends 23:30 Chicago), F 9 (its voided first pack was the day before), G 8
    #         against 5 + 9 + 8 = 22 → 100 × 22 / 24.
    assert [p.name for p in report.packers] == ["Pat Packer", "Sam Second", "Morgan Manager"]
    pat, sam, morgan = figures["Pat Packer"], figures["Sam Second"], figures["Morgan Manager"]
    assert (pat.orders, pat.items, pat.packages, pat.minutes, pat.expected_minutes) == (2, 2, 2, pytest.approx(8),
                                                                                       pytest.approx(10))
    assert (sam.orders, sam.items, sam.packages, sam.minutes) == (2, 5, 3, pytest.approx(17))
    assert (morgan.orders, morgan.items, morgan.packages, morgan.minutes) == (3, 6, 3, pytest.approx(24))
    assert (pat.index, sam.index, morgan.index) == pytest.approx((125.0, 100.0, 100 * 22 / 24))
    # Sam packs the fewest orders an hour (2 in 17 minutes) yet ranks above Morgan (3 in 24).
    assert (sam.per_hour(sam.orders), morgan.per_hour(morgan.orders)) == pytest.approx((2 * 60 / 17, 7.5))
    assert sam.per_hour(sam.orders) < morgan.per_hour(morgan.orders) and sam.index > morgan.index
    assert pat.per_hour(pat.items) == pytest.approx(15.0) and sam.per_hour(sam.packages) == pytest.approx(3 * 60 / 17)

    # Mistakes caught, whatever became of the pack: Pat scanned the look-alike oatmeal soap for A,
    # an unknown code on B (H's unknown code was the evening before) and weighed L at half its
    # weight (L given back, cancelled): 3 per 2 items. Sam: a fourth mug on C, D's weight, refused
    # at the scale and then accepted by the manager — one weight mistake, overridden —, and the
    # lavender soap scanned for K (given back): 3 per 5 items. Morgan: G weighed at half its weight
    # (refused): 1 per 6. The cancelled packs add no orders, items or time.
    assert (pat.mistakes.wrong_item, pat.mistakes.unknown_barcode, pat.mistakes.weight, pat.mistakes.total) == (
        1, 1, 1, 3)
    assert (sam.mistakes.wrong_item, sam.mistakes.over_scan, sam.mistakes.weight, sam.mistakes.weight_overrides,
            sam.mistakes.total) == (1, 1, 1, 1, 3)
    assert (morgan.mistakes.weight, morgan.mistakes.weight_overrides, morgan.mistakes.total) == (1, 0, 1)
    assert (pat.mistakes_per_100, sam.mistakes_per_100, morgan.mistakes_per_100) == pytest.approx((150, 60, 100 / 6))
    # Per product, per 100 units packed that day: CNDL (B, D, G: 3 units) in D's, G's and L's
    # refused packages; LAV (A, D: 2) scanned wrongly for K and in D's package (overridden); OAT
    # (E, G: 2) scanned wrongly for A and in G's refused package; MUG (C, F: 6) over-scanned once.
    # CNDL, LAV and OAT are all at 100: the most mistakes first, then by SKU.
    products = [(p.sku, p.units_packed, p.mistakes.wrong_item, p.mistakes.over_scan, p.mistakes.weight,
                 p.mistakes.weight_overrides, p.per_100) for p in report.products]
    assert products == [(CNDL, 3, 0, 0, 3, 1, pytest.approx(100)), (LAV, 2, 1, 0, 1, 1, pytest.approx(100)),
                        (OAT, 2, 1, 0, 1, 0, pytest.approx(100)), (MUG, 6, 0, 1, 0, 0, pytest.approx(100 / 6))]
    assert report.unknown_barcodes == 1


def test_the_report_reads_as_tables_and_charts(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    build(app)
    report = app.reports.packers(sign_in(app, "owner"), Period.day(DAY, CHICAGO))
    packers, by_packer, by_product = report.tables()
    assert packers.rows[0][:5] == ("Pat Packer", 2, 2, 2, pytest.approx(8))
    assert "2.00 + 2.00 × items + 1.00 × distinct SKUs" in packers.note and "100 = the period's average" in packers.note
    assert by_packer.rows[1] == ("Sam Second", 5, 1, 1, 0, 0, 1, 1, pytest.approx(60))
    assert "a refusal a manager then accepted is one mistake" in by_packer.note
    assert "whatever became of the pack" in by_packer.note and "completed sessions" not in by_packer.note
    assert "leaves no record" not in by_packer.note
    assert [row[0] for row in by_product.rows] == [CNDL, LAV, OAT, MUG]
    assert "1 scans of unknown barcodes" in by_product.note
    index, mistakes = report.charts()
    assert index.categories == ("Pat Packer", "Sam Second", "Morgan Manager")
    assert index.series[0][1] == pytest.approx((125.0, 100.0, 100 * 22 / 24))
    assert mistakes.categories == (CNDL, LAV, OAT, MUG)


def test_the_days_around_count_on_their_own_local_day(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    build(app)
    manager = sign_in(app, "manager")
    before = app.reports.packers(manager, Period.day(DAY - (one := DAY - DAY.replace(day=9)), CHICAGO))
    # The evening before: H (Pat, 20:00 Chicago = 02:00 UTC on DAY) and F's first pack (Morgan).
    assert {(p.name, p.orders, p.mistakes.unknown_barcode) for p in before.packers} == {
        ("Pat Packer", 1, 1), ("Morgan Manager", 1, 0)}
    assert not before.standard.fitted and before.standard.per_order == pytest.approx(6.5)  # (4 + 9) / 2
    after = app.reports.packers(manager, Period.day(DAY + one, CHICAGO))
    assert [(p.name, p.orders) for p in after.packers] == [("Pat Packer", 1)]  # I; E (05:30 UTC) was DAY's
    three = app.reports.packers(manager, Period(DAY - one, DAY + one, CHICAGO))
    assert sum(p.orders for p in three.packers) == 10


def test_a_pack_too_short_to_time_counts_but_is_not_timed(seeded_database: Database) -> None:
    """J: Pat packs a candle on DAY in half a second (shipped in one go). It counts in Pat's orders,
    items and packages, not in the minutes, the rates, the fit or the index: without the rule
    Pat's 3 orders in 8.008 minutes would be 22.5 an hour and the fit would move."""
    app = app_for(seeded_database)
    build(app)
    quick = Pack("J", "packer", (("BOX-S", ((CNDL, 1),)),), 0, at(DAY, 17), 500)
    number = make_order(app.shipping.database, [(CNDL, 1)], service="ups/ground")
    shipment_id, session_id = pack_and_ship(app, sign_in(app, "packer"), sign_in(app, "manager"), number, quick)
    back_date(app, quick, shipment_id, session_id, duration=dt.timedelta(milliseconds=500))
    report = app.reports.packers(sign_in(app, "manager"), Period.day(DAY, CHICAGO))
    assert (report.standard.per_order, report.standard.per_item, report.standard.per_sku) == pytest.approx((2, 2, 1))
    pat = next(p for p in report.packers if p.name == "Pat Packer")
    assert (pat.orders, pat.items, pat.packages, pat.untimed) == (3, 3, 3, 1)
    assert (pat.minutes, pat.expected_minutes, pat.index) == pytest.approx((8, 10, 125))
    assert (pat.orders_per_hour, pat.items_per_hour, pat.packages_per_hour) == pytest.approx((15, 15, 15))
    assert pat.mistakes_per_100 == pytest.approx(100)  # its items count: 3 mistakes per 3 items
    packers = report.tables()[0]
    assert packers.rows[0] == ("Pat Packer", 3, 3, 3, pytest.approx(8), pytest.approx(15), pytest.approx(15),
                               pytest.approx(15), pytest.approx(10), pytest.approx(125), 1)
    assert "shorter than 10 s (too short to time)" in packers.note
    sam = next(p for p in report.packers if p.name == "Sam Second")
    assert sam.untimed == 0 and sam.orders_per_hour == pytest.approx(2 * 60 / 17)


def test_the_fit_never_makes_a_term_negative() -> None:
    # More items taking less time would be a negative per-item term: it is held at 0.
    standard = fit_standard([(1, 1, 10.0), (2, 1, 6.0), (3, 1, 2.0), (1, 2, 11.0)])
    assert standard.fitted and standard.per_item == 0.0 and min(standard.per_order, standard.per_sku) >= 0.0
    assert fit_standard([(2, 1, 6.0), (2, 1, 8.0)]) == type(standard)(7.0, 0.0, 0.0, fitted=False)
