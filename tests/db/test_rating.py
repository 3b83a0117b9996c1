"""Rating and service choice on the demo rate tables, SQLite and PostgreSQL.

Demo tables (``fulfilstation/demo/carriers.py``): origin 43219, ZIP 6xxxx is zone 5 and
9xxxx zone 8; rate = base + per-lb × ⌈break/454⌉ + (zone − 2) × ⌊base/12⌋; every service
has dim divisor 5000, fuel 1450 bp and a 540 residential surcharge. The mug-and-soap order
is estimated at 1025 g in BOX-S (200×150×100 mm, dim 600 g): the 1361 g break, 3 lb.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pytest
from sqlalchemy import select, update

from fulfilstation.carriers.rating import Price
from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    AuditEntry,
    Carrier,
    CarrierAccount,
    CarrierService,
    Order,
    RoutingRule,
    Shipment,
)
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.orders import QuoteOption, ServiceChoiceRefused
from fulfilstation.services.orders.quotes import quote
from fulfilstation.services.packing import PackRefused, PackView, Refusal, Weighing
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.shipping.carrier_choice import choose_carrier
from tests.support.app import app_for, sign_in
from tests.support.warehouse import make_order, unit_barcode

WED, THU, FRI = dt.date(2026, 11, 25), dt.date(2026, 11, 26), dt.date(2026, 11, 27)
MUG_AND_SOAP = [("MUG-CER-350", 2), ("SOAP-LAV-100", 1)]


def order_for(db: Database, lines: list[tuple[str, int]], *, deliver_by: dt.date | None = None,
              residential: bool = True, postal_code: str = "62704", service: str | None = None) -> str:
    number = make_order(db, lines, postal_code=postal_code, service=service)
    with db.unit_of_work() as session:
        session.execute(update(Order).where(Order.number == number).values(
            deliver_by=deliver_by, ship_to_residential=residential))
    return number


@dataclass(frozen=True)
class Bench:
    """A pack begun through the use cases by the packer signed in at the test station."""

    app: AppServices
    packer: Actor
    session_id: int
    number: str
    view: PackView  # as of the last step

    def scan(self, raw: str) -> Bench:
        outcome = self.app.packing.scan(self.packer, self.session_id, raw)
        assert outcome.accepted, outcome.message
        return replace(self, view=outcome.view)

    def scan_unit(self, sku: str) -> Bench:
        return self.scan(unit_barcode(self.app.packing.database, sku))

    def weighing(self, extra_g: int = 0) -> Weighing:
        assert self.view.expected_g is not None
        return Weighing(self.view.expected_g + extra_g)

    def close_package(self) -> Bench:
        return replace(self, view=self.app.packing.close_package(self.packer, self.session_id, self.weighing()))

    def ship(self, extra_g: int = 0) -> int:
        return self.app.shipping.ship(self.packer, self.session_id, self.weighing(extra_g)).shipment_id


def begin(db: Database, lines: list[tuple[str, int]]) -> Bench:
    app = app_for(db)
    packer = sign_in(app, "packer")
    number = make_order(db, lines)
    view = app.packing.start(packer, number)
    return Bench(app, packer, view.session_id, number, view)


def without_courier(db: Database) -> None:
    with db.unit_of_work() as session:
        session.execute(update(Carrier).where(Carrier.code == "courier").values(active=False))


def add_rule(db: Database, name: str, priority: int, conditions: dict[str, object],
             service: str | None = None) -> None:
    with db.unit_of_work() as session:
        service_id = None
        if service is not None:
            carrier, code = service.split("/")
            service_id = session.scalars(select(CarrierService.id).join(Carrier).where(
                Carrier.code == carrier, CarrierService.code == code)).one()
        session.add(RoutingRule(name=name, priority=priority, conditions=conditions, service_id=service_id))


def price_of(options: tuple[QuoteOption, ...], key: str) -> int | None:
    option = next(o for o in options if o.service == key)
    return option.price.total_minor if option.price else None


def test_cheapest_without_a_promise_is_the_own_courier(seeded_database: Database) -> None:
    db = seeded_database
    q = quote(db, order_for(db, MUG_AND_SOAP), today=WED)
    # courier: 650 + 40×3 + 3×54 = 932; fuel 135.14 → 135; residential 540
    assert (q.service, q.price, q.estimated, q.parcels) == (
        "courier/local", Price(932, 540, 135, 1607, "USD", 1025), True, 1)
    assert q.reason == "cheapest; no delivery date promised" and q.arrives == THU
    # USPS Ground Advantage: 590 + 85×3 + 3×49 = 992; fuel 143.84 → 144; Priority: 990 + 120×3 + 3×82 = 1596
    assert price_of(q.options, "usps/ground-advantage") == 992 + 540 + 144
    assert price_of(q.options, "usps/priority") == 1596 + 540 + 231
    assert all(o.meets_promise and o.excluded_by is None for o in q.options)


def test_other_zone_and_business_address(seeded_database: Database) -> None:
    db = seeded_database
    q = quote(db, order_for(db, MUG_AND_SOAP, postal_code="90210", residential=False), today=WED)
    # zone 8: 650 + 120 + 6×54 = 1094; fuel 158.63 → 159; no residential surcharge
    assert q.price == Price(1094, 0, 159, 1253, "USD", 1025)


def test_cheapest_that_arrives_by_the_promised_day(seeded_database: Database) -> None:
    db = seeded_database
    without_courier(db)
    q = quote(db, order_for(db, MUG_AND_SOAP), today=WED)
    assert (q.service, q.cost_minor) == ("usps/ground-advantage", 1676)  # 3 days: Mon 30 Nov
    q = quote(db, order_for(db, MUG_AND_SOAP, deliver_by=FRI), today=WED)
    assert (q.service, q.cost_minor, q.arrives) == ("usps/priority", 2367, FRI)  # 2 days; fuel 231.42 → 231
    assert q.reason == "cheapest that arrives by Fri 27 Nov"
    slow = {o.service for o in q.options if not o.meets_promise}
    assert slow == {"usps/ground-advantage", "ups/ground", "ups/3day"}
    q = quote(db, order_for(db, MUG_AND_SOAP, deliver_by=THU), today=WED)
    # UPS Next Day Air Saver: 4290 + 390×3 + 3×357 = 6531; fuel 946.995 → 947
    assert (q.service, q.cost_minor) == ("ups/nda-saver", 6531 + 540 + 947)
    q = quote(db, order_for(db, MUG_AND_SOAP, deliver_by=WED), today=WED)
    assert q.service == "ups/nda-saver"
    assert q.reason == "no service arrives by Wed 25 Nov: fastest, arrives Thu 26 Nov"


def test_closed_packages_are_rated_by_their_dimensional_weight(seeded_database: Database) -> None:
    db = seeded_database
    pack = begin(db, [("NB-A5-DOT", 1)]).scan_unit("NB-A5-DOT").scan("BOX-M")  # the packer scans the box
    assert pack.view.box_code == "BOX-M"
    pack.close_package()
    q = quote(db, pack.number, today=WED)
    # 300×200×150 mm / 5000 = 1800 g > 550 g actual: the 2268 g break, 5 lb
    # courier: 650 + 40×5 + 3×54 = 1012; fuel 146.74 → 147; residential 540
    assert (q.price, q.estimated) == (Price(1012, 540, 147, 1699, "USD", 1800), False)


def test_requested_service_is_used_and_priced(seeded_database: Database) -> None:
    db = seeded_database
    number = order_for(db, MUG_AND_SOAP, service="ups/ground")
    with db.unit_of_work() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        choice = choose_carrier(session, order, today=WED)
    # UPS Ground zone 5: 1050 + 95×3 + 3×87 = 1596; fuel 231.42 → 231
    assert (choice.service.code, choice.cost_minor, choice.currency) == ("ground", 1596 + 540 + 231, "USD")
    assert choice.reason == "the order asks for UPS Ground" and choice.number_range.kind == "ups"


def test_hazmat_rule_forces_ground_over_the_request(seeded_database: Database) -> None:
    db = seeded_database
    add_rule(db, "Hazmat by ground", 10, {"hazmat": True}, service="ups/ground")
    q = quote(db, order_for(db, [("BAT-AA-8PK", 1)], service="usps/priority"), today=WED)
    assert (q.service, q.reason) == ("ups/ground", "routing rule 'Hazmat by ground'")
    # estimated 190 g + 15 g tare in BOX-POLY-S (250×180×30 mm: dim 270 g): the 454 g break, 1 lb
    # UPS Ground zone 5: 1050 + 95 + 3×87 = 1406; fuel 203.87 → 204
    assert q.price == Price(1406, 540, 204, 2150, "USD", 270)
    assert quote(db, order_for(db, MUG_AND_SOAP), today=WED).service == "courier/local"  # no hazmat: no rule


def test_exclusion_rule_overrides_the_request(seeded_database: Database) -> None:
    db = seeded_database
    add_rule(db, "Fragile not overnight", 5, {"fragile": True, "exclude_services": ["fedex/overnight"]})
    q = quote(db, order_for(db, MUG_AND_SOAP, service="fedex/overnight"), today=WED)
    assert q.service == "courier/local"
    assert q.reason == ("cheapest; no delivery date promised (the order asks for FedEx Standard Overnight, but "
                        "routing rule 'Fragile not overnight' excludes it)")
    assert [o.service for o in q.options if o.excluded_by] == ["fedex/overnight"]


def test_a_broken_rule_stops_quote_and_ship_with_its_name(seeded_database: Database) -> None:
    db = seeded_database
    add_rule(db, "Typo", 1, {"hazmatt": True}, service="ups/ground")
    pack = begin(db, [("NB-A5-DOT", 1)])
    with pytest.raises(ServiceChoiceRefused, match="Routing rule 'Typo' has conditions .* hazmatt"):
        pack.app.orders.quote(pack.number)
    pack = pack.scan_unit("NB-A5-DOT")
    with pytest.raises(PackRefused, match="'Typo'") as refused:
        pack.ship()
    assert refused.value.code is Refusal.NO_CARRIER


def test_site_ship_from_is_the_origin_when_the_account_has_none(seeded_database: Database) -> None:
    db = seeded_database
    with db.unit_of_work() as session:
        session.execute(update(CarrierAccount).values(origin_postal_code=None))
    assert quote(db, order_for(db, MUG_AND_SOAP), today=WED).cost_minor == 1607


def office(db: Database, user: str = "manager") -> tuple[AppServices, Actor]:
    app = app_for(db, station="OFFICE")
    return app, sign_in(app, user)


def service_changes(db: Database) -> list[AuditEntry]:
    with db.unit_of_work() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "order.service_changed")))


def test_manager_changes_the_service_and_it_is_audited(seeded_database: Database) -> None:
    db = seeded_database
    number = order_for(db, MUG_AND_SOAP)
    app, manager = office(db)
    with pytest.raises(NotAllowed, match="only a manager or an owner can change an order's shipping service"):
        app.orders.change_service(sign_in(app, "packer"), number, "usps/priority")
    assert quote(db, number, today=WED).service == "courier/local" and service_changes(db) == []
    with pytest.raises(ServiceChoiceRefused, match="no service 'usps/nope'.*usps/priority"):
        app.orders.change_service(manager, number, "usps/nope")
    q = app.orders.change_service(manager, number, "usps/priority")  # no promise: the day does not matter
    assert (q.service, q.cost_minor, q.reason) == ("usps/priority", 2367, "the order asks for USPS Priority Mail")
    assert quote(db, number, today=WED).service == "usps/priority"
    (entry,) = service_changes(db)
    assert (entry.user_id, entry.station_id) == (manager.user_id, manager.station_id)
    assert entry.details == {"order": number, "from": "courier/local", "to": "usps/priority",
                             "price_minor": 2367, "by": "manager", "via": "pin"}


def test_change_refused_when_the_rules_decide(seeded_database: Database) -> None:
    db = seeded_database
    add_rule(db, "Hazmat by ground", 10, {"hazmat": True}, service="ups/ground")
    add_rule(db, "Fragile not overnight", 5, {"fragile": True, "exclude_services": ["fedex/overnight"]})
    app, manager = office(db)
    with pytest.raises(ServiceChoiceRefused, match="routing rule 'Hazmat by ground' sends this order by UPS Ground"):
        app.orders.change_service(manager, order_for(db, [("BAT-AA-8PK", 1)]), "usps/priority")
    with pytest.raises(ServiceChoiceRefused, match="Routing rule 'Fragile not overnight' excludes FedEx Standard"):
        app.orders.change_service(manager, order_for(db, MUG_AND_SOAP), "fedex/overnight")
    assert service_changes(db) == []


def test_change_refused_after_shipping(seeded_database: Database) -> None:
    db = seeded_database
    pack = begin(db, [("NB-A5-DOT", 1)]).scan_unit("NB-A5-DOT")
    pack.ship()
    app, manager = office(db)
    with pytest.raises(ServiceChoiceRefused, match="is shipped"):
        app.orders.change_service(manager, pack.number, "usps/priority")


def test_ship_records_the_price_of_what_ships(seeded_database: Database) -> None:
    db = seeded_database
    pack = begin(db, MUG_AND_SOAP)
    for sku, quantity in MUG_AND_SOAP:
        for _ in range(quantity):
            pack = pack.scan_unit(sku)
    shipment_id = pack.ship(extra_g=20)
    with db.unit_of_work() as session:
        shipment = session.get_one(Shipment, shipment_id)
        assert (shipment.cost_minor, shipment.currency) == (1607, "USD")  # 1045 g: still the 1361 g break


def test_the_quote_follows_the_box_scanned_and_the_packages_closed(seeded_database: Database) -> None:
    """Before anything is weighed the parcel is estimated in the suggested box; a box the
    packer scans replaces it at once (a bigger box: more dimensional weight, a higher price);
    a closed package counts as weighed and the units still loose as one more estimate."""
    db = seeded_database
    without_courier(db)
    pack = begin(db, [("MUG-CER-350", 2)])
    number = pack.number
    first = quote(db, number, today=WED)
    assert (first.estimated, first.parcels) == (True, 1) and first.price is not None
    pack = pack.scan("BOX-XL")
    assert pack.view.box_code == "BOX-XL"
    boxed = quote(db, number, today=WED)
    assert boxed.price is not None and boxed.price.billable_weight_g > first.price.billable_weight_g
    assert boxed.price.total_minor > first.price.total_minor and boxed.estimated
    pack = pack.scan_unit("MUG-CER-350").close_package()
    half = quote(db, number, today=WED)
    assert (half.parcels, half.estimated) == (2, True)  # one weighed, one still an estimate
    pack.scan_unit("MUG-CER-350").close_package()
    packed = quote(db, number, today=WED)
    assert (packed.parcels, packed.estimated) == (2, False)


def test_a_ship_by_another_service_than_shown_says_so(seeded_database: Database) -> None:
    """One soap is shown by USPS Ground Advantage (the 1 lb break); weighed at 900 g (2 lb)
    the own courier is cheaper: the outcome and the order history name both services."""
    db = seeded_database
    pack = begin(db, [("SOAP-LAV-100", 1)]).scan_unit("SOAP-LAV-100")
    shown = quote(db, pack.number, today=WED)
    assert (shown.service, shown.estimated) == ("usps/ground-advantage", True)
    manager = sign_in(pack.app, "manager")
    outcome = pack.app.shipping.ship(pack.packer, pack.session_id,
                                     Weighing(900, override=manager, reason="Extra packing material"))
    with db.unit_of_work() as session:
        shipment = session.get_one(Shipment, outcome.shipment_id)
        service = session.get_one(CarrierService, shipment.service_id)
        assert service.code == "local"
    price = f"${shipment.cost_minor // 100}.{shipment.cost_minor % 100:02d}"
    assert outcome.service_note == (f"Shipped by {service.name} ({price}), not USPS Ground Advantage as shown: "
                                    "at 900 g it is the cheapest service (no delivery date promised)")
    history = [entry.what for entry in pack.app.orders.detail(pack.number).history]
    assert any(what.startswith(f"Shipped by {service.name}: ") and what.endswith(outcome.service_note)
               for what in history), history


def test_a_ship_by_the_service_shown_has_no_note(seeded_database: Database) -> None:
    db = seeded_database
    pack = begin(db, [("SOAP-LAV-100", 1)]).scan_unit("SOAP-LAV-100")
    outcome = pack.app.shipping.ship(pack.packer, pack.session_id, pack.weighing())
    assert outcome.service_note is None
    history = [entry.what for entry in pack.app.orders.detail(pack.number).history]
    assert any(what.startswith("Shipped by USPS Ground Advantage: ") for what in history), history
