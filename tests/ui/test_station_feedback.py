"""What the station tells the packer (offscreen, SQLite and PostgreSQL): the packing slip
after the label (or the amber line saying why not), a sound of its own for each family of
refusal, and weights in the site's unit."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.sim.printer import SimDocumentPrinter, ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.ports import DeviceFault
from tests.support.station_window import WAIT_MS, Station
from tests.support.warehouse import make_order, stock_lot, unit_barcode


class JammedPrinter:
    uri = "cups://Office"

    def print_pdf(self, pdf: bytes, job_name: str = "document") -> None:
        raise DeviceFault("paper jam", user_message="The office printer has a paper jam: clear it.")


def pack_one_mug(station: Station, db: Database) -> tuple[str, str, str]:
    """Start, scan and ship an order of one mug; (order number, what was said, tone)."""
    number = make_order(db, [("MUG-CER-350", 1)])
    assert station.scan(number)[1] == "ok"
    assert station.scan(unit_barcode(db, "MUG-CER-350"))[1] == "ok"
    view = station.controller.view
    assert view is not None and view.expected_g is not None
    station.weigh(view.expected_g)
    return (number, *station.key(Qt.Key.Key_Return))


def test_the_packing_slip_prints_after_the_label(qtbot: QtBot, seeded_database: Database,
                                                 printer: ZplPrinterSimulator) -> None:
    db, documents = seeded_database, SimDocumentPrinter()
    station = Station(qtbot, db, printer.uri, documents=documents)
    station.window.sim_dock.panel.auto_weight.setChecked(False)
    station.log_in("packer", "1111")
    number, text, tone = pack_one_mug(station, db)
    assert tone == "ok" and text.startswith(f"Shipped {number}") and "\n" not in text
    assert printer.wait_for_jobs(1, timeout=5)
    [(job, pdf)] = documents.documents
    assert job == f"packing slip {number}" and pdf.startswith(b"%PDF")

    screens, context = station.window.station, station.window.context
    context.printers.use(replace(context.devices, document_printer=JammedPrinter()))  # what the use case prints on
    number, text, tone = pack_one_mug(station, db)
    first, second = text.split("\n")
    assert tone == "warn" and first.startswith(f"Shipped {number}") and "label printed" in first
    assert second == f"The packing slip of order {number} did not print. The office printer has a paper jam: clear it."
    assert screens.banner.tone == "warn" and screens.sounds.played[-1] == "prompt"


def test_each_family_of_refusal_has_its_own_sound(qtbot: QtBot, seeded_database: Database,
                                                  printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    held = make_order(db, [("MUG-CER-350", 1)], hold="Customer changed the address")
    number = make_order(db, [("MUG-CER-350", 1), ("SPK-BT-MINI", 1), ("TEA-EARL-100", 1)])
    stock_lot(db, "TEA-EARL-100", "NEW7", 1)
    station = Station(qtbot, db, printer.uri)
    station.window.sim_dock.panel.auto_weight.setChecked(False)
    station.log_in("packer", "1111")
    assert "on hold" in station.scan(held)[0]
    assert station.scan(number)[1] == "ok"
    tea, speaker = unit_barcode(db, "TEA-EARL-100"), unit_barcode(db, "SPK-BT-MINI")
    for code, tone in (("NOT-A-PRODUCT", "error"), (unit_barcode(db, "SOAP-OAT-100"), "error"),
                       (unit_barcode(db, "MUG-CER-350"), "ok"), (unit_barcode(db, "MUG-CER-350"), "error"),
                       ("]C101" + tea + "17240131" + "10OLD1", "error"), (speaker, "warn"), (speaker, "error"),
                       ("SPK-000777", "ok"), ("]C101" + tea + "17391231" + "10NEW7", "ok")):
        assert station.scan(code)[1] == tone, code
    view = station.controller.view
    assert view is not None and view.complete and view.expected_g is not None
    station.weigh(view.expected_g + 1500)
    assert "heavier than expected" in station.key(Qt.Key.Key_Return)[0]
    refusals = [name for name in station.window.station.sounds.played if name.startswith("refuse")]
    assert refusals == ["refuse-order", "refuse-unknown", "refuse-wrong-item", "refuse-too-many", "refuse-expired",
                        "refuse-serial", "refuse-weight"]


def test_weights_show_in_the_sites_unit(qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ui.main_window.preferred_weight_unit", lambda: "kg")  # the locale says kg, the site lb
    station = Station(qtbot, seeded_database, printer.uri)
    window = station.window
    station.window.sim_dock.panel.auto_weight.setChecked(False)
    qtbot.waitUntil(lambda: window.unit == "lb", timeout=WAIT_MS)
    assert window.device_bar.unit == "lb" and window.station.pack.weight.unit == "lb"
    station.weigh(567)
    chip = window.device_bar.chips["Scale"]
    qtbot.waitUntil(lambda: "1.25 lb" in chip.text(), timeout=WAIT_MS)
    assert window.station.pack.weight.weight.text() == "1.25 lb"
