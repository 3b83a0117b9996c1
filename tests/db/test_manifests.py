"""End-of-day close-out on SQLite and PostgreSQL: which shipments land on a manifest, refusals,
and a closed manifest that the database itself keeps unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Manifest, OutboxMessage, Package, Shipment
from fulfilstation.services.manifests.close import (
    ManifestProblem,
    ManifestRefused,
    close_manifest,
    manifest_rows,
    open_shipments,
    past_manifests,
)
from fulfilstation.services.packing import PackRefused, Weighing, scan_item, ship, start_pack, void_shipment
from tests.db.test_packing import expected_weight
from tests.support.bulk_shipments import account_of, add_account, bulk_shipments
from tests.support.warehouse import make_order, station_id, unit_barcode, user_id


def pack_at(db: Database, station: str, service: str | None = None, sku: str = "MUG-CER-350") -> int:
    """A shipment packed through the real flow at ``station``."""
    number = make_order(db, [(sku, 1)], service=service)
    session_id = start_pack(db, number, station_id(db, station), user_id(db)).session_id
    scan_item(db, session_id, unit_barcode(db, sku))
    shipment_id, _labels = ship(db, session_id, Weighing(expected_weight(db, session_id)))
    return shipment_id


def manifest_of(db: Database, shipment_ids: list[int]) -> list[int | None]:
    with db.unit_of_work() as session:
        return [session.get_one(Shipment, shipment_id).manifest_id for shipment_id in shipment_ids]


def packages_of(db: Database, shipment_ids: list[int]) -> tuple[list[str], int]:
    with db.unit_of_work() as session:
        rows = session.execute(select(Package.tracking_number, Package.weight_measured_g).where(
            Package.shipment_id.in_(shipment_ids)).order_by(Package.shipment_id, Package.sequence)).all()
    return [t or "" for t, _w in rows], sum(w for _t, w in rows)


def today() -> str:
    return f"{dt.datetime.now().astimezone():%Y%m%d}"


def test_close_gathers_every_station_for_the_right_carrier_account(seeded_database: Database) -> None:
    db = seeded_database
    ups = [pack_at(db, "PACK-A", "ups/ground"), pack_at(db, "PACK-B", "ups/ground"),
           pack_at(db, "PACK-A", "ups/2day")]
    usps = pack_at(db, "PACK-B", "usps/priority")
    second = add_account(db, "ups", "9X9X99")
    other = bulk_shipments(db, 3, carrier="ups", account_id=second, packages=2)
    groups = {(g.carrier_code, g.account_number): (g.shipments, g.packages) for g in open_shipments(db)}
    assert groups == {("ups", "0W1X23"): (3, 3), ("ups", "9X9X99"): (3, 6), ("usps", "901234567"): (1, 1)}
    assert [g.account_id for g in open_shipments(db, "USPS ")] == [account_of(db, "usps")]

    with pytest.raises(ManifestRefused, match="2 accounts") as ambiguous:
        close_manifest(db, "ups")
    assert ambiguous.value.problem is ManifestProblem.CHOOSE_ACCOUNT
    first = close_manifest(db, "ups", "0W1X23", user_id=user_id(db, "manager"), station_id=station_id(db, "PACK-A"))
    tracking, weight = packages_of(db, ups)
    assert (first.number, first.shipment_count, first.package_count, first.total_weight_g) == (
        f"M-UPS-{today()}-1", 3, 3, weight)
    assert first.closed_by is not None and first.account_number == "0W1X23"
    assert manifest_of(db, ups) == [first.id] * 3 and manifest_of(db, [usps, *other.shipment_ids]) == [None] * 4
    rows = manifest_rows(db, first.id)
    assert [row.tracking_number for row in rows] == tracking
    assert {row.service for row in rows} == {"UPS Ground", "UPS 2nd Day Air"}
    assert all(row.reference.startswith("T-") and row.postal_code == "62704" for row in rows)

    again = close_manifest(db, "ups", second)  # by id this time
    assert (again.number, again.shipment_count, again.package_count, again.total_weight_g) == (
        f"M-UPS-{today()}-2", 3, 6, other.weight_g)
    assert [g.carrier_code for g in open_shipments(db)] == ["usps"]
    assert [m.number for m in past_manifests(db, "ups")] == [again.number, first.number]
    assert past_manifests(db, "usps") == []
    with db.unit_of_work() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "manifest.closed")
                                .order_by(AuditEntry.id)).all()
        assert [(a.entity_id, a.details["shipments"]) for a in audit] == [(first.id, 3), (again.id, 3)]
        assert session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.topic == "manifest.closed")) == 2


def test_voided_shipments_are_left_out(seeded_database: Database) -> None:
    db = seeded_database
    kept, voided = pack_at(db, "PACK-A"), pack_at(db, "PACK-B")
    void_shipment(db, voided, user_id(db, "manager"), "customer cancelled")
    assert [(g.carrier_code, g.shipments) for g in open_shipments(db)] == [("courier", 1)]
    result = close_manifest(db, "courier")
    assert result.shipment_count == 1 and manifest_of(db, [kept, voided]) == [result.id, None]


def test_a_shipment_after_the_close_goes_on_the_next_manifest(seeded_database: Database) -> None:
    db = seeded_database
    early = pack_at(db, "PACK-A")
    first = close_manifest(db, "courier")
    late = pack_at(db, "PACK-A")
    assert [(g.carrier_code, g.shipments) for g in open_shipments(db)] == [("courier", 1)]
    second = close_manifest(db, "courier")
    assert manifest_of(db, [early, late]) == [first.id, second.id]
    assert second.number == f"M-COURIER-{today()}-2" and second.shipment_count == 1
    assert past_manifests(db)[1] == first  # unchanged


def test_closing_a_past_day_takes_only_what_was_shipped_by_its_end(seeded_database: Database) -> None:
    db = seeded_database
    now = dt.datetime.now(dt.UTC)
    yesterday = bulk_shipments(db, 2, carrier="fedex", created_at=now - dt.timedelta(days=1, hours=1))
    today_ = bulk_shipments(db, 1, carrier="fedex", created_at=now - dt.timedelta(seconds=5))
    day = (now - dt.timedelta(days=1, hours=1)).astimezone().date()
    closed = close_manifest(db, "fedex", date=day)
    assert closed.number == f"M-FEDEX-{day:%Y%m%d}-1" and closed.manifest_date == day
    assert manifest_of(db, yesterday.shipment_ids + today_.shipment_ids) == [closed.id, closed.id, None]
    with pytest.raises(ManifestRefused, match="has not begun") as future:
        close_manifest(db, "fedex", date=dt.date.today() + dt.timedelta(days=2))
    assert future.value.problem is ManifestProblem.FUTURE_DATE


def test_nothing_to_close_is_refused_and_leaves_no_manifest(seeded_database: Database) -> None:
    db = seeded_database
    for kwargs in ({}, {"account_id": "0614141"}):
        with pytest.raises(ManifestRefused, match="Nothing to close for Own Delivery") as nothing:
            close_manifest(db, "courier", **kwargs)  # type: ignore[arg-type]
        assert nothing.value.problem is ManifestProblem.NOTHING_TO_CLOSE
    pack_at(db, "PACK-A")
    cases = [({"carrier_code": "dhl"}, ManifestProblem.UNKNOWN_CARRIER, "no carrier 'dhl'"),
             ({"carrier_code": "courier", "account_id": "nope"}, ManifestProblem.UNKNOWN_ACCOUNT, "no account"),
             ({"carrier_code": "courier", "user_id": user_id(db, "packer")}, ManifestProblem.NOT_ALLOWED, "manager")]
    for kwargs, problem, words in cases:
        with pytest.raises(ManifestRefused, match=words) as refused:
            close_manifest(db, **kwargs)  # type: ignore[arg-type]
        assert refused.value.problem is problem
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Manifest)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "manifest.closed")) == 0


def test_a_closed_manifest_and_its_shipments_never_change(seeded_database: Database) -> None:
    db = seeded_database
    shipment_id = pack_at(db, "PACK-A")
    closed = close_manifest(db, "courier")
    with pytest.raises(PackRefused, match="closed manifest"):
        void_shipment(db, shipment_id, user_id(db, "manager"))
    refused = [
        (f"UPDATE manifests SET package_count = 0, total_weight_g = 0 WHERE id = {closed.id}", "manifest is closed"),
        (f"DELETE FROM manifests WHERE id = {closed.id}", "manifest is closed"),
        (f"UPDATE shipments SET manifest_id = NULL WHERE id = {shipment_id}", "closed manifest"),
        (f"UPDATE shipments SET status = 'voided' WHERE id = {shipment_id}", "closed manifest"),
        (f"DELETE FROM shipments WHERE id = {shipment_id}", "closed manifest"),
    ]
    for statement, words in refused:
        with pytest.raises(DBAPIError, match=words), db.engine.begin() as connection:
            connection.execute(text(statement))
    with db.engine.begin() as connection:  # a label may still be (re)printed
        connection.execute(text(f"UPDATE shipments SET status = 'printed' WHERE id = {shipment_id}"))
    assert past_manifests(db) == [closed] and manifest_of(db, [shipment_id]) == [closed.id]
