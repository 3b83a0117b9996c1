"""The costs report (SQLite and PostgreSQL) on the seeded Chicago history of
``tests.support.packing_cost_history``: per order shipped on the site's day (its first shipment not
voided), label + box + packing labour at the site's hourly rate (rounded half up per order), by
carrier, service and channel; an order in another currency left out and counted; label cost
against the shipping the customer paid, with the orders where the label cost more; a packer
may not see it."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from fulfilstation.db.database import Database
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.reports import Period
from fulfilstation.services.reports.costs import labour_minor
from tests.support.app import app_for, sign_in
from tests.support.packing_cost_history import AFTER, BEFORE, CHICAGO, DAY, build

# order: (label, box, labour, total) in cents. Labour at 30.30 $/h = 50.5 cents a minute:
# A, B 4 min → 202; C 9 → 454.5 → 455; D 8 → 404; E 7 → 353.5 → 354; F 9 + 9 (its voided pack
# took time too) → 909. Boxes: POLY-S 18, S 55, M 80 (C: M + S; F: only the box shipped again).
EXPECTED = {"A": (700, 18, 202, 920), "B": (800, 55, 202, 1057), "C": (1500, 135, 455, 2090),
            "D": (900, 55, 404, 1359), "E": (600, 18, 354, 972), "F": (1100, 80, 909, 2089)}


def test_each_order_costs_its_label_boxes_and_labour(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    numbers = build(app)
    with pytest.raises(NotAllowed):
        app.reports.costs(sign_in(app, "packer"), Period.day(DAY, CHICAGO))
    report = app.reports.costs(sign_in(app, "manager"), Period.day(DAY, CHICAGO))
    by_number = {o.number: o for o in report.orders}
    # G is in EUR: left out and counted. H shipped the evening before (02:01 UTC on DAY), I the
    # day after; E at 23:31 Chicago (05:31 UTC the next day) is DAY's; F's voided label of the
    # day before does not count, its shipment again on DAY does.
    assert set(by_number) == {numbers[key] for key in EXPECTED} and report.other_currency == 1
    for key, (label, box, labour, total) in EXPECTED.items():
        order = by_number[numbers[key]]
        assert (order.label_minor, order.box_minor, order.labour_minor, order.total_minor) == (label, box, labour,
                                                                                                total), key
        assert order.shipped_on == DAY
    assert by_number[numbers["C"]].packages == 2 and by_number[numbers["F"]].packages == 1
    assert by_number[numbers["F"]].pack_minutes == pytest.approx(18)
    assert (report.total.orders, report.total.label_minor, report.total.box_minor, report.total.labour_minor,
            report.total.total_minor) == (6, 5600, 361, 2526, 8487)
    assert report.average(report.total.total_minor, 6) == Decimal("14.15")  # 14.145 half up

    groups = [(g.name, g.orders, g.label_minor, g.box_minor, g.labour_minor, g.total_minor) for g in report.by_carrier]
    assert groups == [("UPS", 4, 3000, 146, 1162, 4308), ("USPS", 2, 2600, 215, 1364, 4179)]
    assert [(g.name, g.orders, g.total_minor) for g in report.by_service] == [
        ("UPS · UPS 3 Day Select", 1, 1359), ("UPS · UPS Ground", 3, 2949), ("USPS · USPS Priority Mail", 2, 4179)]
    assert [(g.name, g.orders, g.label_minor, g.box_minor, g.labour_minor) for g in report.by_channel] == [
        ("shop", 3, 3000, 208, 859), ("test", 3, 2600, 153, 1667)]

    # Charged: A 7.00 (= label), B 5.00, C 10.00, D not said, E free shipping, F 15.00.
    assert len(report.compared) == 5
    assert [(o.number, o.label_over_charged_minor) for o in report.label_cost_more] == [
        (numbers["E"], 600), (numbers["C"], 500), (numbers["B"], 300)]


def test_the_report_reads_as_tables_and_a_chart(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    numbers = build(app)
    report = app.reports.costs(sign_in(app, "owner"), Period.day(DAY, CHICAGO))
    by_carrier, by_service, by_channel, versus, over = report.tables()
    assert by_carrier.rows == (
        ("UPS", 4, Decimal("30.00"), Decimal("1.46"), Decimal("11.62"), Decimal("43.08"), Decimal("10.77")),
        ("USPS", 2, Decimal("26.00"), Decimal("2.15"), Decimal("13.64"), Decimal("41.79"), Decimal("20.90")),
        ("All orders", 6, Decimal("56.00"), Decimal("3.61"), Decimal("25.26"), Decimal("84.87"), Decimal("14.15")))
    assert "30.30 USD per hour" in by_carrier.note and "1 shipped orders in another currency" in by_carrier.note
    assert len(by_service.rows) == 4 and len(by_channel.rows) == 3
    assert versus.rows == ((5, Decimal("47.00"), Decimal("37.00"), Decimal("10.00"), 3),)
    assert "1 shipped orders did not say" in versus.note
    assert over.rows[0] == (numbers["E"], DAY, "UPS", "UPS Ground", "test", Decimal("6.00"), Decimal("0.00"),
                            Decimal("6.00"))
    per_order = report.order_table()
    assert len(per_order.rows) == 6 and per_order.rows[0][0] == numbers["A"]
    assert per_order.rows[2][5:] == (2, pytest.approx(9), Decimal("15.00"), Decimal("1.35"), Decimal("4.55"),
                                     Decimal("20.90"), Decimal("10.00"))  # C
    (chart,) = report.charts()
    assert chart.categories == ("UPS", "USPS") and chart.unit == "USD"
    assert dict(chart.series) == {"Label": (7.5, 13.0), "Box": (0.37, 1.08), "Labour": (2.91, 6.82)}


def test_an_order_counts_on_the_local_day_of_its_first_shipment_not_voided(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    numbers = build(app)
    manager = sign_in(app, "manager")
    before = app.reports.costs(manager, Period.day(BEFORE, CHICAGO))
    assert [(o.number, o.shipped_on, o.label_minor) for o in before.orders] == [(numbers["H"], BEFORE, 500)]
    after = app.reports.costs(manager, Period.day(AFTER, CHICAGO))
    assert [o.number for o in after.orders] == [numbers["I"]]
    utc_day = app.reports.costs(manager, Period.day(DAY, ZoneInfo("UTC")))  # the same history read on UTC days
    assert numbers["H"] in {o.number for o in utc_day.orders} and numbers["E"] not in {o.number for o in utc_day.orders}


def test_labour_is_rounded_half_up_to_whole_cents() -> None:
    assert labour_minor(7 * 60, 3030) == 354 and labour_minor(9 * 60, 3030) == 455
    assert labour_minor(479.99999997, 3600) == 480 and labour_minor(0, 3030) == 0
