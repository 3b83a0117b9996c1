"""``fulfilstation manifest close/open/list/reprint/scan-form`` as a manager runs them: real
processes (an EasyPost account's key reaches them through the stub's keyring backend)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from fulfilstation.db.database import Database
from fulfilstation.services.manifests.close import manifest_rows, past_manifests
from tests.db.test_cli import cli, plain
from tests.db.test_manifest_scan_forms import bought, external_ids, sent_ids
from tests.db.test_manifests import pack_at, packages_of, today
from tests.support.bulk_shipments import bulk_shipments
from tests.support.easypost_account import KEY, KEYRING_NAME, add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.pdf import pdf_text

MANAGER = ("--user", "manager", "--pin", "2222")  # closing and scan forms are a manager's
STUB_KEYRING = {"PYTHON_KEYRING_BACKEND": "tests.support.easypost_stub.StubKeyring",
                "FULFIL_STUB_KEYRING": json.dumps({KEYRING_NAME: KEY})}


def test_close_list_and_reprint_end_to_end(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    shipments = [pack_at(db, "PACK-A", "ups/ground"), pack_at(db, "PACK-B", "ups/ground")]
    shipments += bulk_shipments(db, 2, carrier="ups", packages=2).shipment_ids
    tracking, weight = packages_of(db, shipments)
    opened = cli("manifest", "open", "--db", url)
    assert opened.returncode == 0 and re.search(r"ups +account 0W1X23 .* 4 shipments +6 packages", opened.stdout)

    pdf_path, csv_path = tmp_path / "ups.pdf", tmp_path / "ups.csv"
    closed = cli("manifest", "close", *MANAGER,
                 "--carrier", "ups", "--out", str(pdf_path), "--csv", str(csv_path), "--db", url)
    assert closed.returncode == 0, closed.stderr
    number = f"M-UPS-{today()}-1"
    assert f"Manifest {number}: 6 packages in 4 shipments, {weight / 453.59237:.2f} lb ({weight} g)" in closed.stdout
    assert f"Wrote {pdf_path}" in closed.stdout and f"Wrote {csv_path}" in closed.stdout
    words = pdf_text(pdf_path.read_bytes(), tmp_path)
    assert all(t in words for t in tracking) and number in words
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8"), newline="")))[1:]
    assert [r[1] for r in rows] == [row.tracking_number for row in manifest_rows(db, past_manifests(db)[0].id)]

    again = cli("manifest", "close", *MANAGER, "--carrier", "ups", "--out", str(tmp_path / "again.pdf"), "--db", url)
    assert again.returncode == 1 and "Nothing to close for UPS" in again.stderr and "Traceback" not in again.stderr
    assert not (tmp_path / "again.pdf").exists()

    listed = cli("manifest", "list", "--db", url)
    assert listed.returncode == 0 and number in listed.stdout and "6 packages" in listed.stdout
    reprint = tmp_path / "reprint.pdf"
    printed = cli("manifest", "reprint", number.lower(), "--out", str(reprint), "--db", url)
    assert printed.returncode == 0, printed.stderr
    assert reprint.read_bytes() == pdf_path.read_bytes()


def test_refusals_and_a_file_that_cannot_be_written(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    unknown = cli("manifest", "close", *MANAGER, "--carrier", "dhl", "--out", str(tmp_path / "x.pdf"), "--db", url)
    assert unknown.returncode == 1 and "no carrier 'dhl'" in unknown.stderr
    bad_date = cli("manifest", "close", *MANAGER,
                   "--carrier", "ups", "--date", "02/12/2026", "--out", "x.pdf", "--db", url)
    assert bad_date.returncode == 2 and "write it as YYYY-MM-DD" in bad_date.stderr
    missing = cli("manifest", "reprint", "M-NOPE-1", "--out", str(tmp_path / "x.pdf"), "--db", url)
    assert missing.returncode == 1 and "There is no manifest 'M-NOPE-1'" in missing.stderr
    pack_at(db, "PACK-A")
    unwritable = cli("manifest", "close", *MANAGER,
                     "--carrier", "courier", "--out", str(tmp_path / "no" / "dir" / "m.pdf"),
                     "--db", url)
    assert unwritable.returncode == 3
    number = past_manifests(db)[0].number
    assert f"Manifest {number} is closed, but" in unwritable.stdout
    assert f"fulfilstation manifest reprint {number}" in unwritable.stdout


def test_close_refuses_label_pending_shipments_until_each_is_confirmed(seeded_database: Database,
                                                                      tmp_path: Path) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    printed = pack_at(db, "PACK-A", "ups/ground")
    pending = [pack_at(db, "PACK-A", "ups/ground", printed=False) for _ in range(4)]
    out = tmp_path / "ups.pdf"
    refused = cli("manifest", "close", *MANAGER, "--carrier", "ups", "--out", str(out), "--db", url)
    assert refused.returncode == 1 and "4 shipments of ups are label pending" in refused.stderr
    assert all(re.search(rf"^ +{i} +T-", refused.stderr, re.MULTILINE) for i in pending)
    assert " ".join(f"--confirm-printed {i}" for i in pending) in refused.stderr
    assert not out.exists() and past_manifests(db) == [] and "Traceback" not in refused.stderr
    confirm = [arg for i in pending for arg in ("--confirm-printed", str(i))]
    three = cli("manifest", "close", *MANAGER, "--carrier", "ups", "--out", str(out), *confirm[:-2], "--db", url)
    assert three.returncode == 1 and "1 shipment of ups is label pending" in three.stderr and not out.exists()
    closed = cli("manifest", "close", *MANAGER, "--carrier", "ups", "--out", str(out), *confirm, "--db", url)
    assert closed.returncode == 0, closed.stderr
    assert "5 shipments" in closed.stdout and out.exists() and printed


def test_easypost_close_prints_the_missing_scan_form_and_scan_form_makes_it_once(
        seeded_database: Database, stub: EasyPostStub, tmp_path: Path) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    labels = bought(db, add_easypost_account(db, stub), 2)
    stub.fail("scan_form", 503, "SERVICE.UNAVAILABLE", "Service temporarily unavailable.")
    pdf_path = tmp_path / "ep.pdf"
    closed = cli("manifest", "close", *MANAGER,
                 "--carrier", "ep-usps", "--out", str(pdf_path), "--db", url, env=STUB_KEYRING)
    number = f"M-EPUSPS-{today()}-1"
    assert closed.returncode == 4, closed.stderr
    assert f"Manifest {number}: 2 packages in 2 shipments" in closed.stdout and f"Wrote {pdf_path}" in closed.stdout
    assert f"Manifest {number} is closed, but its EasyPost scan form is missing: EasyPost has a problem" in (
        closed.stdout)
    assert f"run: fulfilstation manifest scan-form {number}" in closed.stdout
    assert "EasyPost scan form" not in pdf_text(pdf_path.read_bytes(), tmp_path)
    listed = cli("manifest", "list", "--db", url)
    assert re.search(rf"{number} .* scan form MISSING \(manifest scan-form\)", listed.stdout)

    made = cli("manifest", "scan-form", *MANAGER, number.lower(), "--db", url, env=STUB_KEYRING)
    assert made.returncode == 0, made.stderr
    (form_id, form), = stub.scan_forms.items()
    assert f"EasyPost scan form: {form_id} ({form['form_url']})" in made.stdout
    assert f"fulfilstation manifest reprint {number}" in made.stdout
    assert sent_ids(stub) == [external_ids(db, labels)] * 2 and past_manifests(db)[0].scan_form_id == form_id
    again = cli("manifest", "scan-form", *MANAGER, number, "--db", url, env=STUB_KEYRING)
    assert again.returncode == 0 and f"EasyPost scan form: {form_id}" in again.stdout
    assert stub.count("scan_form") == 2  # already there: nothing was asked
    listed = cli("manifest", "list", "--db", url)
    assert f"scan form {form_id}" in listed.stdout
    reprint = tmp_path / "reprint.pdf"
    assert cli("manifest", "reprint", number, "--out", str(reprint), "--db", url).returncode == 0
    assert f"EasyPost scan form: {form_id}" in pdf_text(reprint.read_bytes(), tmp_path)

    pack_at(db, "PACK-A")
    local = cli("manifest", "close", *MANAGER, "--carrier", "courier", "--out", str(tmp_path / "c.pdf"), "--db", url)
    assert local.returncode == 0 and "scan form" not in local.stdout
    courier = f"M-COURIER-{today()}-1"
    refused = cli("manifest", "scan-form", *MANAGER, courier, "--db", url)
    assert refused.returncode == 1 and f"Manifest {courier} holds no EasyPost label" in refused.stderr
    bad = cli("manifest", "scan-form", *MANAGER, number, "--id", "nonsense", "--db", url)
    assert bad.returncode == 1 and "is not an EasyPost scan form id" in bad.stderr
    twice = cli("manifest", "scan-form", *MANAGER, number, "--id", "sf_00ff", "--db", url)
    assert twice.returncode == 1 and f"already has scan form {form_id}" in twice.stderr
