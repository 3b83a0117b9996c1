"""The karrio gateway against the local UPS stub: rates, a ZPL label that decodes to its
tracking number, several parcels in one shipment, void, tracking, and every way a call can
fail — above all, a purchase whose answer is lost is reported uncertain and never bought twice."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from fulfilstation.carriers.gateway import (
    LOOKUP_UNSUPPORTED,
    Capability,
    CarrierProblem,
    Customs,
    CustomsLine,
    LabelFormat,
    Parcel,
    PostalAddress,
    RateRequest,
    ShipmentRequest,
    TrackingState,
)
from tests.carriers.conftest import BOX, DESTINATION, ORIGIN, decoded, ups_gateway
from tests.support.ups_stub import UPSStub


def shipment(reference: str = "PKG-1001", *parcels: Parcel, **changes: object) -> ShipmentRequest:
    request = ShipmentRequest(reference=reference, service_code="ups_ground", ship_from=ORIGIN, ship_to=DESTINATION,
                              parcels=parcels or (BOX,))
    return replace(request, **changes)  # type: ignore[arg-type]


def test_rates_come_in_minor_units_with_the_carriers_service_names(ups: UPSStub) -> None:
    rates = ups_gateway(ups).rates(RateRequest(ORIGIN, DESTINATION, (BOX,)))

    assert [(r.service_code, r.service_name, r.transit_days) for r in rates] == [
        ("ups_ground", "UPS Ground", 4), ("ups_2nd_day_air", "UPS 2nd Day Air", 2),
        ("ups_next_day_air", "UPS Next Day Air", 1)]
    assert rates[0].cost_minor == 1043 and rates[0].currency == "USD"  # 8.00 + 1.10 × 2.21 lb
    package = ups.bodies("rate")[0]["RateRequest"]["Shipment"]["Package"][0]
    assert package["PackageWeight"] == {"UnitOfMeasurement": {"Code": "LBS", "Description": "Weight"},
                                        "Weight": "2.21"}  # 1,000 g = 2.2046 lb, rounded up
    assert (package["Dimensions"]["Length"], package["Dimensions"]["Width"], package["Dimensions"]["Height"]) == (
        "11.9", "7.9", "4.0")  # 300 × 200 × 100 mm, rounded up to the tenth of an inch


def test_asked_services_only(ups: UPSStub) -> None:
    rates = ups_gateway(ups).rates(RateRequest(ORIGIN, DESTINATION, (BOX,), service_codes=("ups_next_day_air",)))

    assert [r.service_code for r in rates] == ["ups_next_day_air"]


def test_label_is_zpl_whose_barcode_is_the_tracking_number(ups: UPSStub, tmp_path: Path) -> None:
    gateway = ups_gateway(ups)

    label = gateway.create_label(shipment())

    assert ups.labels_made == 1
    assert label.label_format is LabelFormat.ZPL and label.labels[0].startswith(b"^XA")
    assert label.tracking_number == label.external_id and label.tracking_number.startswith("1Z")
    assert label.cost_minor == 1043 and label.currency == "USD"
    assert ups.labels[label.tracking_number].reference == "PKG-1001"
    request = ups.bodies("ship")[0]["ShipmentRequest"]
    assert request["LabelSpecification"]["LabelImageFormat"]["Code"] == "ZPL"
    assert decoded(label.labels[0], tmp_path) == [label.tracking_number]


def test_several_parcels_are_one_shipment_with_a_label_each(ups: UPSStub, tmp_path: Path) -> None:
    label = ups_gateway(ups).create_label(shipment("PKG-2", BOX, Parcel(500)))

    assert len(label.tracking_numbers) == 2 and len(label.labels) == 2
    assert ups.count("ship") == 1 and ups.shipments == {label.external_id: list(label.tracking_numbers)}
    assert [decoded(zpl, tmp_path) for zpl in label.labels] == [[n] for n in label.tracking_numbers]
    assert Capability.MULTI_PARCEL in ups_gateway(ups).info.capabilities


def test_a_300_dpi_printer_gets_a_pdf_since_ups_sends_zpl_at_203_only(ups: UPSStub) -> None:
    label = ups_gateway(ups).create_label(shipment(dpi=300))

    assert label.label_format is LabelFormat.PDF and label.labels[0].startswith(b"%PDF")
    assert ups.bodies("ship")[0]["ShipmentRequest"]["LabelSpecification"]["LabelImageFormat"]["Code"] != "ZPL"


def test_void_cancels_with_ups_and_a_second_void_is_refused_in_upss_words(ups: UPSStub) -> None:
    gateway = ups_gateway(ups)
    label = gateway.create_label(shipment())

    gateway.void(label.external_id, label.tracking_number)

    assert ups.labels[label.tracking_number].voided
    with pytest.raises(CarrierProblem) as refused:
        gateway.void(label.external_id, label.tracking_number)
    assert refused.value.carrier_text == "The shipment has already been voided. [190117]"
    assert not refused.value.uncertain


def test_tracking_reads_states_events_and_the_delivery_time(ups: UPSStub) -> None:
    gateway = ups_gateway(ups)
    first, second = gateway.create_label(shipment("A")), gateway.create_label(shipment("B"))
    ups.set_activity(second.tracking_number, [
        ("D", "DELIVERED", "KB", "20261209", "143000", "BOSTON"),
        ("I", "Out For Delivery Today", "OT", "20261209", "070500", "BOSTON"),
        ("I", "Arrived at Facility", "AR", "20261208", "220000", "HARTFORD"),
    ])

    statuses = {s.tracking_number: s for s in gateway.track([first.tracking_number, second.tracking_number])}

    assert statuses[first.tracking_number].state is TrackingState.PENDING
    delivered = statuses[second.tracking_number]
    assert delivered.state is TrackingState.DELIVERED
    assert delivered.delivered_at is not None and delivered.delivered_at.isoformat() == "2026-12-09T14:30:00+00:00"
    assert [e.code for e in delivered.events] == ["KB", "OT", "AR"]  # newest first
    assert delivered.events[0].location == "BOSTON, GA, US"


def test_tracking_an_unknown_number_is_ups_refusal(ups: UPSStub) -> None:
    with pytest.raises(CarrierProblem) as refused:
        ups_gateway(ups).track(["1Z999AA10000000000"])

    assert "Tracking Information Not Found" in (refused.value.carrier_text or "")


def test_ups_has_no_manifest_call_nor_a_lookup_by_reference(ups: UPSStub) -> None:
    gateway = ups_gateway(ups)

    assert gateway.manifest(["1Z1"], ORIGIN) is None
    assert gateway.find_label("PKG-1") is LOOKUP_UNSUPPORTED
    assert Capability.MANIFEST not in gateway.info.capabilities


def test_a_timeout_after_the_label_was_made_is_uncertain_and_buys_nothing_more(ups: UPSStub) -> None:
    ups.delay("ship", 3)
    gateway = ups_gateway(ups, timeout_s=1)
    started = time.monotonic()

    with pytest.raises(CarrierProblem) as lost:
        gateway.create_label(shipment())

    assert lost.value.uncertain and "did not answer" in lost.value.message
    assert time.monotonic() - started < 2.5  # bounded by the gateway's timeout, not UPS's
    assert ups.count("ship") == 1 and ups.labels_made == 1  # one label, asked for once
    assert gateway.find_label("PKG-1001") is LOOKUP_UNSUPPORTED  # the caller waits for a person


def test_a_5xx_on_the_purchase_is_uncertain(ups: UPSStub) -> None:
    ups.fail_after_work("ship", 502)

    with pytest.raises(CarrierProblem) as failed:
        ups_gateway(ups).create_label(shipment())

    assert failed.value.uncertain and "HTTP 502" in failed.value.message
    assert ups.labels_made == 1 and ups.count("ship") == 1


def test_a_5xx_on_rates_is_a_plain_problem(ups: UPSStub) -> None:
    ups.fail("rate", 503)

    with pytest.raises(CarrierProblem) as failed:
        ups_gateway(ups).rates(RateRequest(ORIGIN, DESTINATION, (BOX,)))

    assert not failed.value.uncertain and "HTTP 503" in failed.value.message
    assert "503 Service Unavailable" in (failed.value.carrier_text or "")


def test_a_5xx_on_the_token_buys_nothing_and_is_certain(ups: UPSStub) -> None:
    ups.fail("token", 500)

    with pytest.raises(CarrierProblem) as failed:
        ups_gateway(ups).create_label(shipment())

    assert not failed.value.uncertain and ups.count("ship") == 0


def test_a_malformed_purchase_reply_is_uncertain(ups: UPSStub) -> None:
    ups.malform("ship")

    with pytest.raises(CarrierProblem) as unreadable:
        ups_gateway(ups).create_label(shipment())

    assert unreadable.value.uncertain and "could not be read" in unreadable.value.message
    assert ups.labels_made == 1


def test_a_malformed_rates_reply_is_a_clear_problem(ups: UPSStub) -> None:
    ups.malform("rate")

    with pytest.raises(CarrierProblem) as unreadable:
        ups_gateway(ups).rates(RateRequest(ORIGIN, DESTINATION, (BOX,)))

    assert not unreadable.value.uncertain and "UPS's reply about rates could not be read" in unreadable.value.message


def test_wrong_credentials_show_upss_own_words_and_never_the_secret(ups: UPSStub) -> None:
    gateway = ups_gateway(ups, secret="not-the-secret-42")

    with pytest.raises(CarrierProblem) as refused:
        gateway.rates(RateRequest(ORIGIN, DESTINATION, (BOX,)))

    assert refused.value.carrier_text == "ClientId is Invalid [10401]" and not refused.value.uncertain
    assert "not-the-secret-42" not in f"{refused.value.message} {refused.value.carrier_text} {gateway!r}"


def test_ups_refusing_the_shipment_is_not_uncertain(ups: UPSStub) -> None:
    gateway = ups_gateway(ups)
    ups.account_number = "ZZZZZZ"  # the account number no longer belongs to these credentials

    with pytest.raises(CarrierProblem) as refused:
        gateway.create_label(shipment())

    assert not refused.value.uncertain and "[120412]" in (refused.value.carrier_text or "")
    assert ups.labels_made == 0


def test_a_token_is_fetched_once_for_the_account(ups: UPSStub) -> None:
    ups_gateway(ups).rates(RateRequest(ORIGIN, DESTINATION, (BOX,)))
    ups_gateway(ups).create_label(shipment())  # a gateway built anew, as for every pack

    assert ups.count("token") == 1


def test_karrio_writes_nothing_to_the_console(ups: UPSStub, capfd: pytest.CaptureFixture[str]) -> None:
    ups_gateway(ups).create_label(shipment())

    out, err = capfd.readouterr()
    assert ups.client_secret not in out + err and "karrio" not in err


def test_no_server_at_all_is_certain(ups: UPSStub) -> None:
    ups.__exit__()  # the port is closed now

    with pytest.raises(CarrierProblem) as unreachable:
        ups_gateway(ups).create_label(shipment())

    assert not unreachable.value.uncertain and "Could not reach UPS" in unreachable.value.message


def test_customs_go_to_ups_as_the_commercial_invoice_which_comes_back_as_a_document(ups: UPSStub) -> None:
    toronto = PostalAddress("Cara Client", "10 King St W", "Toronto", "M5H 1A1", "CA", state="ON",
                            phone="4165550100")
    customs = Customs("merchandise", "DDU", (CustomsLine("Cotton T-shirt", 3, 4500, "USD", 600, "610910", "US",
                                                         sku="TS-1"),), invoice_number="INV-9")

    label = ups_gateway(ups).create_label(shipment(ship_to=toronto, service_code="ups_standard", customs=customs))

    forms = ups.bodies("ship")[0]["ShipmentRequest"]["Shipment"]["ShipmentServiceOptions"]["InternationalForms"]
    (product,) = forms["Product"]
    assert (product["CommodityCode"], product["OriginCountryCode"], product["Unit"]["Number"],
            product["Unit"]["Value"]) == ("610910", "US", "3", "15.0")  # the unit value of a $45.00 line of 3
    assert (forms["TermsOfShipment"], forms["InvoiceNumber"], forms["ReasonForExport"]) == ("DDU", "INV-9", "SALE")
    (invoice,) = label.documents
    assert invoice.kind == "commercial_invoice" and invoice.content.startswith(b"%PDF")


def test_calls_from_several_threads_at_once(ups: UPSStub) -> None:
    gateway = ups_gateway(ups)
    with ThreadPoolExecutor(4) as pool:
        labels = list(pool.map(lambda i: gateway.create_label(shipment(f"PKG-{i}")), range(6)))

    assert len({label.tracking_number for label in labels}) == 6 == ups.labels_made
    assert {ups.labels[label.tracking_number].reference for label in labels} == {f"PKG-{i}" for i in range(6)}


def test_a_return_label_comes_back_to_the_warehouse(ups: UPSStub) -> None:
    label = ups_gateway(ups).create_label(shipment("RMA-7", is_return=True))  # given in outbound orientation

    sent = ups.bodies("ship")[0]["ShipmentRequest"]["Shipment"]
    assert (sent["ShipFrom"]["Address"]["City"], sent["ShipTo"]["Address"]["City"]) == ("Boston", "Atlanta")
    assert "ReturnService" in sent and ups.labels[label.tracking_number].reference == "RMA-7"
