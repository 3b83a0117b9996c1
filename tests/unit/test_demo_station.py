"""The demo station names a pdf:// document printer (so a new user gets a slip to open),
unless the user chose one."""

from __future__ import annotations

from pathlib import Path

from drivers.printer import open_document_printer
from fulfilstation.demo.station import demo_station
from fulfilstation.settings import DeviceSettings, StationSettings


def test_the_demo_saves_slips_in_the_stations_documents_folder(tmp_path: Path) -> None:
    settings = demo_station(StationSettings(station_name="PACK-1"), tmp_path / "docs")
    uri = settings.devices.document_printer
    assert uri == "pdf:///" + (tmp_path / "docs" / "PACK-1").as_posix().lstrip("/")
    printer = open_document_printer(uri)
    printer.print_pdf(b"%PDF-1.4 slip", "packing slip SO-1")
    [saved] = (tmp_path / "docs" / "PACK-1").glob("*.pdf")
    assert saved.read_bytes() == b"%PDF-1.4 slip"


def test_a_chosen_document_printer_is_kept(tmp_path: Path) -> None:
    chosen = StationSettings(station_name="PACK-1", devices=DeviceSettings(document_printer="cups://Office"))
    assert demo_station(chosen, tmp_path) == chosen
