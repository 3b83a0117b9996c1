"""The Station menu's own entries (offscreen, SQLite and PostgreSQL): the command sheet goes
to the document printer or to a file, a manager voids a shipment in the void dialog (a
packer is refused), and a manager opens the Manifests view (in a dialog over a packer's
station, or the workspace's own screen when a manager or owner is the one signed in)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from drivers.sim.printer import SimDocumentPrinter, ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.db.models import Shipment
from fulfilstation.ports import ScanValue
from tests.db.test_manifests import pack_at, packages_of
from tests.support.station_window import STATION, WAIT_MS, Station
from tests.support.warehouse import user_id
from ui.manifests_view import ManifestsDialog, ManifestsView
from ui.station.manager_sign_in import ManagerPrompt, ManagerSignIn
from ui.station.void_dialog import VoidDialog


def shipment_status(db: Database, shipment_id: int) -> str:
    with db.unit_of_work() as session:
        return str(session.scalar(select(Shipment.status).where(Shipment.id == shipment_id)))


def sign_in(qtbot: QtBot, who: ManagerSignIn, username: str, pin: str) -> None:
    """Choose ``username`` and type ``pin`` then Enter, as a person does."""
    qtbot.waitUntil(lambda: who.names.count() == 5, timeout=WAIT_MS)  # the four demo users
    assert who.choose(username)
    qtbot.keyClicks(who.pin, pin)
    qtbot.keyClick(who.pin, Qt.Key.Key_Return)


def test_the_command_sheet_goes_to_the_document_printer_or_a_file(qtbot: QtBot, seeded_database: Database,
                                                                  printer: ZplPrinterSimulator,
                                                                  tmp_path: Path) -> None:
    documents = SimDocumentPrinter()
    station = Station(qtbot, seeded_database, printer.uri, documents=documents)
    window, menu = station.window, station.window.menu_actions
    with qtbot.waitSignal(menu.status, timeout=WAIT_MS, check_params_cb=lambda text: "sent" in text):
        qtbot.keyClick(station.focused(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    [(job, pdf)] = documents.documents
    assert job == f"command sheet {STATION}" and pdf.startswith(b"%PDF")
    assert window.statusBar().currentMessage() == "Command sheet sent to the document printer sim:."

    window.context = replace(window.context, devices=replace(window.context.devices, document_printer=None))
    suggested: list[str] = []

    def choose(_parent: object, path: str) -> str:
        suggested.append(path)
        return str(tmp_path / "sheet.pdf")

    menu.choose_path = choose
    with qtbot.waitSignal(menu.status, timeout=WAIT_MS, check_params_cb=lambda text: "saved" in text):
        menu.command_sheet_action.trigger()
    assert Path(suggested[0]).name == f"command-sheet-{STATION}.pdf"
    assert (tmp_path / "sheet.pdf").read_bytes().startswith(b"%PDF") and len(documents.documents) == 1
    assert window.statusBar().currentMessage() == (f"No document printer is set up: command sheet saved to "
                                                   f"{tmp_path / 'sheet.pdf'}.")


def test_a_manager_voids_a_shipment_and_a_packer_is_refused(qtbot: QtBot, seeded_database: Database,
                                                            printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    station = Station(qtbot, db, printer.uri)
    shipment_id = pack_at(db, "PACK-T")
    tracking = packages_of(db, [shipment_id])[0][0]
    station.log_in("packer", "1111")
    menu = station.window.menu_actions
    menu.void_action.trigger()
    dialog = menu.dialog
    assert isinstance(dialog, VoidDialog)
    station.window.station.deliver_scan(ScanValue(tracking, None, tracking.encode()))  # a HID scanner's scan
    qtbot.keyClicks(dialog.reason, "Damaged while packing")  # the wedge lets the dialog have the keys
    assert dialog.reference.text() == tracking and dialog.reason.text() == "Damaged while packing"
    assert station.typed == []
    messages = len(station.messages)

    sign_in(qtbot, dialog.sign_in, "packer", "1111")
    refused = ("Pat Packer is a packer: only a manager or an owner can void a shipment. "
               "Ask one to sign in here.")
    qtbot.waitUntil(lambda: dialog.message.text() == refused, timeout=WAIT_MS)
    assert shipment_status(db, shipment_id) != "voided"

    sign_in(qtbot, dialog.sign_in, "manager", "2222")
    qtbot.waitUntil(lambda: "is void" in dialog.message.text(), timeout=WAIT_MS)
    assert dialog.message.text().startswith(f"Shipment {tracking} is void: its items are back on the shelf")
    assert shipment_status(db, shipment_id) == "voided"
    assert station.window.banner.text() == dialog.message.text() and station.window.banner.tone == "ok"
    assert len(station.messages) == messages  # the station's controller saw none of it
    dialog.reject()
    qtbot.waitUntil(lambda: menu.dialog is None, timeout=WAIT_MS)
    assert station.scan("FS:LOGOUT") == ("Logged out.", "info")  # the wedge is back


def test_the_manifests_view_is_for_managers(qtbot: QtBot, seeded_database: Database,
                                           printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    station = Station(qtbot, db, printer.uri)
    window, menu = station.window, station.window.menu_actions
    assert menu.manifests_action.isVisible()
    station.log_in("packer", "1111")
    menu.manifests_action.trigger()
    prompt = menu.dialog
    assert isinstance(prompt, ManagerPrompt)
    sign_in(qtbot, prompt.sign_in, "packer", "1111")
    refused = ("Pat Packer is a packer: only a manager or an owner can close the day's manifests. "
               "Ask one to sign in here.")
    qtbot.waitUntil(lambda: prompt.message.text() == refused, timeout=WAIT_MS)
    assert menu.dialog is prompt
    sign_in(qtbot, prompt.sign_in, "manager", "2222")
    qtbot.waitUntil(lambda: isinstance(menu.dialog, ManifestsDialog), timeout=WAIT_MS)
    dialog = menu.dialog
    assert isinstance(dialog, ManifestsDialog)
    view = dialog.view  # the packer stays signed in at the station; the manager acts in the view
    assert view.actor is not None and view.actor.user_id == user_id(db, "manager") and view.unit == "lb"
    assert station.controller.user is not None and station.controller.user.username == "packer"
    qtbot.waitUntil(lambda: view.summary.text() != "Loading…", timeout=WAIT_MS)
    dialog.reject()
    qtbot.waitUntil(lambda: menu.dialog is None, timeout=WAIT_MS)
    with qtbot.waitSignal(station.controller.users_loaded, timeout=WAIT_MS):  # the log-in list is filled again
        assert station.scan("FS:LOGOUT") == ("Logged out.", "info")

    station.log_in("owner", "3333")  # a manager or owner at the station: no question asked
    menu.manifests_action.trigger()  # the workspace's own Manifests screen, as the owner
    screen = window.screens["manifests"]
    assert menu.dialog is None and window.stack.currentWidget() is screen
    assert isinstance(screen, ManifestsView) and screen.actor is not None
    assert screen.actor.user_id == user_id(db, "owner")
