"""``fulfilstation manifest close`` and ``scan-form`` act as a signed-in manager or owner (real
processes, both engines): without a sign-in they stop with exit status 2 and change nothing;
a refused sign-in or a packer's attempt prints ``error: <message>``, exits 1 and changes
nothing; the manifest and its audit entries name who signed in, and this PC's station."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Manifest, Station, User
from fulfilstation.settings import default_station_name
from tests.db.test_cli import cli, plain
from tests.db.test_manifest_scan_forms import audit, bought, stored
from tests.db.test_manifests import pack_at, today
from tests.support.easypost_account import KEY, KEYRING_NAME, add_easypost_account
from tests.support.easypost_stub import EasyPostStub

STUB_KEYRING = {"PYTHON_KEYRING_BACKEND": "tests.support.easypost_stub.StubKeyring",
                "FULFIL_STUB_KEYRING": json.dumps({KEYRING_NAME: KEY})}
NOT_ALLOWED = "error: Pat Packer is a packer: only a manager or an owner can"


@pytest.fixture(autouse=True)
def no_pin_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FULFIL_PIN", raising=False)


def manifests_and_audit(db: Database) -> tuple[int, list[str]]:
    """How many manifests there are and the manifest audit actions, to show nothing changed."""
    with db.unit_of_work() as session:
        return (session.scalar(select(func.count()).select_from(Manifest)) or 0,
                list(session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "manifest")
                                     .order_by(AuditEntry.id))))


def refused(result: subprocess.CompletedProcess[str], code: int, message: str) -> bool:
    return (result.returncode, result.stdout) == (code, "") and result.stderr.startswith(message) and \
        "Traceback" not in result.stderr


def test_close_needs_a_manager_signed_in_and_names_them(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    pack_at(db, "PACK-A")
    pdf = tmp_path / "courier.pdf"
    close = ("manifest", "close", "--carrier", "courier", "--out", str(pdf), "--db", url)

    attempts = [
        ((), 2, "error: This command changes data: sign in with --user NAME and --pin PIN"),
        (("--user", "manager"), 2, "error: Signing in as manager needs a PIN: give --pin, set $FULFIL_PIN"),
        (("--user", "manager", "--pin", "9999"), 1, "error: Wrong PIN. Try again."),
        (("--user", "packer", "--pin", "1111"), 1, f"{NOT_ALLOWED} close a manifest."),
        (("--badge", "BADGE-0001"), 1, f"{NOT_ALLOWED} close a manifest."),
    ]
    for sign_in, code, message in attempts:
        result = cli(*close, *sign_in)
        assert refused(result, code, message), (sign_in, result)
        assert manifests_and_audit(db) == (0, []) and not pdf.exists()
    listed = cli("manifest", "open", "--db", url)  # reading needs no sign-in
    assert listed.returncode == 0 and "courier" in listed.stdout

    closed = cli(*close, "--user", "manager", env={"FULFIL_PIN": "2222"})
    assert closed.returncode == 0, closed.stderr
    number = f"M-COURIER-{today()}-1"
    assert f"Manifest {number}: 1 package in 1 shipment" in closed.stdout and pdf.exists()
    with db.unit_of_work() as session:
        manifest = session.scalars(select(Manifest)).one()
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "manifest.closed")).one()
        station = session.get_one(Station, manifest.station_id).name
        assert (entry.user_id, entry.station_id) == (manifest.closed_by_id, manifest.station_id)
        assert (entry.details["by"], entry.details["via"]) == ("manager", "pin")
    assert station == default_station_name()  # this PC's station
    listed = cli("manifest", "list", "--db", url)
    assert listed.returncode == 0 and f"{number}" in listed.stdout and "by Morgan Manager" in listed.stdout

    for sign_in, code, message in [((), 2, "error: This command changes data: sign in"),
                                   (("--user", "packer", "--pin", "1111"), 1,
                                    f"{NOT_ALLOWED} make a manifest's scan form."),
                                   (("--badge", "BADGE-0002"), 1,
                                    f"error: Manifest {number} holds no EasyPost label: no scan form belongs")]:
        result = cli("manifest", "scan-form", number, *sign_in, "--db", url)
        assert refused(result, code, message), (sign_in, result)
    assert manifests_and_audit(db) == (1, ["manifest.closed"])


def test_scan_form_needs_a_manager_signed_in_and_names_them(seeded_database: Database, stub: EasyPostStub,
                                                            tmp_path: Path) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    bought(db, add_easypost_account(db, stub), 2)
    stub.fail("scan_form", 503, "SERVICE.UNAVAILABLE", "Service temporarily unavailable.")
    closed = cli("manifest", "close", "--carrier", "ep-usps", "--out", str(tmp_path / "ep.pdf"), "--user", "owner",
                 "--pin", "3333", "--db", url, env=STUB_KEYRING)
    assert closed.returncode == 4, closed.stderr  # closed, scan form missing
    number = f"M-EPUSPS-{today()}-1"
    with db.unit_of_work() as session:
        manifest_id = session.scalars(select(Manifest.id)).one()
    before = audit(db, manifest_id)
    assert [a for a, _d in before] == ["manifest.closed", "manifest.scan_form_failed"]

    scan_form = ("manifest", "scan-form", number, "--db", url)
    made_up = "sf_0000000000000000000000000000abcd"
    for sign_in, code, message in [((), 2, "error: This command changes data: sign in"),
                                   (("--user", "packer", "--pin", "1111"), 1,
                                    f"{NOT_ALLOWED} make a manifest's scan form."),
                                   (("--id", made_up, "--user", "packer", "--pin", "1111"), 1,
                                    f"{NOT_ALLOWED} record a manifest's scan form."),
                                   (("--id", made_up), 2, "error: This command changes data: sign in")]:
        result = cli(*scan_form, *sign_in, env=STUB_KEYRING)
        assert refused(result, code, message), (sign_in, result)
        assert stub.count("scan_form") == 1 and stored(db, manifest_id)[0] is None
        assert audit(db, manifest_id) == before

    made = cli(*scan_form, "--badge", "BADGE-0002", env=STUB_KEYRING)
    assert made.returncode == 0, made.stderr
    (form_id, _form), = stub.scan_forms.items()
    assert f"EasyPost scan form: {form_id}" in made.stdout and stored(db, manifest_id)[0] == form_id
    action, details = audit(db, manifest_id)[-1]
    assert (action, details["source"], details["by"], details["via"]) == (
        "manifest.scan_form_attached", "easypost", "manager", "badge")
    with db.unit_of_work() as session:
        entries = session.execute(select(AuditEntry.station_id, Station.name).join(
            Station, Station.id == AuditEntry.station_id).where(AuditEntry.entity_id == manifest_id,
                                                                AuditEntry.entity_type == "manifest")).all()
        assert {name for _id, name in entries} == {default_station_name()}
        assert session.scalar(select(User.username).join(Manifest, Manifest.closed_by_id == User.id)) == "owner"
