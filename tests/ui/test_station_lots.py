"""The station tells the packer which lot to take and from which bin (first expiry first),
in the prompt and in the pack's progress line, also after the window was closed mid-pack."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from tests.support.app import app_for
from tests.support.station_window import Station
from tests.support.warehouse import make_order, unit_barcode
from ui.station.lines_model import NAME

TEA = "TEA-EARL-100"


def test_the_lot_prompt_names_the_lot_and_bin_to_take(qtbot: QtBot, seeded_database: Database,
                                                      printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    number = make_order(db, [(TEA, 2)])
    (lot,) = app_for(db).orders.show(number).lines[0].lots
    take = f"take lot {lot.lot} from bin {lot.bin}, expires {lot.expiry}"
    first = Station(qtbot, db, printer.uri)
    first.log_in("packer", "1111")
    first.scan(number)
    text, tone = first.scan(unit_barcode(db, TEA))
    assert tone == "warn" and text == f"Now scan the lot number of Earl Grey Loose Tea 100 g: {take}."
    assert first.window.station.pack.progress.text() == f"0 of 2 items scanned — scan the lot number: {take}"
    text, tone = first.scan("NOSUCHLOT")
    assert tone == "error" and text.startswith("Lot NOSUCHLOT of Earl Grey Loose Tea 100 g is not in stock")
    assert first.window.station.sounds.played[-1] == "refuse-expired"
    first.window.close()  # the pack stays open, waiting for the lot

    station = Station(qtbot, db, printer.uri)
    station.log_in("packer", "1111")
    assert station.window.station.pack.progress.text().endswith(f"scan the lot number: {take}")
    model = station.window.station.pack.model
    assert model.index(0, NAME).data() == "Earl Grey Loose Tea 100 g · lot no."
    assert station.scan(lot.lot)[1] == "ok" and station.scanned() == [1]
    assert model.index(0, NAME).data() == f"Earl Grey Loose Tea 100 g · lot {lot.lot}"  # the lot taken, not "lot no."
