"""Station → Device settings: discovery, each device's Test against real drivers and
simulators (a pty scale, a TCP ZPL printer), and Save into station.toml and the database —
a manager's or owner's change (``app.stations.save_devices``): anyone may open the dialog
and test, Save asks a manager to sign in when the person signed in may not save, and the
audit log names the manager."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

import main
from drivers.sim.printer import ZplPrinterSimulator
from drivers.sim.scale import ScaleSimulator
from drivers.sim.scanner import SimScanner
from drivers.toolkit import DriverToolkit
from fulfilstation.app_context import AppContext
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Station
from fulfilstation.devices import Devices
from fulfilstation.domain.units import format_weight
from fulfilstation.ports import DiscoveredDevice
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.stations.registry import StationInfo
from fulfilstation.settings import DeviceSettings, StationSettings, load_settings
from fulfilstation.station_printers import DevicePrinters
from tests.support.app import app_for
from tests.support.app import sign_in as app_sign_in
from tests.support.text_fit import cut_labels
from tests.support.warehouse import user_id
from tests.ui.test_station_menu import sign_in
from ui.device_settings.row import DeviceRow
from ui.main_window import MainWindow
from ui.settings_dialog import StationSettingsDialog
from ui.station.manager_sign_in import ManagerPrompt

STATION = "PACK1"
FOUND = [
    DiscoveredDevice("scale", "hid://0922:8003", "USB scale 0922:8003 (Dymo)"),
    DiscoveredDevice("scanner", "hid://0c2e:0b61", "HID POS barcode scanner 0c2e:0b61"),
    DiscoveredDevice("serial-port", "serial:///dev/ttyUSB7", "/dev/ttyUSB7: USB serial (USB 067b:2303)"),
]


class FixedDiscovery(DriverToolkit):
    """The real drivers, with a discovery that finds ``FOUND`` once ``release`` is set."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def discover(self) -> list[DiscoveredDevice]:
        self.release.wait(5)
        return list(FOUND)


class NoStations:
    """``app.stations`` of the tests that do not save."""

    def save_devices(self, actor: Actor | None, station: StationSettings, devices: DeviceSettings) -> StationSettings:
        raise AssertionError("these tests do not save")


class StationsOnly:
    """An ``AppServices`` stand-in holding only ``stations`` (all the dialog calls)."""

    def __init__(self, stations: object) -> None:
        self.stations = stations


def plain_context(devices: DeviceSettings | None = None, stations: object | None = None) -> AppContext:
    settings = StationSettings(station_name=STATION, devices=devices or DeviceSettings())
    return AppContext(app=cast(AppServices, StationsOnly(stations or NoStations())),
                      station=StationInfo(1, STATION, "wedge:", "sim:", "sim:", None), settings=settings,
                      database_label="test", schema_revision=None, printers=DevicePrinters(STATION, Devices()),
                      toolkit=DriverToolkit())


@pytest.fixture
def manager(seeded_database: Database) -> Actor:
    """A manager signed in (the tests' dialogs save through a stand-in ``app.stations``)."""
    return app_sign_in(app_for(seeded_database), "manager")


@pytest.fixture
def dialog(qtbot: QtBot) -> Iterator[StationSettingsDialog]:
    window = StationSettingsDialog(plain_context(), unit="lb")
    qtbot.addWidget(window)
    window.show()
    yield window
    close_discarding(window)


def close_discarding(window: StationSettingsDialog) -> None:
    """Close ``window``, answering Discard if it asks about unsaved changes."""
    window.close()
    box = window.discard_box
    if box is not None:
        discard = box.button(QMessageBox.StandardButton.Discard)
        assert discard is not None
        discard.click()


def press_test(qtbot: QtBot, row: DeviceRow, uri: str) -> None:
    row.combo.setEditText(uri)
    qtbot.waitUntil(row.test_button.isEnabled)
    qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)




def items(row: DeviceRow) -> list[str]:
    return [row.combo.itemText(i) for i in range(row.combo.count())]


def test_the_lists_offer_discovered_devices_and_fixed_choices(qtbot: QtBot) -> None:
    toolkit = FixedDiscovery()
    window = StationSettingsDialog(plain_context(), toolkit=toolkit, unit="lb")
    qtbot.addWidget(window)
    assert window.discovery.text() == "Looking for devices…"
    toolkit.release.set()
    qtbot.waitUntil(lambda: window.discovery.text().startswith("Found 3 devices on this PC"), timeout=5000)
    assert items(window.scale_row)[:4] == ["hid://0922:8003", "serial:///dev/ttyUSB7?protocol=mt-sics",
                                           "serial:///dev/ttyUSB7?protocol=nci",
                                           "serial:///dev/ttyUSB7?protocol=toledo"]
    assert "sim:" in items(window.scale_row)
    assert items(window.scanner_row) == ["hid://0c2e:0b61", "serial:///dev/ttyUSB7", "wedge:", "sim:"]
    assert "tcp://HOST:9100" in items(window.label_row) and "sim:" in items(window.label_row)
    assert any(uri.startswith("pdf:///") for uri in items(window.document_row))
    assert window.scanner_row.uri() == "wedge:"  # the current settings stay selected
    window.scale_row.combo.setCurrentIndex(0)
    assert window.scale_row.uri() == "hid://0922:8003"
    assert window.scale_row.hint.text() == "USB scale 0922:8003 (Dymo)"
    window.label_row.combo.setEditText("tcp://HOST:9100")
    qtbot.mouseClick(window.label_row.test_button, Qt.MouseButton.LeftButton)
    assert "Replace HOST" in window.label_row.result.text()


def test_scale_test_shows_the_live_weight_then_disconnected(qtbot: QtBot, dialog: StationSettingsDialog) -> None:
    row = dialog.scale_row
    with ScaleSimulator("mt-sics", weight_grams=1250) as sim:
        press_test(qtbot, row, sim.uri)
        qtbot.waitUntil(lambda: row.weight.text() == format_weight(1250, "lb"), timeout=5000)
        assert row.weight.text() == "2.76 lb" and row.state.text() == "stable"
        sim.set_weight(900, stable=False)
        qtbot.waitUntil(lambda: row.weight.text() == "1.98 lb", timeout=5000)
        assert row.state.text().startswith("motion")
        sim.disconnect()
        qtbot.waitUntil(lambda: row.state.text().startswith("disconnected"), timeout=5000)
        assert row.weight.text() == "—" and "cable" in row.state.text()
        adapter = row.adapter
        assert adapter is not None
        with qtbot.waitSignal(adapter.stopped, timeout=5000):
            close_discarding(dialog)  # closing the dialog stops the scale it opened
        assert row.adapter is None and not adapter.running


def test_close_asks_before_discarding_an_unsaved_change(qtbot: QtBot, dialog: StationSettingsDialog) -> None:
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing changed: closes at once
    assert not dialog.isVisible() and dialog.discard_box is None
    dialog.show()
    dialog.scale_row.combo.setEditText("sim:?weight=2kg")
    dialog.close()
    box = dialog.discard_box
    assert box is not None and box.isVisible() and box.text() == "Discard the unsaved changes?"
    cancel = box.button(QMessageBox.StandardButton.Cancel)
    assert cancel is not None
    cancel.click()
    assert dialog.isVisible() and dialog.discard_box is None, "Cancel keeps the dialog and its change"
    assert dialog.scale_row.uri() == "sim:?weight=2kg"
    close_discarding(dialog)
    assert not dialog.isVisible()


def test_a_bad_address_names_the_bad_parameter(qtbot: QtBot, dialog: StationSettingsDialog) -> None:
    row = dialog.scale_row
    press_test(qtbot, row, "serial:///dev/ttyUSB0?protocol=mt-sics&speed=9600")
    qtbot.waitUntil(lambda: "speed" in row.result.text(), timeout=5000)
    assert "Fix the address" in row.result.text() and row.adapter is None


def test_label_printer_test_sends_a_test_label(qtbot: QtBot, dialog: StationSettingsDialog) -> None:
    row = dialog.label_row
    with ZplPrinterSimulator() as printer:
        press_test(qtbot, row, printer.uri)
        qtbot.waitUntil(lambda: "sent" in row.result.text(), timeout=10_000)
        assert row.result.text() == "Test label sent: the printer is ready."
        [label] = printer.wait_for_jobs(1)
    assert label.startswith(b"^XA") and STATION.encode() in label


def test_label_printer_out_of_paper_gets_no_job(qtbot: QtBot, dialog: StationSettingsDialog) -> None:
    row = dialog.label_row
    with ZplPrinterSimulator(state="paper-out") as printer:
        press_test(qtbot, row, printer.uri)
        qtbot.waitUntil(lambda: "Not sent" in row.result.text(), timeout=10_000)
        assert "paper out" in row.result.text()
        assert "load a new roll" in row.result.text()  # the status advice
        assert printer.jobs == []


def test_document_printer_prints_a_test_page(qtbot: QtBot, dialog: StationSettingsDialog, tmp_path: Path) -> None:
    row = dialog.document_row
    press_test(qtbot, row, f"pdf://{tmp_path}/documents")
    qtbot.waitUntil(lambda: "saved" in row.result.text(), timeout=10_000)
    [page] = (tmp_path / "documents").glob("*.pdf")
    assert page.read_bytes().startswith(b"%PDF")


def test_wedge_test_scan_shows_text_and_symbology(qtbot: QtBot, dialog: StationSettingsDialog) -> None:
    row = dialog.scanner_row
    press_test(qtbot, row, "wedge:")
    assert row.scan_field.isVisible() and "Scan any barcode now" in row.result.text()
    qtbot.keyClicks(row.scan_field, "]C10109501101530003")
    qtbot.keyClick(row.scan_field, Qt.Key.Key_Return)
    assert row.result.text() == "Scanned: 0109501101530003 (GS1-128, ]C1)"
    assert dialog.isVisible()  # Enter in the scan box pressed no button


def test_other_scanners_are_read_through_the_adapter(qtbot: QtBot, dialog: StationSettingsDialog) -> None:
    row = dialog.scanner_row
    press_test(qtbot, row, "sim:")
    qtbot.waitUntil(lambda: row.adapter is not None, timeout=5000)
    assert row.adapter is not None
    scanner = row.adapter.scanner
    assert isinstance(scanner, SimScanner)
    scanner.inject("ABC-123", "]C0")
    qtbot.waitUntil(lambda: "ABC-123" in row.result.text(), timeout=5000)
    assert row.result.text() == "Scanned: ABC-123 (Code 128, ]C0)"


def test_save_refuses_a_bad_address(qtbot: QtBot, dialog: StationSettingsDialog, manager: Actor) -> None:
    dialog.actor = manager
    dialog.scale_row.combo.setEditText("serial:///dev/ttyUSB0?protocol=mt-sics&speed=9600")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Not saved"), timeout=5000)
    assert "scale address" in dialog.message.text() and "speed" in dialog.message.text()


class SlowStations:
    def __init__(self) -> None:
        self.release = threading.Event()
        self.saved: list[DeviceSettings] = []

    def save_devices(self, actor: Actor | None, station: StationSettings, devices: DeviceSettings) -> StationSettings:
        self.release.wait(5)
        self.saved.append(devices)
        return StationSettings(station_name=station.station_name, devices=devices)


def test_closing_during_a_save_waits_for_it(qtbot: QtBot, manager: Actor) -> None:
    services = SlowStations()
    context = plain_context(stations=services)
    window = StationSettingsDialog(context, unit="lb", actor=manager)
    qtbot.addWidget(window)
    window.show()
    window.scale_row.combo.setEditText("sim:?weight=2kg")
    qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
    window.close()
    assert window.isVisible() and window.message.text() == "Finishing the save…"
    with qtbot.waitSignal(window.saved, timeout=5000):
        services.release.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert services.saved[0].scale == "sim:?weight=2kg"


def test_the_saved_message_shows_whole(qtbot: QtBot, manager: Actor) -> None:
    services = SlowStations()
    services.release.set()
    window = StationSettingsDialog(plain_context(stations=services), unit="lb", actor=manager)
    qtbot.addWidget(window)
    window.show()
    window.scale_row.combo.setEditText("sim:?weight=2kg")
    with qtbot.waitSignal(window.saved, timeout=5000):
        qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert window.message.text().startswith("Saved for this station")
    for width in (1200, 900, window.minimumSizeHint().width()):
        window.resize(width, window.height())
        qtbot.wait(50)
        assert not (problems := cut_labels(window)), f"{width} px wide: " + "\n".join(problems)
    assert not window.unsaved()
    window.close()  # saved: no question
    assert not window.isVisible()


def gui_args(url: str) -> argparse.Namespace:
    return argparse.Namespace(db=url, demo=False, fullscreen=False, verbose=False)


def test_save_writes_the_settings_file_and_the_station_row(qtbot: QtBot, seeded_database: Database,
                                                           tmp_path: Path) -> None:
    context = main.bootstrap(gui_args(seeded_database.engine.url.render_as_string(hide_password=False)))
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.device_bar.chips["Label printer"].text() == "Label printer: ready (sim)",
                    timeout=5000)
    action = window.device_settings_action
    assert action.shortcut().toString() == "Ctrl+," and action.text() == "Device settings…"
    assert [a.text() for a in window.menuBar().actions()] == ["&Station"]
    action.trigger()  # nobody is signed in: anyone may look and test
    dialog = window.settings_dialog
    assert dialog is not None and dialog.actor is None and window.device_bar.chips["Scale"].state == "paused"
    assert dialog.save_button.text() == "Save (a manager signs in)…"
    label, documents = "tcp://127.0.0.1:1", f"pdf://{tmp_path}/slips"
    dialog.label_row.combo.setEditText(label)
    dialog.document_row.combo.setEditText(documents)
    dialog.scale_row.combo.setEditText("sim:?weight=1.25lb")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # saving: a manager first
    prompt = dialog.prompt
    assert isinstance(prompt, ManagerPrompt) and load_settings().settings.devices.label_printer != label
    sign_in(qtbot, prompt.sign_in, "packer", "1111")
    refused = ("Pat Packer is a packer: only a manager or an owner can change this station's devices. "
               "Ask one to sign in here.")
    qtbot.waitUntil(lambda: prompt.message.text() == refused, timeout=5000)
    assert dialog.prompt is prompt and load_settings().settings.devices.label_printer != label
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        sign_in(qtbot, prompt.sign_in, "manager", "2222")
    assert dialog.actor is None and dialog.save_button.text() == "Save (a manager signs in)…"  # for one save
    assert dialog.message.text().startswith("Saved")
    saved = load_settings().settings.devices
    assert saved == DeviceSettings(scanner="wedge:", scale="sim:?weight=1.25lb", label_printer=label,
                                   document_printer=documents)
    with seeded_database.unit_of_work() as session:
        row = session.scalars(select(Station).where(Station.name == context.station.name)).one()
        assert (row.scale_uri, row.label_printer_uri, row.document_printer_uri) == (
            "sim:?weight=1.25lb", label, documents)
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "station.devices_changed")).one()
        assert (entry.user_id, entry.entity_id, entry.details["by"]) == (
            user_id(seeded_database, "manager"), row.id, "manager")
        assert entry.details["label_printer"] == label
    with qtbot.waitSignal(window.devices_changed, timeout=5000):
        dialog.close()  # the window reopens its devices with the saved addresses
    chips = window.device_bar.chips
    assert chips["Label printer"].uri == label and window.context.settings.devices == saved
    assert chips["Document printer"].state == "configured"
    qtbot.waitUntil(lambda: chips["Label printer"].text() == "Label printer: no answer", timeout=5000)
    qtbot.waitUntil(lambda: "1.25 lb" in chips["Scale"].text() or "0.567 kg" in chips["Scale"].text(),
                    timeout=5000)
    window.close()


def test_a_managers_sign_in_is_for_one_save_only(qtbot: QtBot, seeded_database: Database) -> None:
    """#10: a packer had a manager sign in for one Save, then saved again with no manager and
    the audit log named the manager for both. Each Save now asks for its own manager."""
    context = main.bootstrap(gui_args(seeded_database.engine.url.render_as_string(hide_password=False)))
    packer = app_sign_in(context.app, "packer")
    dialog = StationSettingsDialog(context, unit="lb", actor=packer)
    qtbot.addWidget(dialog)
    dialog.show()
    first, second = "tcp://127.0.0.1:1", "tcp://127.0.0.1:2"
    dialog.label_row.combo.setEditText(first)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    prompt = dialog.prompt
    assert isinstance(prompt, ManagerPrompt)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        sign_in(qtbot, prompt.sign_in, "manager", "2222")
    assert dialog.actor is packer and dialog.save_button.text() == "Save (a manager signs in)…"
    qtbot.waitUntil(lambda: dialog.prompt is None)

    dialog.label_row.combo.setEditText(second)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # the manager is not remembered
    again = dialog.prompt
    assert isinstance(again, ManagerPrompt) and again is not prompt
    again.reject()  # no manager this time
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Not saved: a manager"), timeout=5000)
    assert load_settings().settings.devices.label_printer == first
    with seeded_database.unit_of_work() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "station.devices_changed")).all()
        assert [(e.user_id, e.details["label_printer"]) for e in entries] == [
            (user_id(seeded_database, "manager"), first)]
    dialog.close()
