"""End of day for an EasyPost account on SQLite and PostgreSQL: the manifest commits first,
then the scan form of exactly its labels is asked of the EasyPost stub and recorded on the
row once; failures leave the manifest closed and a retry attaches the form once; the
database refuses every other change of a closed manifest, even after migration 0003."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DBAPIError

from drivers.sim.printer import SimLabelPrinter
from fulfilstation.carriers.label_purchase import purchase_label
from fulfilstation.credentials import SecretStore
from fulfilstation.db import migrate
from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    AuditEntry,
    Manifest,
    Shipment,
)
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.manifests import ManifestInfo, ManifestProblem, ManifestRefused
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.shipping.printing import print_shipment
from tests.db.test_easypost import adapter, committed_shipment
from tests.db.test_manifests import office, pack_at, today
from tests.support.app import app_for, sign_in
from tests.support.easypost_account import KEY, KEYRING_NAME, add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.pdf import pdf_text


@pytest.fixture
def account(seeded_database: Database, stub: EasyPostStub) -> int:
    return add_easypost_account(seeded_database, stub)


def bought(db: Database, account_id: int, count: int) -> list[int]:
    """Shipments whose EasyPost label was bought (from the stub) and printed (``sim:`` printer)."""
    shipment_ids = [purchase_label(db, committed_shipment(db, account_id), adapter(db, account_id)).shipment_id
                    for _ in range(count)]
    for shipment_id in shipment_ids:
        assert print_shipment(db, SimLabelPrinter(), shipment_id).printed
    return shipment_ids


def tracking_of(db: Database, shipment_id: int) -> str:
    with db.unit_of_work() as session:
        return session.get_one(Shipment, shipment_id).tracking_number or ""


def external_ids(db: Database, shipment_ids: list[int]) -> list[str | None]:
    with db.unit_of_work() as session:
        return [session.get_one(Shipment, s).external_id for s in shipment_ids]


def sent_ids(stub: EasyPostStub) -> list[list[str]]:
    """The shipment ids of every scan form request the stub received, in order."""
    return [[s["id"] for s in body.get("scan_form", body)["shipments"]]
            for route, _path, body in stub.requests if route == "scan_form"]


def audit(db: Database, manifest_id: int) -> list[tuple[str, dict[str, Any]]]:
    with db.unit_of_work() as session:
        return [(a.action, a.details) for a in session.scalars(select(AuditEntry).where(
            AuditEntry.entity_type == "manifest", AuditEntry.entity_id == manifest_id).order_by(AuditEntry.id))]


def stored(db: Database, manifest_id: int) -> tuple[str | None, str | None, int]:
    with db.unit_of_work() as session:
        row = session.get_one(Manifest, manifest_id)
        return row.external_id, row.external_form_url, row.package_count


def test_closing_an_easypost_day_records_the_scan_form_of_exactly_its_labels(
        seeded_database: Database, account: int, stub: EasyPostStub, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    db = seeded_database
    kept = bought(db, account, 2)
    voided = bought(db, account, 1)
    pending = committed_shipment(db, account)  # no label bought yet: stays for a later manifest
    pack_at(db, "PACK-A")  # the own courier's shipment stays out of it
    ep = adapter(db, account)
    app = app_for(db, station="OFFICE", adapters=lambda _name, _key, _settings: ep)
    manager = sign_in(app, "manager")
    app.shipping.void(manager, tracking_of(db, voided[0]), "customer cancelled")
    real, committed = ep.scan_form, []

    def scan_form_after_the_commit(ids: list[str]) -> Any:
        with db.unit_of_work() as session:  # another connection: sees only what was committed
            committed.append(session.scalars(select(Shipment.manifest_id).where(Shipment.id.in_(kept))).all())
        return real(ids)

    monkeypatch.setattr(ep, "scan_form", scan_form_after_the_commit)
    result = app.manifests.close(manager, "ep-usps")
    closed = result.info

    assert committed == [[closed.id, closed.id]]  # the close was committed before EasyPost was asked
    assert sent_ids(stub) == [external_ids(db, kept)]  # exactly the manifest's bought, live labels
    (form_id, form), = stub.scan_forms.items()
    assert (closed.scan_form_id, closed.scan_form_url, closed.scan_form_problem) == (form_id, form["form_url"], None)
    assert closed.number == f"M-EPUSPS-{today()}-1" and closed.shipment_count == 2  # not the one without a label
    assert closed.scan_form_note == f"EasyPost scan form: {form_id}" and not closed.scan_form_missing
    assert stored(db, closed.id) == (form_id, form["form_url"], 2)
    assert app.manifests.past("ep-usps") == [closed]
    with db.unit_of_work() as session:
        assert session.get_one(Shipment, pending).manifest_id is None
        assert session.get_one(Shipment, voided[0]).manifest_id is None
    actions = audit(db, closed.id)
    assert [a for a, _d in actions] == ["manifest.closed", "manifest.scan_form_attached"]
    assert actions[1][1] == {"number": closed.number, "scan_form": form_id, "form_url": form["form_url"],
                             "source": "easypost", "by": "manager", "via": "pin"}

    words = pdf_text(result.pdf, tmp_path)  # the PDF of the close is made after the scan form
    assert f"EasyPost scan form: {form_id}" in words and closed.number in words
    assert app.manifests.pdf(closed.id) == result.pdf  # a reprint is the same document
    assert app.manifests.attach_scan_form(manager, closed.id) == closed
    assert stub.count("scan_form") == 1  # done: nothing called

    local = app.manifests.close(manager, "courier").info  # a local carrier: no scan form, no call, as before
    assert (local.scan_form_expected, local.scan_form_id, local.scan_form_note) == (False, None, None)
    assert stub.count("scan_form") == 1 and stored(db, local.id)[:2] == (None, None)
    with pytest.raises(ManifestRefused, match="holds no EasyPost label") as refused:
        app.manifests.attach_scan_form(manager, local.id)
    assert refused.value.problem is ManifestProblem.NO_SCAN_FORM
    assert "EasyPost" not in pdf_text(app.manifests.pdf(local.id), tmp_path)


def test_an_easypost_error_leaves_the_manifest_closed_and_a_retry_attaches_it_once(
        seeded_database: Database, account: int, stub: EasyPostStub) -> None:
    db = seeded_database
    labels = bought(db, account, 3)
    stub.fail("scan_form", 503, "SERVICE.UNAVAILABLE", "Service temporarily unavailable.")
    app, manager = office(db)  # the account's own adapter, key from the keyring
    closed = app.manifests.close(manager, "ep-usps").info
    assert closed.scan_form_missing and closed.scan_form_id is None and closed.package_count == 3
    assert closed.scan_form_problem == (
        f"Manifest {closed.number} is closed, but its EasyPost scan form is missing: EasyPost has a problem of its "
        "own (Service temporarily unavailable). Try again in a few minutes. Press Retry scan form in the Manifests "
        f"window, or run: fulfilstation manifest scan-form {closed.number}")
    assert stored(db, closed.id) == (None, None, 3) and stub.scan_forms == {}
    listed = app.manifests.past("ep-usps")[0]
    assert listed.scan_form_missing and listed.scan_form_problem is None
    assert listed.scan_form_note == (f"The EasyPost scan form of {closed.number} is missing. Press Retry scan form "
                                     f"in the Manifests window, or run: fulfilstation manifest scan-form "
                                     f"{closed.number}")

    packer = sign_in(app, "packer")  # a packer may not retry it: refused before EasyPost is asked
    with pytest.raises(NotAllowed, match="only a manager or an owner can make a manifest's scan form"):
        app.manifests.attach_scan_form(packer, closed.id)
    assert stub.count("scan_form") == 1 and stored(db, closed.id) == (None, None, 3)

    retried = app.manifests.attach_scan_form(manager, closed.id)
    (form_id, _form), = stub.scan_forms.items()
    assert retried.scan_form_id == form_id and not retried.scan_form_missing and retried.scan_form_problem is None
    assert sent_ids(stub) == [external_ids(db, labels)] * 2
    assert stored(db, closed.id)[0] == form_id
    assert app.manifests.attach_scan_form(manager, closed.id) == retried
    assert stub.count("scan_form") == 2  # a second retry calls nothing
    actions = audit(db, closed.id)
    assert [a for a, _d in actions] == ["manifest.closed", "manifest.scan_form_failed", "manifest.scan_form_attached"]
    assert actions[1][1]["uncertain"] is True and actions[1][1]["code"] == "SERVICE.UNAVAILABLE"


def test_a_timeout_whose_form_was_made_is_never_doubled(seeded_database: Database, account: int,
                                                        stub: EasyPostStub) -> None:
    db = seeded_database
    bought(db, account, 2)
    stub.delay("scan_form", 2.5)  # EasyPost makes the form, the answer comes after the 1 s timeout
    app, manager = office(db)
    closed = app.manifests.close(manager, "ep-usps").info
    assert closed.scan_form_missing and "did not answer within 1 s" in (closed.scan_form_problem or "")
    (made, form), = stub.scan_forms.items()

    again = app.manifests.attach_scan_form(manager, closed.id)  # EasyPost refuses: the labels are on that form
    assert again.scan_form_missing and len(stub.scan_forms) == 1 and stub.count("scan_form") == 2
    problem = again.scan_form_problem or ""
    assert problem.startswith(f"Manifest {closed.number} is closed, but EasyPost refused its scan form: ")
    assert "already on a scan form" in problem and "may have made the form" in problem
    assert f"fulfilstation manifest scan-form {closed.number} --id sf_" in problem

    before = audit(db, closed.id)
    packer = sign_in(app, "packer")  # a packer may not record it: refused, nothing recorded
    with pytest.raises(NotAllowed, match="only a manager or an owner can record a manifest's scan form"):
        app.manifests.record_scan_form(packer, closed.id, made, form["form_url"])
    assert stored(db, closed.id)[0] is None and audit(db, closed.id) == before
    with pytest.raises(ManifestRefused, match="is not an EasyPost scan form id"):
        app.manifests.record_scan_form(manager, closed.id, "12345")
    recorded = app.manifests.record_scan_form(manager, closed.id, made, form["form_url"])
    assert (recorded.scan_form_id, recorded.scan_form_url) == (made, form["form_url"])
    assert app.manifests.record_scan_form(manager, closed.id, f" {made} ") == recorded  # the same id: no change
    with pytest.raises(ManifestRefused, match=f"already has scan form {made}"):
        app.manifests.record_scan_form(manager, closed.id, "sf_0000000000000000000000000000ffff")
    assert app.manifests.attach_scan_form(manager, closed.id) == recorded and stub.count("scan_form") == 2
    assert stored(db, closed.id)[0] == made
    assert [(a, d.get("source")) for a, d in audit(db, closed.id)][1:] == [
        ("manifest.scan_form_failed", None), ("manifest.scan_form_failed", None),
        ("manifest.scan_form_attached", "manual")]
    with pytest.raises(NotAllowed, match="only a manager or an owner"):
        app.manifests.record_scan_form(packer, closed.id, made)


def test_without_an_api_key_the_manifest_closes_and_says_what_to_do(seeded_database: Database, account: int,
                                                                     stub: EasyPostStub) -> None:
    db = seeded_database
    bought(db, account, 1)
    SecretStore().delete(KEYRING_NAME)
    app, manager = office(db)
    closed = app.manifests.close(manager, "ep-usps").info
    assert stub.count("scan_form") == 0 and stored(db, closed.id)[2] == 1
    assert "No EasyPost API key is stored for EasyPost demo" in (closed.scan_form_problem or "")
    assert "fulfilstation manifest scan-form" in (closed.scan_form_problem or "")
    SecretStore().set(KEYRING_NAME, KEY)
    assert app.manifests.attach_scan_form(manager, closed.id).scan_form_id in stub.scan_forms


def test_the_database_refuses_every_other_change_of_a_closed_manifest(seeded_database: Database) -> None:
    db = seeded_database
    pack_at(db, "PACK-A")
    app, manager = office(db)
    closed = app.manifests.close(manager, "courier").info
    m = closed.id

    def refused(statement: str) -> None:
        with pytest.raises(DBAPIError, match="manifest is closed"), db.engine.begin() as connection:
            connection.execute(text(statement))

    for statement in (f"UPDATE manifests SET package_count = 0, total_weight_g = 0 WHERE id = {m}",
                      f"UPDATE manifests SET external_form_url = 'https://x.test/f.pdf' WHERE id = {m}",
                      f"UPDATE manifests SET external_id = '' WHERE id = {m}",
                      f"UPDATE manifests SET external_id = 'sf_1', package_count = 7 WHERE id = {m}",
                      f"UPDATE manifests SET external_id = 'sf_1', number = 'M-X' WHERE id = {m}",
                      f"UPDATE manifests SET external_id = 'sf_1', closed_by_id = NULL, station_id = 1 WHERE id = {m}",
                      f"DELETE FROM manifests WHERE id = {m}"):
        refused(statement)
    with db.engine.begin() as connection:  # the one change allowed: the scan form, once, from NULL
        assert connection.execute(text(
            "UPDATE manifests SET external_id = 'sf_1', external_form_url = 'https://x.test/1.pdf' "
            f"WHERE id = {m} AND external_id IS NULL")).rowcount == 1
    with db.engine.begin() as connection:  # a second finisher matches nothing
        assert connection.execute(text(
            f"UPDATE manifests SET external_id = 'sf_2' WHERE id = {m} AND external_id IS NULL")).rowcount == 0
    for statement in (f"UPDATE manifests SET external_id = 'sf_2' WHERE id = {m}",
                      f"UPDATE manifests SET external_id = NULL, external_form_url = NULL WHERE id = {m}",
                      f"UPDATE manifests SET external_form_url = 'https://x.test/2.pdf' WHERE id = {m}",
                      f"UPDATE manifests SET package_count = package_count + 1 WHERE id = {m}",
                      f"DELETE FROM manifests WHERE id = {m}"):
        refused(statement)
    after = app.manifests.past()[0]
    assert (after.scan_form_id, after.scan_form_url, after.package_count) == ("sf_1", "https://x.test/1.pdf", 1)
    assert after == ManifestInfo(**{**vars(closed), "scan_form_id": "sf_1", "scan_form_url": "https://x.test/1.pdf"})


def test_two_stations_retrying_at_once_record_one_form(seeded_database: Database, account: int,
                                                       stub: EasyPostStub) -> None:
    db = seeded_database
    bought(db, account, 2)
    stub.fail("scan_form", 503, "SERVICE.UNAVAILABLE", "Service temporarily unavailable.")
    app, manager = office(db)
    closed = app.manifests.close(manager, "ep-usps").info
    stations = [office(db, user, station) for user, station in (("manager", "OFFICE-A"), ("owner", "OFFICE-B"))]
    start = threading.Barrier(len(stations))
    results: list[ManifestInfo | Exception] = []

    def station(there: AppServices, actor: Actor) -> None:
        start.wait()
        try:
            results.append(there.manifests.attach_scan_form(actor, closed.id))
        except Exception as exc:  # collected and asserted below
            results.append(exc)

    threads = [threading.Thread(target=station, args=signed_in) for signed_in in stations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    (form_id, _form), = stub.scan_forms.items()  # EasyPost refused the second: one label, one form
    assert len(results) == 2 and all(isinstance(r, ManifestInfo) for r in results)
    assert form_id in {r.scan_form_id for r in results if isinstance(r, ManifestInfo)}
    assert stored(db, closed.id)[0] == form_id
    assert [a for a, _d in audit(db, closed.id)].count("manifest.scan_form_attached") == 1


def test_downgrade_to_0002_restores_its_guard_with_manifests_in_place(seeded_database: Database,
                                                                      tmp_path: Path) -> None:
    db = seeded_database
    app, manager = office(db)
    pack_at(db, "PACK-A")
    first = app.manifests.close(manager, "courier").info.id
    pack_at(db, "PACK-A")
    second = app.manifests.close(manager, "courier").info.id
    with db.engine.begin() as connection:
        connection.execute(text(f"UPDATE manifests SET external_id = 'sf_1' WHERE id = {first}"))
    migrate.downgrade(db.engine, "0002")
    assert "external_form_url" not in {c["name"] for c in inspect(db.engine).get_columns("manifests")}
    for statement in (f"UPDATE manifests SET external_id = 'sf_2' WHERE id = {second}",
                      f"UPDATE manifests SET package_count = 0 WHERE id = {first}"):
        with pytest.raises(DBAPIError, match="manifest is closed") as refused, db.engine.begin() as connection:
            connection.execute(text(statement))
        assert "only its carrier scan form" not in str(refused.value)  # 0002's words, not 0003's
    migrate.upgrade(db.engine, backup_dir=tmp_path)
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    assert [(m.id, m.scan_form_id) for m in app.manifests.past()] == [(second, None), (first, "sf_1")]
    with db.engine.begin() as connection:
        connection.execute(text(f"UPDATE manifests SET external_id = 'sf_2' WHERE id = {second}"))
