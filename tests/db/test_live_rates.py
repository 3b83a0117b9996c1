"""Live rate shopping at ship time, on SQLite and PostgreSQL: the ship use case asks every
gateway account for rates at once (outside the ship transaction), within the site's time
limit; the cheapest live rate is chosen; an account that is slow or failing is left out with
its reason; with none answering the rate tables price the choice; routing rules still force
a carrier; the shipment and its audit entry record where the price came from."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from fulfilstation.carriers.easypost_errors import EasyPostProblem
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Carrier, CarrierService, Order, RoutingRule, Shipment
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices, build_services
from fulfilstation.services.context import Ports
from fulfilstation.services.packing import Weighing
from fulfilstation.services.site import SiteSettingRefused
from tests.db.test_cli import cli, plain
from tests.support.app import STATION, FixedPrinters, sign_in
from tests.support.gateway_accounts import UPS_SERVICES, USPS_SERVICES, only_gateway_carriers
from tests.support.live_rate_stubs import CarrierStubs, add_stub_accounts, carrier_stubs, gateway_factory
from tests.support.warehouse import expected_weight, make_order, unit_barcode, user_id


@pytest.fixture
def stubs() -> Iterator[CarrierStubs]:
    with carrier_stubs() as running:
        yield running


def no_labels(name: str, keyring_name: str | None, settings: object) -> object:
    """Labels are not this test's business: the label purchase after the commit says so."""
    raise EasyPostProblem("labels are not bought in the live rate tests")


@pytest.fixture
def live_app(seeded_database: Database, stubs: CarrierStubs) -> AppServices:
    db = seeded_database
    only_gateway_carriers(db)
    add_stub_accounts(db, stubs)
    ports = Ports(printers=FixedPrinters(), carrier_adapters=no_labels,  # type: ignore[arg-type]
                  carrier_gateways=gateway_factory(stubs))
    return build_services(db, ports, STATION)


def packed(app: AppServices, actor: Actor, postal_code: str = "62704") -> tuple[str, int]:
    db = app.packing.database
    number = make_order(db, [("MUG-CER-350", 1)], postal_code=postal_code)
    session_id = app.packing.start(actor, number).session_id
    assert app.packing.scan(actor, session_id, unit_barcode(db, "MUG-CER-350")).accepted
    return number, session_id


def ship(app: AppServices, postal_code: str = "62704") -> tuple[Shipment, dict[str, object], str | None]:
    """Pack and ship one mug: (the shipment, its ``shipment.created`` details, the ship's service note)."""
    db = app.packing.database
    packer = sign_in(app)
    number, session_id = packed(app, packer, postal_code)
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    with db.unit_of_work() as session:
        shipment = session.scalars(select(Shipment).join(Order, Order.id == Shipment.order_id)
                                   .where(Order.number == number)).one()
        details = session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "shipment.created", AuditEntry.entity_id == shipment.id)).one()
        session.expunge(shipment)
    return shipment, dict(details or {}), outcome.service_note


def service_of(db: Database, shipment: Shipment) -> str:
    with db.unit_of_work() as session:
        carrier, code = session.execute(select(Carrier.code, CarrierService.code).join(
            CarrierService, CarrierService.carrier_id == Carrier.id)
            .where(CarrierService.id == shipment.service_id)).one()
    return f"{carrier}/{code}"


def cheapest_live(stubs: CarrierStubs) -> tuple[str, int]:
    """(karrio's service, cents) of the cheapest rate the carriers quoted for a service set up here."""
    ours = {s.karrio_service for s in (*UPS_SERVICES, *USPS_SERVICES)}
    quoted = [(r.cost_minor, r.service_code) for rates in stubs.answered.values() for r in rates
              if r.service_code in ours]
    cents, service = min(quoted)
    return service, cents


def ours(karrio_service: str) -> str:
    """Our ``carrier/service`` key of karrio's service name."""
    code = next(s.code for s in (*UPS_SERVICES, *USPS_SERVICES) if s.karrio_service == karrio_service)
    return f"{karrio_service.split('_')[0]}-api/{code}"


def test_the_cheapest_live_rate_is_chosen_and_its_source_recorded(live_app: AppServices,
                                                                  stubs: CarrierStubs) -> None:
    shipment, details, note = ship(live_app)
    service, cents = cheapest_live(stubs)
    assert len({r.cost_minor for rates in stubs.answered.values() for r in rates}) > 1  # a choice was made
    assert service_of(live_app.packing.database, shipment) == ours(service)
    assert (shipment.rate_source, shipment.cost_minor, shipment.currency) == ("live", cents, "USD")
    assert details["rate_source"] == "live" and details["rate_account"] == f"{service.split('_')[0].upper()} live"
    assert "rates_left_out" not in details
    name = next(s.name for s in (*UPS_SERVICES, *USPS_SERVICES) if s.karrio_service == service)
    assert note == (f"Shipped by {name} (${cents / 100:.2f}), not UPS 2nd Day Air as shown: by the carriers' live "
                    "rates it is the cheapest service (no delivery date promised)")  # the station showed the tables'
    assert stubs.rate_requests("ups") == 1 and stubs.rate_requests("usps") == 1
    ups_body = stubs.stubs["ups"].bodies("rate")[0]["RateRequest"]["Shipment"]
    assert ups_body["ShipTo"]["Address"]["PostalCode"] == "62704"  # the order's own address was priced


def test_a_slow_carrier_is_left_out_after_the_time_limit_with_its_reason(live_app: AppServices,
                                                                        stubs: CarrierStubs) -> None:
    """USPS quotes the cheapest rate here, but answers too late: UPS's cheapest is chosen."""
    owner = sign_in(live_app, "owner")
    assert live_app.site.set_live_rate_timeout(owner, 1.0) == 1.0
    stubs.delay("usps", 3.0)
    shipment, details, note = ship(live_app)
    assert "usps" not in stubs.answered and stubs.rate_requests("usps") == 1
    service, cents = cheapest_live(stubs)
    assert service.startswith("ups_") and service_of(live_app.packing.database, shipment) == ours(service)
    assert (shipment.rate_source, shipment.cost_minor) == ("live", cents)
    assert details["rates_left_out"] == ["USPS live: did not answer within 1 s"]
    assert note is not None and "USPS live: did not answer within 1 s" in note


def test_every_carrier_down_falls_back_to_the_rate_tables(live_app: AppServices, stubs: CarrierStubs) -> None:
    stubs.fail("ups", 503)
    stubs.fail("usps", 500)
    shipment, details, note = ship(live_app)
    cheapest_on_table = min((*UPS_SERVICES, *USPS_SERVICES), key=lambda s: s.table_minor)
    assert service_of(live_app.packing.database, shipment) == ours(cheapest_on_table.karrio_service)
    assert shipment.rate_source == "table"  # its cost is then the label's, as the carrier charged it
    assert details["rate_source"] == "table" and "rate_account" not in details
    left_out = details["rates_left_out"]
    assert isinstance(left_out, list) and [w.split(":")[0] for w in left_out] == ["UPS live", "USPS live"]
    assert all("<" not in w and "HTTP 50" in w for w in left_out)  # the carriers' words, not their pages' markup
    assert "503 Service Unavailable No server is available" in left_out[0]
    assert note is not None and note.startswith("Priced by rate tables (left out: UPS live: ")


def test_a_routing_rule_still_forces_its_carrier_at_its_live_price(live_app: AppServices,
                                                                   stubs: CarrierStubs) -> None:
    db = live_app.packing.database
    with db.unit_of_work() as session:
        ups_2day = session.scalars(select(CarrierService.id).join(Carrier).where(
            Carrier.code == "ups-api", CarrierService.code == "2day")).one()
        session.add(RoutingRule(name="Illinois by air", priority=1, conditions={"regions": ["IL"]},
                                service_id=ups_2day, active=True))
    shipment, details, _note = ship(live_app)
    assert service_of(db, shipment) == "ups-api/2day"
    assert cheapest_live(stubs)[1] < stubs.quoted("ups_2nd_day_air")  # not the cheapest: the rule's
    assert shipment.rate_source == "live" and shipment.cost_minor == stubs.quoted("ups_2nd_day_air")
    assert details["rate_account"] == "UPS live"


def test_the_time_limit_is_an_owners_setting_within_bounds(live_app: AppServices) -> None:
    assert live_app.site.live_rate_timeout() == 4.0
    owner = sign_in(live_app, "owner")
    with pytest.raises(SiteSettingRefused, match="between 0.5 and 30"):
        live_app.site.set_live_rate_timeout(owner, 90)
    live_app.site.set_live_rate_timeout(owner, 2.5)
    assert live_app.site.live_rate_timeout() == 2.5


def test_without_gateway_accounts_nothing_is_asked_and_tables_price(seeded_database: Database,
                                                                    stubs: CarrierStubs) -> None:
    ports = Ports(printers=FixedPrinters(), carrier_gateways=gateway_factory(stubs))
    app = build_services(seeded_database, ports, STATION)
    shipment, details, _note = ship(app)
    assert shipment.rate_source == "table" and details["rate_source"] == "table"
    assert stubs.rate_requests("ups") == stubs.rate_requests("usps") == 0


def test_the_owner_sets_the_time_limit_from_the_command_line(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    done = cli("site", "set-live-rate-timeout", "2", "--db", url, "--user", "owner", "--pin", "3333")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("The ship waits at most 2 s for the carriers' live rates")
    refused = cli("site", "set-live-rate-timeout", "0", "--db", url, "--user", "owner", "--pin", "3333")
    assert refused.returncode == 1 and "between 0.5 and 30 seconds" in refused.stderr
    with db.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "site.live_rate_timeout_s_changed")).one()
        assert (entry.details["to"], entry.user_id) == (2.0, user_id(db, "owner"))


def test_a_shipment_of_several_packages_is_priced_by_the_carriers_as_one_shipment(seeded_database: Database,
                                                                                    stubs: CarrierStubs) -> None:
    """A gateway account takes several packages as one carrier shipment: two boxes are priced
    live, by UPS in one request with both parcels, by USPS parcel by parcel."""
    db = seeded_database
    add_stub_accounts(db, stubs)
    app = build_services(db, Ports(printers=FixedPrinters(), carrier_adapters=no_labels,  # type: ignore[arg-type]
                                   carrier_gateways=gateway_factory(stubs)), STATION)
    packer = sign_in(app)
    number = make_order(db, [("MUG-CER-350", 2)])
    session_id = app.packing.start(packer, number).session_id
    for _ in range(2):
        assert app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350")).accepted
        app.packing.close_package(packer, session_id, Weighing(expected_weight(db, session_id)))
    app.shipping.ship(packer, session_id, Weighing(0))
    with db.unit_of_work() as session:
        source = session.scalars(select(Shipment.rate_source).join(Order, Order.id == Shipment.order_id)
                                 .where(Order.number == number)).one()
    assert source == "live" and stubs.rate_requests("ups") == 1  # UPS: one request, both parcels
    assert stubs.rate_requests("usps") == 2  # USPS's prices API takes one parcel per request
    packages = stubs.stubs["ups"].bodies("rate")[0]["RateRequest"]["Shipment"]["Package"]
    assert isinstance(packages, list) and len(packages) == 2
