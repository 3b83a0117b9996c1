"""A seeded packing and shipping history for the packers' and costs reports, on a Chicago site.

Everything is packed and shipped through the use cases (start, scan — boxes and refused scans
too —, close package, weights refused at the scale, ship with a manager's weight override, void); then the times are set
directly, because no use case can back-date (every pack and shipment is stamped "now"), and the
label costs are fixed to round amounts as a carrier's invoice would give them (the demo's rate
tables price by zone and weight, which a reader cannot follow by hand).

Day ``DAY`` (Chicago, UTC−6 in November). Each pack is ``(order, packer, lines, minutes, ends)``:

======  ========  ==========================  =====  ===========================  ============
order   packer    lines (packages)            min    ends (Chicago)               notes
======  ========  ==========================  =====  ===========================  ============
A       packer    SOAP-LAV ×1 (POLY-S)        4      DAY 09:00                    scans SOAP-OAT first (wrong item)
B       packer    CNDL ×1 (BOX-S)             4      DAY 10:00                    scans an unknown barcode
C       packer2   MUG-ENA ×2 (BOX-M), ×1 (S)  9      DAY 11:00                    a 4th mug (over-scan)
D       packer2   SOAP-LAV, CNDL (BOX-S)      8      DAY 12:00                    weight refused, then accepted
                                                                                     by a manager (500 g heavy)
E       manager   SOAP-OAT ×1 (POLY-S)        7      DAY 23:30 (= DAY+1 05:30 UTC)
F       manager   MUG-ENA ×3 (BOX-M)          9      DAY−1 15:00, shipped, voided
F       manager   MUG-ENA ×3 (BOX-M)          9      DAY 14:00                    shipped again
G       manager   SOAP-OAT, CNDL (BOX-S)      8      DAY 16:00                    an order in EUR; weighed
                                                                                     half its weight first (refused)
H       packer    CNDL ×1 (BOX-S)             4      DAY−1 20:00 (= DAY 02:00 UTC) an unknown barcode
I       packer    CNDL ×1 (BOX-S)             4      DAY+1 10:00
======  ========  ==========================  =====  ===========================  ============

Each shipment is made one minute after its pack ends. Two packs are given back on a refusal, as
``fulfilstation pack`` does (its session cancelled; the order never ships, so costs do not see it):

======  ========  ==========================  =====  ===========================  ============
K       packer2   MUG-ENA ×1                  3      DAY 12:30, cancelled         scans SOAP-LAV (wrong item)
L       packer    CNDL ×1 (BOX-S)             5      DAY 15:00, cancelled         weighed at half its weight
======  ========  ==========================  =====  ===========================  ============

Every scan and weighing of a pack is moved with it (the same offsets from the pack's start), so
a mistake lies in its pack's time, as at a real station.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from fulfilstation.db.models import Order, PackSession, ScanEvent, Shipment, WeightRefusal
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import PackRefused, Refusal, Weighing
from fulfilstation.services.reports import ReportSettings
from tests.support.app import sign_in
from tests.support.warehouse import make_order, unit_barcode

CHICAGO = ZoneInfo("America/Chicago")
DAY = dt.date(2026, 11, 10)
LAV, OAT, CNDL, MUG = "SOAP-LAV-100", "SOAP-OAT-100", "CNDL-CED-200", "MUG-ENA-300"
HALF = -1  # as refused_g: half the expected weight on the scale (not an offset)
RATE = 3030  # labour, cents per hour: 50.5 cents a minute, so odd minutes end in half a cent


@dataclass(frozen=True)
class Pack:
    order: str
    packer: str
    packages: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # (box code, lines) per package
    minutes: int
    ends: dt.datetime  # Chicago
    label_minor: int
    wrong: str | None = None  # a barcode scanned first and refused
    extra: bool = False  # one unit too many scanned at the end
    override: bool = False  # the last package weighed 500 g heavy and accepted by the manager
    refused_g: int = 0  # the last package first weighed this far off the expected weight: refused


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CHICAGO)


BEFORE, AFTER = DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)

#: order key → (service, channel, currency, shipping charged)
ORDERS = {
    "A": ("ups/ground", "shop", "USD", 700), "B": ("ups/ground", "shop", "USD", 500),
    "C": ("usps/priority", "shop", "USD", 1000), "D": ("ups/3day", "test", "USD", None),
    "E": ("ups/ground", "test", "USD", 0), "F": ("usps/priority", "test", "USD", 1500),
    "G": ("ups/ground", "test", "EUR", 900), "H": ("ups/ground", "test", "USD", 100),
    "I": ("ups/ground", "test", "USD", 100),
}

PACKS = [
    Pack("A", "packer", (("BOX-POLY-S", ((LAV, 1),)),), 4, at(DAY, 9), 700, wrong=OAT),
    Pack("B", "packer", (("BOX-S", ((CNDL, 1),)),), 4, at(DAY, 10), 800, wrong="NOPE-0042"),
    Pack("C", "packer2", (("BOX-M", ((MUG, 2),)), ("BOX-S", ((MUG, 1),))), 9, at(DAY, 11), 1500, extra=True),
    Pack("D", "packer2", (("BOX-S", ((LAV, 1), (CNDL, 1))),), 8, at(DAY, 12), 900, override=True, refused_g=500),
    Pack("E", "manager", (("BOX-POLY-S", ((OAT, 1),)),), 7, at(DAY, 23, 30), 600),
    Pack("F", "manager", (("BOX-M", ((MUG, 3),)),), 9, at(BEFORE, 15), 1200),  # voided below
    Pack("F", "manager", (("BOX-M", ((MUG, 3),)),), 9, at(DAY, 14), 1100),
    Pack("G", "manager", (("BOX-S", ((OAT, 1), (CNDL, 1))),), 8, at(DAY, 16), 1000, refused_g=HALF),
    Pack("H", "packer", (("BOX-S", ((CNDL, 1),)),), 4, at(BEFORE, 20), 500, wrong="NOPE-0043"),
    Pack("I", "packer", (("BOX-S", ((CNDL, 1),)),), 4, at(AFTER, 10), 500),
]


@dataclass(frozen=True)
class GivenBack:
    """A pack refused once and cancelled at once, as ``fulfilstation pack`` does on a refusal."""

    order: str
    packer: str
    sku: str  # one unit of it
    minutes: int
    ends: dt.datetime  # Chicago: when it was cancelled
    wrong: str | None = None  # a product scanned that is not on the order (refused)
    half_weight: bool = False  # the item scanned, the parcel weighed at half its weight (refused)


GIVEN_BACK = [
    GivenBack("K", "packer2", MUG, 3, at(DAY, 12, 30), wrong=LAV),
    GivenBack("L", "packer", CNDL, 5, at(DAY, 15), half_weight=True),
]


def lines_of(pack: Pack) -> list[tuple[str, int]]:
    totals: dict[str, int] = {}
    for _box, lines in pack.packages:
        for sku, quantity in lines:
            totals[sku] = totals.get(sku, 0) + quantity
    return list(totals.items())


def settings(app: AppServices) -> None:
    app.reports.set_settings(sign_in(app, "owner"),
                             ReportSettings(time_zone="America/Chicago", labour_rate_minor=RATE, currency="USD"))


def build(app: AppServices) -> dict[str, str]:
    """The history above; returns order key → order number."""
    db = app.shipping.database
    settings(app)
    numbers: dict[str, str] = {}
    manager = sign_in(app, "manager")
    for pack in PACKS:
        if pack.order not in numbers:
            service, channel, currency, charged = ORDERS[pack.order]
            number = make_order(db, lines_of(pack), service=service)
            with db.unit_of_work() as session:  # make_order's orders are the test channel's, in USD
                session.execute(update(Order).where(Order.number == number).values(
                    channel=channel, currency=currency, shipping_charged_minor=charged))
            numbers[pack.order] = number
        shipment_id, session_id = pack_and_ship(app, sign_in(app, pack.packer), manager, numbers[pack.order], pack)
        back_date(app, pack, shipment_id, session_id)
        if pack.order == "F" and pack.ends.date() == BEFORE:
            app.shipping.void(manager, numbers["F"], "label damaged")
    for given in GIVEN_BACK:
        numbers[given.order] = make_order(db, [(given.sku, 1)], service="ups/ground")
        session_id = give_back(app, sign_in(app, given.packer), numbers[given.order], given)
        ended = given.ends.astimezone(dt.UTC)
        set_times(app, session_id, ended - dt.timedelta(minutes=given.minutes), ended)
    return numbers


def give_back(app: AppServices, packer: Actor, number: str, given: GivenBack) -> int:
    """The pack of ``given``: one refusal, then the session cancelled (the pack command's way)."""
    db = app.shipping.database
    view = app.packing.start(packer, number)
    if given.wrong:
        assert not app.packing.scan(packer, view.session_id, unit_barcode(db, given.wrong)).accepted
    if given.half_weight:
        scanned = app.packing.scan(packer, view.session_id, unit_barcode(db, given.sku))
        assert scanned.accepted and scanned.view.expected_g is not None
        with pytest.raises(PackRefused) as weighed:
            app.shipping.ship(packer, view.session_id, Weighing(scanned.view.expected_g // 2))
        assert weighed.value.code is Refusal.WEIGHT_UNDER
    app.packing.cancel(packer, view.session_id, "pack command refused")
    return view.session_id


def back_date(app: AppServices, pack: Pack, shipment_id: int, session_id: int,
              duration: dt.timedelta | None = None) -> None:
    """The pack's times (no use case back-dates: they are set here); ``duration`` instead of its minutes."""
    ended = pack.ends.astimezone(dt.UTC)
    set_times(app, session_id, ended - (duration or dt.timedelta(minutes=pack.minutes)), ended)
    with app.shipping.database.unit_of_work() as session:
        session.execute(update(Shipment).where(Shipment.id == shipment_id).values(
            created_at=ended + dt.timedelta(minutes=1), cost_minor=pack.label_minor))


def set_times(app: AppServices, session_id: int, started: dt.datetime, ended: dt.datetime) -> None:
    """A pack session's start and end; its scans and refused weighings keep their offsets from its start."""
    with app.shipping.database.unit_of_work() as session:
        shift = started - session.scalars(select(PackSession.started_at).where(PackSession.id == session_id)).one()
        session.execute(update(PackSession).where(PackSession.id == session_id).values(
            started_at=started, ended_at=ended))
        for model in (ScanEvent, WeightRefusal):
            for row_id, created_at in session.execute(
                    select(model.id, model.created_at).where(model.pack_session_id == session_id)).all():
                session.execute(update(model).where(model.id == row_id).values(created_at=created_at + shift))


def pack_and_ship(app: AppServices, packer: Actor, manager: Actor, number: str, pack: Pack) -> tuple[int, int]:
    db = app.shipping.database
    view = app.packing.start(packer, number)
    if pack.wrong:
        code = unit_barcode(db, pack.wrong) if pack.wrong in (LAV, OAT, CNDL, MUG) else pack.wrong
        refused = app.packing.scan(packer, view.session_id, code)
        assert not refused.accepted
    for index, (box, lines) in enumerate(pack.packages):
        assert app.packing.scan(packer, view.session_id, box).accepted
        for sku, quantity in lines:
            for _unit in range(quantity):
                scanned = app.packing.scan(packer, view.session_id, unit_barcode(db, sku))
                assert scanned.accepted, scanned.message
                view = scanned.view
        if index < len(pack.packages) - 1:
            assert view.expected_g is not None
            view = app.packing.close_package(packer, view.session_id, Weighing(view.expected_g))
    if pack.extra:
        sku = pack.packages[-1][1][-1][0]
        assert not app.packing.scan(packer, view.session_id, unit_barcode(db, sku)).accepted
    assert view.expected_g is not None
    if pack.refused_g:
        off = view.expected_g // 2 if pack.refused_g == HALF else view.expected_g + pack.refused_g
        with pytest.raises(PackRefused) as weighed:
            app.shipping.ship(packer, view.session_id, Weighing(off))
        assert weighed.value.code in (Refusal.WEIGHT_OVER, Refusal.WEIGHT_UNDER)
    weighing = (Weighing(view.expected_g + 500, override=manager, reason="scale checked") if pack.override
                else Weighing(view.expected_g))
    app.shipping.ship(packer, view.session_id, weighing)
    with db.unit_of_work() as session:
        shipment_id = session.scalars(select(Shipment.id).where(Shipment.pack_session_id == view.session_id)).one()
    return shipment_id, view.session_id
