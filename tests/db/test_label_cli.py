"""``fulfilstation label``: a shipment's labels rendered again from the database, as a user
runs it (real processes, both engines)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, update

from fulfilstation.carriers.label_messages import grouped
from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, Package, Shipment
from fulfilstation.services.packing import Weighing
from tests.db.test_cli import cli, plain
from tests.support.app import app_for, sign_in
from tests.support.pdf import pdf_barcodes, pdf_text
from tests.support.warehouse import make_order, unit_barcode
from tests.support.zpl import decode_barcodes, render_zpl

LONG = {"ship_to_name": "Christopher Alexander Montgomery-Wellington III",
        "ship_to_company": "The Very Long Company Name Holdings International Inc"}


def ship_order(db: Database, lines: list[tuple[str, int]], *, service: str | None = None,
               split_after: int | None = None, **order: object) -> tuple[int, str]:
    """Make, pack and ship an order through the use cases (the packer at the test station);
    ``split_after`` closes a package after that many items, ``order`` sets Order columns.
    Returns (shipment id, order number)."""
    number = make_order(db, lines, service=service)
    if order:
        with db.unit_of_work() as session:
            session.execute(update(Order).where(Order.number == number).values(**order))
    app = app_for(db)
    packer = sign_in(app, "packer")
    view = app.packing.start(packer, number)
    done = 0
    for sku, quantity in lines:
        for _ in range(quantity):
            outcome = app.packing.scan(packer, view.session_id, unit_barcode(db, sku))
            assert outcome.accepted, outcome.message
            view, done = outcome.view, done + 1
            if done == split_after:
                assert view.expected_g is not None
                view = app.packing.close_package(packer, view.session_id, Weighing(view.expected_g))
    assert view.expected_g is not None
    return app.shipping.ship(packer, view.session_id, Weighing(view.expected_g)).shipment_id, number


def stored(db: Database, shipment_id: int) -> tuple[list[str], bytes]:
    """(tracking numbers, the stored labels concatenated) of a shipment."""
    with db.unit_of_work() as session:
        rows = session.execute(select(Package.tracking_number, Package.label_data).where(
            Package.shipment_id == shipment_id).order_by(Package.sequence)).all()
    return [t or "" for t, _ in rows], "".join(label or "" for _, label in rows).encode()


def test_zpl_at_203_dpi_equals_the_stored_labels_by_order_and_by_tracking(seeded_database: Database,
                                                                           tmp_path: Path) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    shipment_id, number = ship_order(db, [("MUG-CER-350", 2)], split_after=1, **LONG)
    tracking, labels = stored(db, shipment_id)
    by_order = cli("label", number, "--format", "zpl", "--out", str(tmp_path / "order.zpl"), "--db", url)
    assert by_order.returncode == 0, by_order.stderr
    assert by_order.stdout.strip() == f"Wrote 2 labels of order {number} to {tmp_path / 'order.zpl'}"
    assert by_order.stderr == ""
    assert (tmp_path / "order.zpl").read_bytes() == labels
    by_package = cli("label", tracking[1], "--out", str(tmp_path / "package.zpl"), "--db", url)
    assert by_package.returncode == 0 and (tmp_path / "package.zpl").read_bytes() == labels
    pages = render_zpl(labels, tmp_path / "stored")
    assert [[(d.text, d.symbology) for d in decode_barcodes(page)] for page in pages] == [
        [(f"00{t}", "]C1")] for t in tracking]


def test_zpl_at_300_dpi_and_pdf_pages_decode_to_the_tracking_data(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    shipment_id, _number = ship_order(db, [("NB-A5-DOT", 1)], service="usps/priority")
    (tracking,), _labels = stored(db, shipment_id)
    expected = [(f"42062704\x1d{tracking}", "]C1")]
    result = cli("label", tracking, "--dpi", "300", "--out", str(tmp_path / "l.zpl"), "--db", url)
    assert result.returncode == 0, result.stderr
    zpl = (tmp_path / "l.zpl").read_bytes()
    assert b"^PW1200\n^LL1800" in zpl
    page = render_zpl(zpl, tmp_path / "z300", dpi=300)[0]
    assert [(d.text, d.symbology) for d in decode_barcodes(page)] == expected
    for size, pages in (("4x6", 1), ("letter", 1), ("a4", 1)):
        out = tmp_path / f"{size}.pdf"
        result = cli("label", tracking, "--format", "pdf", "--size", size, "--out", str(out), "--db", url)
        assert result.returncode == 0, result.stderr
        decoded = pdf_barcodes(out.read_bytes(), tmp_path / size)
        assert len(decoded) == pages and [(d.text, d.symbology) for d in decoded[0]] == expected
        # the IMpb's human-readable line: the number in groups of four (USPS Publication 199)
        assert grouped(tracking) in pdf_text(out.read_bytes(), tmp_path / f"{size}-text")
    again = tmp_path / "again.pdf"
    assert cli("label", tracking, "--format", "pdf", "--out", str(again), "--db", url).returncode == 0
    assert again.read_bytes() == (tmp_path / "4x6.pdf").read_bytes()


def test_unknown_reference_void_shipment_and_bad_options(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    out = tmp_path / "label.zpl"
    unknown = cli("label", "NO-SUCH-ORDER", "--out", str(out), "--db", url)
    assert unknown.returncode == 1 and unknown.stderr.startswith("error: No shipment found for 'NO-SUCH-ORDER'")
    assert "Traceback" not in unknown.stderr and not out.exists()
    shipment_id, _number = ship_order(db, [("MUG-CER-350", 1)])
    with db.unit_of_work() as session:
        tracking = session.get_one(Shipment, shipment_id).tracking_number or ""
    with db.unit_of_work() as session:  # the address is corrected after the label was printed
        session.get_one(Order, session.get_one(Shipment, shipment_id).order_id).ship_to_name = "Someone Else"
    changed = cli("label", tracking, "--out", str(out), "--db", url)
    assert changed.returncode == 0 and "differs from them" in changed.stderr
    assert out.read_bytes() != stored(db, shipment_id)[1] and b"Someone Else" in out.read_bytes()
    out.unlink()
    letter_zpl = cli("label", tracking, "--size", "letter", "--out", str(out), "--db", url)
    assert letter_zpl.returncode == 2 and "--format pdf" in letter_zpl.stderr
    app = app_for(db, station="OFFICE")
    app.shipping.void(sign_in(app, "manager"), tracking, "customer cancelled")
    voided = cli("label", tracking, "--out", str(out), "--db", url)
    assert voided.returncode == 1 and voided.stderr.startswith("error: ") and "is void" in voided.stderr
    assert not out.exists()
