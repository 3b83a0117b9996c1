"""Bins and labels as scripts see them (real processes, both engines): ``bins`` lists, shows
and lays out bins, ``import bins`` reports by line and ends with the one summary line, and
``labels`` writes ZPL and PDF whose barcodes decode back and prints on a label printer."""

from __future__ import annotations

import json
from pathlib import Path

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from tests.db.test_cli import cli, plain
from tests.support.pdf import pdf_barcodes
from tests.support.zpl import decode_barcodes, render_zpl

OWNER = ("--user", "owner", "--pin", "3333")
PACKER = ("--user", "packer", "--pin", "1111")


def test_bins_list_show_add_edit_and_deactivate(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    listed = json.loads(cli("bins", "list", "--zone", "DOCK", "--json", "--db", url).stdout)
    assert [row["code"] for row in listed] == ["DMG-01", "QUAR-01", "RECV-01", "RET-01"]
    added = cli("bins", "add", "Z-1", "--zone", "Z", "--sequence", "7", "--kind", "staging", *OWNER, "--db", url)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Added bin Z-1")
    edited = cli("bins", "edit", "Z-1", "--code", "Z-2", "--level", "3", *OWNER, "--db", url)
    assert edited.returncode == 0, edited.stderr
    shown = json.loads(cli("bins", "show", "z-2", "--json", "--db", url).stdout)
    assert (shown["code"], shown["zone"], shown["level"], shown["pick_sequence"], shown["kind"]) == (
        "Z-2", "Z", "3", 7, "staging")
    refused = cli("bins", "add", "Z-9", *PACKER, "--db", url)
    assert refused.returncode == 1 and "only an owner can lay out bins" in refused.stderr
    full = next(row for row in json.loads(cli("bins", "list", "--json", "--db", url).stdout) if row["units"])
    held = cli("bins", "deactivate", full["code"], *OWNER, "--db", url)
    assert held.returncode == 1 and f"error: Bin {full['code']} holds {full['units']} units" in held.stderr
    assert cli("bins", "deactivate", "Z-2", *OWNER, "--db", url).stdout == "Bin Z-2 is inactive now.\n"
    assert "Z-2" in cli("bins", "list", "--inactive", "--db", url).stdout
    text = cli("bins", "show", full["code"], "--db", url).stdout
    assert f"Bin {full['code']}" in text and "on hand" in text


def test_import_bins_reports_by_line_and_ends_with_the_summary(seeded_database: Database, tmp_path: Path) -> None:
    url = plain(seeded_database.engine.url)
    path = tmp_path / "bins.csv"
    path.write_bytes("\ufeffcode;zone;pick_sequence;kind\nY-1;Y;10;pickable\nY-2;Y;x;pickable\nY-3;Y;30;attic\n"
                     .encode())
    dry = cli("import", "bins", str(path), "--dry-run", *OWNER, "--db", url)
    assert dry.returncode == 1
    assert dry.stdout.splitlines()[-2:] == ["dry run: nothing was changed", "imported 1, updated 0, rejected 2"]
    ran = cli("import", "bins", str(path), *OWNER, "--db", url)
    lines = ran.stdout.splitlines()
    assert lines[0] == "line 3 (Y-2): pick_sequence 'x' is not a whole number (0, 10, 120 …)"
    assert lines[1].startswith("line 4 (Y-3): kind 'attic' is not a bin kind")
    assert lines[-1] == "imported 1, updated 0, rejected 2"
    again = cli("import", "bins", str(path), *OWNER, "--db", url)
    assert again.stdout.splitlines()[-1] == "imported 0, updated 0, rejected 2"
    missing = cli("import", "bins", str(tmp_path / "nope.csv"), *OWNER, "--db", url)
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_labels_to_files_and_to_the_printer(seeded_database: Database, tmp_path: Path) -> None:
    url = plain(seeded_database.engine.url)
    zpl, pdf = tmp_path / "bins.zpl", tmp_path / "bins.pdf"
    wrote = cli("labels", "bins", "A-01-1", "A-02-1", "--zpl-out", str(zpl), "--pdf-out", str(pdf), "--paper", "a4",
                "--db", url)
    assert wrote.returncode == 0, wrote.stderr
    pages = render_zpl(zpl.read_bytes(), tmp_path / "z", width_in=2, height_in=1)
    assert [[d.text for d in decode_barcodes(page)] for page in pages] == [["A-01-1"], ["A-02-1"]]
    assert sorted(d.text for page in pdf_barcodes(pdf.read_bytes(), tmp_path) for d in page) == ["A-01-1", "A-02-1"]
    lot_zpl = tmp_path / "tea.zpl"
    tea = cli("labels", "product", "TEA-EARL-100", "--lot", "L7", "--expiry", "2027-03-31", "--size", "4x4",
              "--zpl-out", str(lot_zpl), "--db", url)
    assert tea.returncode == 0, tea.stderr
    (decoded,) = decode_barcodes(render_zpl(lot_zpl.read_bytes(), tmp_path / "t", width_in=4, height_in=4)[0])
    assert decoded.symbology == "]C1" and decoded.text.endswith("1727033110L7")
    with ZplPrinterSimulator() as printer:
        printed = cli("labels", "product", "MUG-CER-350", "--copies", "2", "--print", "--label-printer", printer.uri,
                      *PACKER, "--db", url)
        assert printed.returncode == 0, printed.stderr
        assert printed.stdout.startswith("Printed 2 labels (2x1 in, MUG-CER-350) on tcp://")
        assert len(printer.wait_for_jobs(2)) == 2
    nowhere = cli("labels", "bins", "--all", "--db", url)
    assert nowhere.returncode == 2 and "--zpl-out FILE" in nowhere.stderr
    bad = cli("labels", "product", "MUG-CER-350", "--lot", "L1", "--zpl-out", str(lot_zpl), "--db", url)
    assert bad.returncode == 1 and "error: MUG-CER-350 is not lot-tracked" in bad.stderr
