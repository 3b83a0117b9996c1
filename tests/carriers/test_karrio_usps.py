"""The karrio gateway against the local USPS v3 stub: rates, ZPL labels at 203 and 300 dpi
that decode to their tracking numbers, one label per parcel voided together, tracking, the
SCAN form, and the failures (a lost answer after the label was made is uncertain, once)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fulfilstation.carriers.gateway import (
    Capability,
    CarrierProblem,
    LabelFormat,
    Parcel,
    RateRequest,
    ShipmentRequest,
    TrackingState,
)
from tests.carriers.conftest import BOX, DESTINATION, ORIGIN, decoded, usps_gateway
from tests.support.usps_stub import USPSStub


def shipment(reference: str = "PKG-2001", *parcels: Parcel, dpi: int = 203,
             label_format: LabelFormat = LabelFormat.ZPL) -> ShipmentRequest:
    return ShipmentRequest(reference=reference, service_code="usps_ground_advantage", ship_from=ORIGIN,
                           ship_to=DESTINATION, parcels=parcels or (BOX,), dpi=dpi, label_format=label_format)


def test_rates_for_every_mail_class(usps: USPSStub) -> None:
    rates = usps_gateway(usps).rates(RateRequest(ORIGIN, DESTINATION, (BOX,)))

    assert [(r.service_code, r.cost_minor, r.transit_days) for r in rates] == [
        ("usps_ground_advantage", 695, 3), ("usps_priority_mail", 1113, 2), ("usps_priority_mail_express", 3405, 1)]
    body = usps.bodies("rate")[0]
    assert (body["originZIPCode"], body["destinationZIPCode"], body["packageDescription"]["weight"]) == (
        "30301", "02101", 2.21)


def test_label_is_zpl_at_203_dpi_decoding_to_the_tracking_number(usps: USPSStub, tmp_path: Path) -> None:
    label = usps_gateway(usps).create_label(shipment())

    assert usps.labels_made == 1 and label.label_format is LabelFormat.ZPL
    assert usps.bodies("label")[0]["imageInfo"]["imageType"] == "ZPL203DPI"
    assert label.cost_minor == 695 and label.currency == "USD"
    assert usps.labels[label.tracking_number].reference == "PKG-2001"
    assert decoded(label.labels[0], tmp_path) == [label.tracking_number]


def test_a_300_dpi_printer_gets_usps_zpl_at_300_dpi(usps: USPSStub, tmp_path: Path) -> None:
    label = usps_gateway(usps).create_label(shipment(dpi=300))

    assert usps.bodies("label")[0]["imageInfo"]["imageType"] == "ZPL300DPI"
    assert label.label_format is LabelFormat.ZPL
    assert decoded(label.labels[0], tmp_path, dpi=300) == [label.tracking_number]


def test_a_pdf_when_asked(usps: USPSStub) -> None:
    label = usps_gateway(usps).create_label(shipment(label_format=LabelFormat.PDF))

    assert label.label_format is LabelFormat.PDF and label.labels[0].startswith(b"%PDF")


def test_two_parcels_two_labels_in_order_costs_summed_and_voided_together(usps: USPSStub) -> None:
    gateway = usps_gateway(usps)
    label = gateway.create_label(shipment("PKG-3", BOX, Parcel(500)))

    assert usps.labels_made == 2 and len(label.labels) == len(label.tracking_numbers) == 2
    for number, zpl in zip(label.tracking_numbers, label.labels, strict=True):
        assert f"^FD{number}^FS".encode() in zpl  # each label is its own parcel's
    assert label.cost_minor == 695 + 618
    assert Capability.MULTI_PARCEL in gateway.info.capabilities

    gateway.void(label.external_id, label.tracking_number)

    assert all(usps.labels[n].voided for n in label.tracking_numbers)


def test_void_twice_is_refused_in_uspss_words(usps: USPSStub) -> None:
    gateway = usps_gateway(usps)
    label = gateway.create_label(shipment())
    gateway.void(label.external_id, label.tracking_number)

    with pytest.raises(CarrierProblem) as refused:
        gateway.void(label.external_id, label.tracking_number)

    assert "already been canceled" in (refused.value.carrier_text or "") and not refused.value.uncertain


def test_tracking_pending_then_delivered(usps: USPSStub) -> None:
    gateway = usps_gateway(usps)
    waiting, arrived = gateway.create_label(shipment("A")), gateway.create_label(shipment("B"))
    usps.set_events(arrived.tracking_number, "Delivered, In/At Mailbox", [
        ("Delivered, In/At Mailbox", "01", "2026-12-10T15:12:00Z", "BOSTON"),
        ("Out for Delivery", "OF", "2026-12-10T07:40:00Z", "BOSTON"),
        ("Arrived at USPS Regional Facility", "10", "2026-12-09T02:10:00Z", "HARTFORD CT DISTRIBUTION CENTER"),
    ])

    statuses = {s.tracking_number: s for s in gateway.track([waiting.tracking_number, arrived.tracking_number])}

    assert statuses[waiting.tracking_number].state is TrackingState.PENDING
    delivered = statuses[arrived.tracking_number]
    assert delivered.state is TrackingState.DELIVERED
    assert delivered.delivered_at is not None and delivered.delivered_at.isoformat() == "2026-12-10T15:12:00+00:00"
    assert [e.code for e in delivered.events] == ["01", "OF", "10"]
    assert delivered.estimated_delivery is not None and delivered.estimated_delivery.isoformat() == "2026-12-10"


def test_scan_form_is_the_manifest(usps: USPSStub) -> None:
    gateway = usps_gateway(usps)
    first, second = gateway.create_label(shipment("A")), gateway.create_label(shipment("B"))

    manifest = gateway.manifest([first.tracking_number, second.tracking_number], ORIGIN)

    assert manifest is not None and manifest.document is not None and manifest.document.startswith(b"%PDF")
    assert usps.scan_forms == {manifest.external_id: [first.tracking_number, second.tracking_number]}
    with pytest.raises(CarrierProblem) as again:
        gateway.manifest([first.tracking_number], ORIGIN)
    assert "not eligible" in (again.value.carrier_text or "")


def test_a_timeout_after_the_label_was_made_is_uncertain_once(usps: USPSStub) -> None:
    usps.delay("label", 3)

    with pytest.raises(CarrierProblem) as lost:
        usps_gateway(usps, timeout_s=1).create_label(shipment())

    assert lost.value.uncertain
    assert usps.labels_made == 1 and usps.count("label") == 1


def test_a_5xx_on_the_label_after_the_work_is_uncertain(usps: USPSStub) -> None:
    usps.fail_after_work("label", 500)

    with pytest.raises(CarrierProblem) as failed:
        usps_gateway(usps).create_label(shipment())

    assert failed.value.uncertain and usps.labels_made == 1


def test_a_malformed_label_reply_is_uncertain(usps: USPSStub) -> None:
    usps.malform("label")

    with pytest.raises(CarrierProblem) as unreadable:
        usps_gateway(usps).create_label(shipment())

    assert unreadable.value.uncertain and usps.labels_made == 1


def test_a_5xx_on_tracking_is_a_plain_problem(usps: USPSStub) -> None:
    gateway = usps_gateway(usps)
    label = gateway.create_label(shipment())
    usps.fail("track", 503)

    with pytest.raises(CarrierProblem) as failed:
        gateway.track([label.tracking_number])

    assert not failed.value.uncertain and "HTTP 503" in failed.value.message


def test_wrong_credentials_are_uspss_refusal(usps: USPSStub) -> None:
    with pytest.raises(CarrierProblem) as refused:
        usps_gateway(usps, secret="wrong-one").rates(RateRequest(ORIGIN, DESTINATION, (BOX,)))

    assert refused.value.carrier_text == "Client authentication failed. [invalid_client]"
    assert "wrong-one" not in refused.value.message


def test_an_address_abroad_is_karrios_refusal_before_sending(usps: USPSStub) -> None:
    abroad = ShipmentRequest("X", "usps_ground_advantage", ORIGIN,
                             DESTINATION.__class__("Ann", "1 Rue", "Paris", "75001", "FR"), (BOX,))

    with pytest.raises(CarrierProblem) as refused:
        usps_gateway(usps).create_label(abroad)

    assert not refused.value.uncertain and usps.count("label") == 0


def test_a_slow_token_keeps_to_the_timeout_and_buys_nothing(usps: USPSStub) -> None:
    usps.delay("token", 4)  # karrio's USPS extension would retry its token request twice
    started = time.monotonic()

    with pytest.raises(CarrierProblem) as slow:
        usps_gateway(usps, timeout_s=1).create_label(shipment())

    assert time.monotonic() - started < 2.5 and not slow.value.uncertain
    assert usps.count("token") == 1 and usps.count("label") == 0
