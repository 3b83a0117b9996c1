"""A packing slip printed again (``app.shipping.print_slip``, ``shipments slip``): on the
station's document printer, or saved and opened in the PDF viewer (the FileOpener port)."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.sim.printer import SimDocumentPrinter
from fulfilstation.db.database import Database
from fulfilstation.services.shipping import ShipmentRefused
from tests.db.test_cli import cli, plain
from tests.support.app import RecordingOpener, app_for, sign_in
from tests.support.pdf import pdf_text
from tests.support.shipped import ship_order


def test_a_slip_again_prints_or_is_saved_and_shown(seeded_database: Database, tmp_path: Path) -> None:
    opener = RecordingOpener()
    saving = app_for(seeded_database, documents_dir=tmp_path, files=opener)
    packer = sign_in(saving)
    number, shipped = ship_order(saving, packer, [("MUG-CER-350", 1)])
    assert shipped.slip_saved_to is not None and opener.opened == []  # shipping saves, never pops a viewer
    again = saving.shipping.print_slip(packer, number)
    assert again.saved_to is not None and again.opened and opener.opened == [str(again.saved_to)]
    assert number in pdf_text(again.saved_to.read_bytes(), tmp_path) and "opened" in again.message
    documents = SimDocumentPrinter()
    printing = app_for(seeded_database, document=documents)
    printed = printing.shipping.print_slip(sign_in(printing, "packer2"), shipped.tracking_numbers[0])
    assert printed.printed and printed.message == "Packing slip printed."
    assert len(documents.documents) == 1 and number in pdf_text(documents.documents[0][1], tmp_path)
    with pytest.raises(ShipmentRefused):
        printing.shipping.print_slip(packer, "NO-SUCH-ORDER")


def test_shipments_slip_prints_on_the_given_printer(seeded_database: Database, tmp_path: Path) -> None:
    app = app_for(seeded_database)
    number, _shipped = ship_order(app, sign_in(app), [("SOAP-LAV-100", 1)])
    url, out = plain(seeded_database.engine.url), tmp_path / "slips"
    refused = cli("shipments", "slip", number, "--db", url)
    assert refused.returncode == 2
    done = cli("shipments", "slip", number, "--document-printer", f"pdf://{out}", "--user", "packer", "--pin",
               "1111", "--db", url)
    [filed] = out.glob("*.pdf")  # a pdf:// printer files the slip: the command says where
    assert done.returncode == 0 and done.stdout.strip() == f"Packing slip saved to {filed}.", done.stderr
    assert [number in pdf_text(path.read_bytes(), tmp_path) for path in out.glob("*.pdf")] == [True]
