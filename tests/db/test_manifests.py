"""End-of-day close-out on SQLite and PostgreSQL: which shipments land on a manifest, refusals,
who closed it, and a closed manifest that the database itself keeps unchanged. Everything
goes through ``AppServices`` as the window and the CLI do: packers pack and ship at their
stations, a manager signed in at the office closes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.exc import DBAPIError

from drivers.sim.printer import SimLabelPrinter
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Manifest, Order, OutboxMessage, Package, Shipment, Station
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.manifests import LabelsPendingRefused, ManifestProblem, ManifestRefused
from fulfilstation.services.manifests.queries import manifest_rows
from fulfilstation.services.packing import Weighing
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.shipping import PrintOutcome, ShipmentRefused
from tests.support.app import app_for, sign_in
from tests.support.bulk_shipments import account_of, add_account, bulk_shipments
from tests.support.pdf import pdf_text
from tests.support.warehouse import make_order, unit_barcode

OFFICE = "OFFICE"  # the manager's PC


def ship_at(db: Database, station: str, service: str | None = None, sku: str = "MUG-CER-350", *,
            printed: bool = True) -> PrintOutcome:
    """One unit of ``sku`` packed and shipped through the use cases by the packer signed in at
    ``station``; its label prints on the ``sim:`` label printer, or, ``printed`` False, the
    station has no label printer and the shipment stays label-pending."""
    app = app_for(db, station=station, label=SimLabelPrinter() if printed else None)
    packer = sign_in(app, "packer")
    view = app.packing.start(packer, make_order(db, [(sku, 1)], service=service))
    scanned = app.packing.scan(packer, view.session_id, unit_barcode(db, sku))
    assert scanned.accepted and scanned.view.expected_g is not None, scanned.message
    return app.shipping.ship(packer, view.session_id, Weighing(scanned.view.expected_g))


def pack_at(db: Database, station: str, service: str | None = None, sku: str = "MUG-CER-350", *,
            printed: bool = True) -> int:
    """A shipment packed through the real flow at ``station``; its id (``printed``: see ``ship_at``)."""
    return ship_at(db, station, service, sku, printed=printed).shipment_id


def office(db: Database, user: str = "manager", station: str = OFFICE) -> tuple[AppServices, Actor]:
    """The use cases at ``station`` and ``user`` (a demo user) signed in there with their PIN."""
    app = app_for(db, station=station)
    return app, sign_in(app, user)


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


def count(db: Database, model: type[Manifest | AuditEntry], *criteria: ColumnElement[bool]) -> int:
    with db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(model).where(*criteria)) or 0


def test_close_gathers_every_station_for_the_right_carrier_account(seeded_database: Database) -> None:
    db = seeded_database
    ups = [pack_at(db, "PACK-A", "ups/ground"), pack_at(db, "PACK-B", "ups/ground"),
           pack_at(db, "PACK-A", "ups/2day")]
    usps = pack_at(db, "PACK-B", "usps/priority")
    second = add_account(db, "ups", "9X9X99")
    other = bulk_shipments(db, 3, carrier="ups", account_id=second, packages=2)
    app, manager = office(db)
    groups = {(g.carrier_code, g.account_number): (g.shipments, g.packages) for g in app.manifests.open_shipments()}
    assert groups == {("ups", "0W1X23"): (3, 3), ("ups", "9X9X99"): (3, 6), ("usps", "901234567"): (1, 1)}
    assert [g.account_id for g in app.manifests.open_shipments("USPS ")] == [account_of(db, "usps")]

    with pytest.raises(ManifestRefused, match="2 accounts") as ambiguous:
        app.manifests.close(manager, "ups")
    assert ambiguous.value.problem is ManifestProblem.CHOOSE_ACCOUNT
    first = app.manifests.close(manager, "ups", "0W1X23").info
    tracking, weight = packages_of(db, ups)
    assert (first.number, first.shipment_count, first.package_count, first.total_weight_g) == (
        f"M-UPS-{today()}-1", 3, 3, weight)
    assert first.closed_by == manager.full_name and first.account_number == "0W1X23"
    assert manifest_of(db, ups) == [first.id] * 3 and manifest_of(db, [usps, *other.shipment_ids]) == [None] * 4
    rows = manifest_rows(db, first.id)
    assert [row.tracking_number for row in rows] == tracking
    assert {row.service for row in rows} == {"UPS Ground", "UPS 2nd Day Air"}
    assert all(row.reference.startswith("T-") and row.postal_code == "62704" for row in rows)

    again = app.manifests.close(manager, "ups", second).info  # by id this time
    assert (again.number, again.shipment_count, again.package_count, again.total_weight_g) == (
        f"M-UPS-{today()}-2", 3, 6, other.weight_g)
    assert [g.carrier_code for g in app.manifests.open_shipments()] == ["usps"]
    assert [m.number for m in app.manifests.past("ups")] == [again.number, first.number]
    assert app.manifests.past("usps") == []
    with db.unit_of_work() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "manifest.closed")
                                .order_by(AuditEntry.id)).all()
        assert [(a.entity_id, a.details["shipments"]) for a in audit] == [(first.id, 3), (again.id, 3)]
        assert session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.topic == "manifest.closed")) == 2


def test_the_manifest_names_who_closed_it_and_at_which_station(seeded_database: Database,
                                                               tmp_path: Path) -> None:
    """closed_by, the row's station, the audit entry (user, station, by, via) and the PDF all
    name the signed-in actor: a manager by PIN at one PC, an owner by badge at another."""
    db = seeded_database
    pack_at(db, "PACK-A")
    app, manager = office(db, station="OFFICE-2")
    closed = app.manifests.close(manager, "courier")
    pack_at(db, "PACK-B", "ups/ground")
    owner = app.users.sign_in_with_badge("BADGE-0003", "OFFICE-3")
    by_owner = app.manifests.close(owner, "ups").info
    assert (closed.info.closed_by, by_owner.closed_by) == ("Morgan Manager", "Olive Owner")
    assert [m.closed_by for m in app.manifests.past()] == ["Olive Owner", "Morgan Manager"]
    for info, actor, station, via in ((closed.info, manager, "OFFICE-2", "pin"),
                                      (by_owner, owner, "OFFICE-3", "badge")):
        with db.unit_of_work() as session:
            row = session.get_one(Manifest, info.id)
            entry = session.scalars(select(AuditEntry).where(
                AuditEntry.action == "manifest.closed", AuditEntry.entity_id == info.id)).one()
            assert (row.closed_by_id, row.station_id) == (actor.user_id, actor.station_id)
            assert (entry.user_id, entry.station_id) == (actor.user_id, actor.station_id)
            assert (entry.details["by"], entry.details["via"]) == (actor.username, via)
            assert session.get_one(Station, row.station_id).name == station
    assert "by Morgan Manager" in pdf_text(closed.pdf, tmp_path)
    assert "by Olive Owner" in pdf_text(app.manifests.pdf(by_owner.id), tmp_path / "owner")


def test_voided_shipments_are_left_out(seeded_database: Database) -> None:
    db = seeded_database
    kept, voided = pack_at(db, "PACK-A"), ship_at(db, "PACK-B")
    app, manager = office(db)
    app.shipping.void(manager, voided.tracking_numbers[0], "customer cancelled")
    assert [(g.carrier_code, g.shipments) for g in app.manifests.open_shipments()] == [("courier", 1)]
    result = app.manifests.close(manager, "courier").info
    assert result.shipment_count == 1 and manifest_of(db, [kept, voided.shipment_id]) == [result.id, None]


def test_a_shipment_after_the_close_goes_on_the_next_manifest(seeded_database: Database) -> None:
    db = seeded_database
    app, manager = office(db)
    early = pack_at(db, "PACK-A")
    first = app.manifests.close(manager, "courier").info
    late = pack_at(db, "PACK-A")
    assert [(g.carrier_code, g.shipments) for g in app.manifests.open_shipments()] == [("courier", 1)]
    second = app.manifests.close(manager, "courier").info
    assert manifest_of(db, [early, late]) == [first.id, second.id]
    assert second.number == f"M-COURIER-{today()}-2" and second.shipment_count == 1
    assert app.manifests.past()[1] == first  # unchanged


def test_closing_a_past_day_takes_only_what_was_shipped_by_its_end(seeded_database: Database) -> None:
    db = seeded_database
    now = dt.datetime.now(dt.UTC)
    yesterday = bulk_shipments(db, 2, carrier="fedex", created_at=now - dt.timedelta(days=1, hours=1))
    today_ = bulk_shipments(db, 1, carrier="fedex", created_at=now - dt.timedelta(seconds=5))
    day = (now - dt.timedelta(days=1, hours=1)).astimezone().date()
    app, manager = office(db)
    closed = app.manifests.close(manager, "fedex", date=day).info
    assert closed.number == f"M-FEDEX-{day:%Y%m%d}-1" and closed.manifest_date == day
    assert manifest_of(db, yesterday.shipment_ids + today_.shipment_ids) == [closed.id, closed.id, None]
    with pytest.raises(ManifestRefused, match="has not begun") as future:
        app.manifests.close(manager, "fedex", date=dt.date.today() + dt.timedelta(days=2))
    assert future.value.problem is ManifestProblem.FUTURE_DATE


def test_nothing_to_close_is_refused_and_leaves_no_manifest(seeded_database: Database) -> None:
    db = seeded_database
    app, manager = office(db)
    for account in (None, "0614141"):
        with pytest.raises(ManifestRefused, match="Nothing to close for Own Delivery") as nothing:
            app.manifests.close(manager, "courier", account)
        assert nothing.value.problem is ManifestProblem.NOTHING_TO_CLOSE
    shipment_id = pack_at(db, "PACK-A")
    cases = [("dhl", None, ManifestProblem.UNKNOWN_CARRIER, "no carrier 'dhl'"),
             ("courier", "nope", ManifestProblem.UNKNOWN_ACCOUNT, "no account")]
    for carrier, account, problem, words in cases:
        with pytest.raises(ManifestRefused, match=words) as refused:
            app.manifests.close(manager, carrier, account)
        assert refused.value.problem is problem
    packer = sign_in(app, "packer")  # a packer may not close, even with something to close
    with pytest.raises(NotAllowed, match="only a manager or an owner can close a manifest") as not_allowed:
        app.manifests.close(packer, "courier")
    assert not_allowed.value.code == "not-allowed"
    assert count(db, Manifest) == 0 and count(db, AuditEntry, AuditEntry.action == "manifest.closed") == 0
    assert manifest_of(db, [shipment_id]) == [None]
    assert [(g.carrier_code, g.shipments) for g in app.manifests.open_shipments()] == [("courier", 1)]


def test_a_closed_manifest_and_its_shipments_never_change(seeded_database: Database) -> None:
    db = seeded_database
    shipped = ship_at(db, "PACK-A")
    shipment_id = shipped.shipment_id
    app, manager = office(db)
    closed = app.manifests.close(manager, "courier").info
    with pytest.raises(ShipmentRefused, match="closed manifest") as void:
        app.shipping.void(manager, shipped.tracking_numbers[0], "customer cancelled")
    assert void.value.code == "on-manifest"
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
    assert app.manifests.past() == [closed] and manifest_of(db, [shipment_id]) == [closed.id]


def test_label_pending_shipments_refuse_the_close_until_each_is_confirmed(seeded_database: Database) -> None:
    db = seeded_database
    printed = pack_at(db, "PACK-A", "ups/ground")
    pending = [pack_at(db, "PACK-A", "ups/ground", printed=False), pack_at(db, "PACK-B", "ups/ground", printed=False)]
    other = pack_at(db, "PACK-B", "usps/priority", printed=False)  # another carrier's: not this close's business
    app, manager = office(db)
    with pytest.raises(LabelsPendingRefused, match="2 UPS shipments are still waiting for their labels") as refused:
        app.manifests.close(manager, "ups")
    assert refused.value.problem is ManifestProblem.LABEL_PENDING
    assert [label.shipment_id for label in refused.value.pending] == pending
    assert all(f"shipment {i} (order " in refused.value.message for i in pending)
    assert "PACK-B" in refused.value.message and "confirm each label" in refused.value.message
    with pytest.raises(LabelsPendingRefused, match="1 UPS shipment is still waiting for its label") as one_left:
        app.manifests.close(manager, "ups", confirmed_printed=[pending[0]])  # each one must be confirmed
    assert [label.shipment_id for label in one_left.value.pending] == [pending[1]]
    assert count(db, Manifest) == 0 and manifest_of(db, [printed, *pending]) == [None, None, None]
    assert count(db, AuditEntry, AuditEntry.action == "shipment.label_confirmed") == 0  # the refusal changed nothing

    closed = app.manifests.close(manager, "ups", confirmed_printed=[*pending, other]).info
    assert closed.shipment_count == 3 and manifest_of(db, [printed, *pending, other]) == [closed.id] * 3 + [None]
    with db.unit_of_work() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "shipment.label_confirmed")
                                  .order_by(AuditEntry.entity_id)).all()
        assert [(e.entity_id, e.user_id) for e in entries] == [(i, manager.user_id) for i in pending]
        assert {session.get_one(Shipment, i).status for i in pending} == {"printed"}
        assert session.get_one(Shipment, other).status == "label-pending"
        order_number = session.scalar(select(Order.number).join(Shipment, Shipment.order_id == Order.id)
                                      .where(Shipment.id == pending[0]))
    history = [entry.what for entry in app.orders.detail(str(order_number)).history]
    assert any(what.startswith("Label ") and "confirmed on the parcel at close-out" in what for what in history)

