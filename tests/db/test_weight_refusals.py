"""Weight refusals are recorded (SQLite and PostgreSQL): a packer's weighing over or under the
range survives the refusal's rollback as a ``weight_refusals`` row — on close package and on
ship — while an unsteady scale, an empty scale and a manager's refused attempt to accept the
weight leave none; the packers' report counts the refused package once, as the weighing
packer's, and per product for what was scanned into the package when it was refused — also
when the pack was then cancelled, as ``fulfilstation pack`` does on every refusal (run here as a
real process, with a wrong item too)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Package, PackSession, WeightRefusal
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import PackRefused, Refusal, Weighing
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.reports import Period
from tests.db.test_cli import cli, plain
from tests.support.app import app_for, sign_in
from tests.support.warehouse import expected_weight, make_order, pack_view, unit_barcode

UTC = ZoneInfo("UTC")


def begin(app: AppServices, actor: Actor, lines: list[tuple[str, int]]) -> int:
    return app.packing.start(actor, make_order(app.packing.database, lines)).session_id


def refusals(database: Database) -> list[tuple[int, int | None, int, int, int, int, int, int, str]]:
    with database.unit_of_work() as session:
        return [(r.pack_session_id, r.station_id, r.user_id, r.package_sequence, r.measured_g, r.expected_g,
                 r.min_g, r.max_g, r.verdict)
                for r in session.scalars(select(WeightRefusal).order_by(WeightRefusal.id))]


def around_today() -> Period:
    today = dt.datetime.now(dt.UTC).date()
    return Period(today - dt.timedelta(days=1), today + dt.timedelta(days=1), UTC)


def test_a_refused_weight_is_recorded_though_the_refusal_changes_nothing_else(app: AppServices,
                                                                              packer: Actor) -> None:
    db = app.packing.database
    session_id = begin(app, packer, [("MUG-CER-350", 1)])
    app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350"))
    view = pack_view(db, session_id)
    expected, low, high = view.expected_g, view.expected_min_g, view.expected_max_g
    assert expected is not None and low is not None and high is not None
    with pytest.raises(PackRefused) as over:
        app.shipping.ship(packer, session_id, Weighing(expected + 400))
    assert over.value.code is Refusal.WEIGHT_OVER
    with pytest.raises(PackRefused) as under:
        app.shipping.ship(packer, session_id, Weighing(expected - 300))
    assert under.value.code is Refusal.WEIGHT_UNDER
    station = packer.station_id
    assert refusals(db) == [(session_id, station, packer.user_id, 1, expected + 400, expected, low, high, "over"),
                            (session_id, station, packer.user_id, 1, expected - 300, expected, low, high, "under")]
    # Not recorded: the scale still moving, the scale empty (nothing was put on it), a packer
    # trying to accept the weight, a manager accepting it without a reason.
    with pytest.raises(PackRefused, match="still moving"):
        app.shipping.ship(packer, session_id, Weighing(expected + 400, stable=False))
    for empty in (0, -5):
        with pytest.raises(PackRefused, match="nothing is on it"):
            app.shipping.ship(packer, session_id, Weighing(empty))
    with pytest.raises(NotAllowed):
        app.shipping.ship(packer, session_id, Weighing(expected + 400, override=packer))
    manager = sign_in(app, "manager")
    with pytest.raises(PackRefused, match="must give a reason"):
        app.shipping.ship(packer, session_id, Weighing(expected + 400, override=manager))
    assert len(refusals(db)) == 2
    with db.unit_of_work() as session:  # the refusals recorded, nothing else
        assert session.get_one(PackSession, session_id).status == "open"
        assert session.scalar(select(func.count()).select_from(Package)) == 0
    # The manager accepts it: the package records the override; the refusals stay as they were.
    app.shipping.ship(packer, session_id, Weighing(expected + 400, override=manager, reason="Extra packing material"))
    assert len(refusals(db)) == 2
    report = app.reports.packers(manager, around_today())
    (pat,) = report.packers
    # One package: refused twice, then accepted — one weight mistake, overridden, per 1 item.
    assert (pat.name, pat.items, pat.mistakes.weight, pat.mistakes.weight_overrides, pat.mistakes.total,
            pat.mistakes_per_100) == ("Pat Packer", 1, 1, 1, 1, pytest.approx(100))
    assert [(p.sku, p.mistakes.weight, p.mistakes.weight_overrides, p.per_100) for p in report.products] == [
        ("MUG-CER-350", 1, 1, pytest.approx(100))]


def test_closing_a_package_records_its_refusal_with_the_products_then_in_it(app: AppServices,
                                                                             packer: Actor) -> None:
    """Package 1 (the mug) is weighed at half its weight and refused; the soap is then scanned
    into it and it closes right. Package 2 (the notebook) is weighed heavy at the ship, refused,
    then shipped right. The report: two weight mistakes, Pat's; per product the mug (in package 1
    when it was refused) and the notebook — not the soap, scanned into package 1 after its refusal."""
    db = app.packing.database
    session_id = begin(app, packer, [("MUG-CER-350", 1), ("SOAP-LAV-100", 1), ("NB-A5-DOT", 1)])
    app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350"))
    half = expected_weight(db, session_id) // 2
    with pytest.raises(PackRefused) as under:
        app.packing.close_package(packer, session_id, Weighing(half))
    assert under.value.code is Refusal.WEIGHT_UNDER
    app.packing.scan(packer, session_id, unit_barcode(db, "SOAP-LAV-100"))
    closed = app.packing.close_package(packer, session_id, Weighing(expected_weight(db, session_id)))
    assert closed.package_sequence == 2
    app.packing.scan(packer, session_id, unit_barcode(db, "NB-A5-DOT"))
    heavy = expected_weight(db, session_id) + 500
    with pytest.raises(PackRefused) as over:
        app.shipping.ship(packer, session_id, Weighing(heavy))
    assert over.value.code is Refusal.WEIGHT_OVER
    app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    assert [(r[0], r[2], r[3], r[4], r[8]) for r in refusals(db)] == [
        (session_id, packer.user_id, 1, half, "under"), (session_id, packer.user_id, 2, heavy, "over")]

    report = app.reports.packers(sign_in(app, "owner"), around_today())
    (pat,) = report.packers
    assert (pat.items, pat.packages, pat.mistakes.weight, pat.mistakes.weight_overrides, pat.mistakes.total) == (
        3, 2, 2, 0, 2)
    assert pat.mistakes_per_100 == pytest.approx(200 / 3)
    assert {p.sku: (p.units_packed, p.mistakes.weight) for p in report.products} == {
        "MUG-CER-350": (1, 1), "NB-A5-DOT": (1, 1), "SOAP-LAV-100": (1, 0)}


def test_a_refusal_is_the_weighing_packers_whatever_became_of_the_pack(app: AppServices, packer: Actor) -> None:
    """Sam's refused weighing at Pat's bench (Sam signed in there) is Sam's mistake; a cancelled
    pack's refusal counts too (the station prevented the mistake all the same), though the
    cancelled pack adds no order or item."""
    db = app.packing.database
    cancelled = begin(app, packer, [("MUG-CER-350", 1)])
    app.packing.scan(packer, cancelled, unit_barcode(db, "MUG-CER-350"))
    with pytest.raises(PackRefused):
        app.shipping.ship(packer, cancelled, Weighing(expected_weight(db, cancelled) + 400))
    app.packing.cancel(packer, cancelled)
    session_id = begin(app, packer, [("MUG-CER-350", 1)])
    app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350"))
    sam = sign_in(app, "packer2")  # at the same station
    with pytest.raises(PackRefused):
        app.shipping.ship(sam, session_id, Weighing(expected_weight(db, session_id) + 400))
    app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    assert [r[2] for r in refusals(db)] == [packer.user_id, sam.user_id]
    report = app.reports.packers(sign_in(app, "manager"), around_today())
    figures = {p.name: p for p in report.packers}
    assert (figures["Pat Packer"].orders, figures["Pat Packer"].items, figures["Pat Packer"].mistakes.weight) == (
        1, 1, 1)
    assert (figures["Sam Second"].orders, figures["Sam Second"].mistakes.weight) == (0, 1)
    assert figures["Sam Second"].mistakes_per_100 is None  # nothing packed: no rate
    assert [(p.sku, p.units_packed, p.mistakes.weight) for p in report.products] == [("MUG-CER-350", 1, 2)]


def test_the_pack_commands_refusals_count_though_it_cancels_its_pack(seeded_database: Database) -> None:
    """``fulfilstation pack`` cancels its pack session on every refusal: a wrong item scanned (the
    soap on a mug order) and a parcel weighed far too light, each exit 1. Both are Pat's
    mistakes, and the products' — the soap scanned wrongly, the mug in the refused parcel; then
    Pat packs the mug order right, and that is the one order and item."""
    db = seeded_database
    url = plain(db.engine.url)
    number = make_order(db, [("MUG-CER-350", 1)])
    mug, soap = unit_barcode(db, "MUG-CER-350"), unit_barcode(db, "SOAP-LAV-100")
    pack = ("pack", number, "--station", "SCRIPT-1", "--user", "packer", "--pin", "1111", "--db", url)
    wrong = cli(*pack, "--scan", mug, "--scan", soap, "--weight", "1kg")
    assert wrong.returncode == 1 and "not on this order" in wrong.stderr, wrong.stderr
    light = cli(*pack, "--scan", mug, "--weight", "10g")
    assert light.returncode == 1 and "light" in light.stderr.lower(), light.stderr
    with db.unit_of_work() as session:
        assert session.scalars(select(PackSession.status).order_by(PackSession.id)).all() == ["cancelled"] * 2
    app = app_for(db)
    manager = sign_in(app, "manager")
    report = app.reports.packers(manager, around_today())
    (pat,) = report.packers
    assert (pat.name, pat.orders, pat.items) == ("Pat Packer", 0, 0)
    assert (pat.mistakes.wrong_item, pat.mistakes.weight, pat.mistakes.total, pat.mistakes_per_100) == (
        1, 1, 2, None)
    assert {p.sku: (p.units_packed, p.mistakes.wrong_item, p.mistakes.weight) for p in report.products} == {
        "SOAP-LAV-100": (0, 1, 0), "MUG-CER-350": (0, 0, 1)}
    packer = sign_in(app, "packer")
    session_id = app.packing.start(packer, number).session_id
    app.packing.scan(packer, session_id, mug)
    app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    (pat,) = app.reports.packers(manager, around_today()).packers
    assert (pat.orders, pat.items, pat.mistakes.total, pat.mistakes_per_100) == (1, 1, 2, pytest.approx(200))
