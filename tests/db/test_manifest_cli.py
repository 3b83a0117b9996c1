"""``fulfilstation manifest close/open/list/reprint`` as a manager runs them: real processes."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from fulfilstation.db.database import Database
from fulfilstation.services.manifests import manifest_rows, past_manifests
from tests.db.test_cli import cli, plain
from tests.db.test_manifests import pack_at, packages_of, today
from tests.support.bulk_shipments import bulk_shipments
from tests.support.pdf import pdf_text


def test_close_list_and_reprint_end_to_end(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    shipments = [pack_at(db, "PACK-A", "ups/ground"), pack_at(db, "PACK-B", "ups/ground")]
    shipments += bulk_shipments(db, 2, carrier="ups", packages=2).shipment_ids
    tracking, weight = packages_of(db, shipments)
    opened = cli("manifest", "open", "--db", url)
    assert opened.returncode == 0 and re.search(r"ups +account 0W1X23 .* 4 shipments +6 packages", opened.stdout)

    pdf_path, csv_path = tmp_path / "ups.pdf", tmp_path / "ups.csv"
    closed = cli("manifest", "close", "--carrier", "ups", "--out", str(pdf_path), "--csv", str(csv_path), "--db", url)
    assert closed.returncode == 0, closed.stderr
    number = f"M-UPS-{today()}-1"
    assert f"Manifest {number}: 6 packages in 4 shipments, {weight / 453.59237:.2f} lb ({weight} g)" in closed.stdout
    assert f"Wrote {pdf_path}" in closed.stdout and f"Wrote {csv_path}" in closed.stdout
    words = pdf_text(pdf_path.read_bytes(), tmp_path)
    assert all(t in words for t in tracking) and number in words
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8"), newline="")))[1:]
    assert [r[1] for r in rows] == [row.tracking_number for row in manifest_rows(db, past_manifests(db)[0].id)]

    again = cli("manifest", "close", "--carrier", "ups", "--out", str(tmp_path / "again.pdf"), "--db", url)
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
    unknown = cli("manifest", "close", "--carrier", "dhl", "--out", str(tmp_path / "x.pdf"), "--db", url)
    assert unknown.returncode == 1 and "no carrier 'dhl'" in unknown.stderr
    bad_date = cli("manifest", "close", "--carrier", "ups", "--date", "02/12/2026", "--out", "x.pdf", "--db", url)
    assert bad_date.returncode == 2 and "write it as YYYY-MM-DD" in bad_date.stderr
    missing = cli("manifest", "reprint", "M-NOPE-1", "--out", str(tmp_path / "x.pdf"), "--db", url)
    assert missing.returncode == 1 and "There is no manifest 'M-NOPE-1'" in missing.stderr
    pack_at(db, "PACK-A")
    unwritable = cli("manifest", "close", "--carrier", "courier", "--out", str(tmp_path / "no" / "dir" / "m.pdf"),
                     "--db", url)
    assert unwritable.returncode == 3
    number = past_manifests(db)[0].number
    assert f"Manifest {number} is closed, but" in unwritable.stdout
    assert f"fulfilstation manifest reprint {number}" in unwritable.stdout
