"""The packing station window end to end, offscreen, on SQLite and PostgreSQL.

The packer logs in by typing a PIN, and every scan is typed into whatever widget has the
focus at scanner speed, as a keyboard-wedge scanner does; the window's key filter must
tell the scans from the typing. The label goes to a real ZPL printer on TCP (the
simulator), and a pack left open when the window closes is back after the next log-in.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.domain.units import format_weight
from tests.db.test_manifests import pack_at
from tests.support.station_window import WAIT_MS, Station
from tests.support.warehouse import make_order, unit_barcode
from ui.station.controller import Mode
from ui.station.label_pending_dialog import LabelPendingDialog
from ui.station.manager_sign_in import ManagerPrompt
from ui.station.weight_override_dialog import WeightOverrideDialog


def test_a_whole_pack_from_log_in_to_printed_label(qtbot: QtBot, seeded_database: Database,
                                                   printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 2), ("SOAP-LAV-100", 1)])
    station = Station(qtbot, db, printer.uri)
    station.window.sim_dock.panel.auto_weight.setChecked(False)  # the test puts the weight on itself
    assert station.window.sim_dock.isVisibleTo(station.window)  # a sim: scale gets the simulator panel
    assert station.log_in("packer", "9999") == ("Wrong PIN. Try again.", "error")
    assert station.window.banner.tone == "error" and station.window.station.sounds.played[-1] == "refuse"
    text, tone = station.log_in("packer", "1111")
    assert tone == "ok" and text.startswith("Hello Pat")
    assert station.window.station.stack.currentWidget() is station.window.station.idle

    assert station.scan(number) == (f"Packing {number} for Test Person: scan each item.", "ok")
    pack = station.window.station.pack
    assert station.window.station.stack.currentWidget() is pack and pack.header.number.text() == number
    text, tone = station.scan("NOT-A-PRODUCT")
    assert tone == "error" and text.startswith("Unknown barcode 'NOT-A-PRODUCT'")
    assert station.window.banner.text() == text and station.window.station.sounds.played[-1] == "refuse-unknown"
    text, tone = station.scan(unit_barcode(db, "SOAP-OAT-100"))
    assert tone == "error" and "not on this order" in text
    mug = unit_barcode(db, "MUG-CER-350")
    assert station.scan(mug[2:])[1] == "ok"  # the UPC-A a wedge scanner types
    assert station.scan("]E0" + mug[1:])[1] == "ok"  # EAN-13 with its AIM identifier
    text, tone = station.scan(unit_barcode(db, "SOAP-LAV-100"))
    assert tone == "ok" and text.startswith("All items scanned") and station.scanned() == [2, 1]
    assert [pack.model.index(row, 5).data() for row in range(2)] == ["✓", "✓"]
    assert station.scan("BOX-M") == ("Box BOX-M chosen.", "ok")
    assert pack.weight.box.text() == "Box: BOX-M" and pack.weight.box_hint.text().startswith("chosen")

    view = station.controller.view
    assert view is not None and view.expected_g is not None
    station.weigh(view.expected_g + 1500)
    text, tone = station.key(Qt.Key.Key_Return)
    assert tone == "error" and "heavier than expected" in text and station.controller.override is not None
    station.weigh(view.expected_g)
    text, tone = station.key(Qt.Key.Key_F9)
    assert text.startswith(f"Shipped {number} — tracking ") and "label printed" in text
    assert tone == "warn" and "packing slip saved to" in text  # no document printer here: amber, and where
    tracking = text.split("tracking ")[1].split(" —")[0]
    assert tracking.encode() in printer.wait_for_jobs(1, timeout=5)[0]
    assert station.controller.mode is Mode.IDLE

    text, tone = station.key(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert (text, tone) == (f"Reprinted label 1 of 1 for {number} (tracking {tracking}) on {printer.uri}.", "ok")
    assert printer.wait_for_jobs(2, timeout=5)[1] == printer.jobs[0]
    assert station.scan("FS:LOGOUT") == ("Logged out.", "info")
    assert station.window.station.stack.currentWidget() is station.window.station.login
    assert station.typed == []  # every code was seen as a scan by the wedge filter


def test_an_open_pack_is_resumed_and_a_manager_accepts_the_weight(qtbot: QtBot, seeded_database: Database,
                                                                  printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 2)])
    first = Station(qtbot, db, printer.uri)
    first.log_in("packer", "1111")
    first.scan(number)
    assert first.scan(unit_barcode(db, "MUG-CER-350"))[1] == "ok"
    first.window.close()  # the pack stays open in the database

    station = Station(qtbot, db, printer.uri)
    station.window.sim_dock.panel.auto_weight.setChecked(False)
    text, tone = station.log_in("packer2", "4444")
    assert tone == "warn" and f"{number} was left open at this station" in text and "1 of 2" in text
    assert station.window.station.pack.header.number.text() == number and station.scanned() == [1]
    view = station.controller.view
    assert view is not None and view.expected_g is not None
    station.weigh(view.expected_g + 900)  # closing a package out of range: a manager accepts it the same way
    text, tone = station.scan("FS:NEWPKG")
    assert tone == "error" and "heavier than expected" in text
    assert station.scan("BADGE-0002")[0].startswith("Morgan Manager: check the weight")
    qtbot.waitUntil(lambda: isinstance(station.window.menu_actions.dialog, WeightOverrideDialog), timeout=WAIT_MS)
    package_dialog = station.window.menu_actions.dialog
    assert isinstance(package_dialog, WeightOverrideDialog) and package_dialog.question.closes_package
    assert package_dialog.accept_button.text() == "Accept and close the package"
    package_dialog.reasons.setCurrentIndex(package_dialog.reasons.findData("Extra packing material"))
    before = len(station.messages)
    package_dialog.accept_button.click()
    assert station.said(before + 2) == ("Package 1 closed. Scan the items for package 2.", "ok")
    assert station.scan(unit_barcode(db, "MUG-CER-350"))[1] == "ok"
    view = station.controller.view
    assert view is not None and view.package_sequence == 2 and view.expected_min_g is not None
    station.weigh(0)  # nothing on the scale: said as such, and no manager is asked for
    text, tone = station.scan("FS:SHIP")
    assert tone == "error" and "nothing is on it" in text and "missing" not in text
    assert station.window.station.pack.weight.expected.text().endswith("nothing on the scale")  # not "too light"
    assert station.controller.override is None and not station.window.menu_actions.accept_weight_action.isEnabled()
    station.weigh(view.expected_min_g - 200)
    text, tone = station.scan("FS:SHIP")
    assert tone == "error" and "lighter than expected" in text and "manager" in text
    assert station.scan("BADGE-0004")[0].startswith("Sam Second is not a manager")
    accept_action = station.window.menu_actions.accept_weight_action
    assert accept_action.isEnabled()  # a manager may also sign in by name and PIN
    accept_action.trigger()
    prompt = station.window.menu_actions.dialog
    assert isinstance(prompt, ManagerPrompt)
    qtbot.waitUntil(lambda: prompt.sign_in.choose("manager"), timeout=WAIT_MS)
    prompt.sign_in.pin.setText("2222")
    prompt.check()
    qtbot.waitUntil(lambda: isinstance(station.window.menu_actions.dialog, WeightOverrideDialog), timeout=WAIT_MS)
    by_pin = station.window.menu_actions.dialog
    assert isinstance(by_pin, WeightOverrideDialog) and by_pin.question.manager.full_name == "Morgan Manager"
    by_pin.reject()  # not yet: the badge scan below does it
    qtbot.waitUntil(lambda: station.window.menu_actions.dialog is None, timeout=WAIT_MS)
    printer.state = "paper-out"
    grams = view.expected_min_g - 200
    assert station.scan("BADGE-0002")[0].startswith("Morgan Manager: check the weight")
    menu = station.window.menu_actions
    qtbot.waitUntil(lambda: isinstance(menu.dialog, WeightOverrideDialog), timeout=WAIT_MS)
    dialog = menu.dialog
    assert isinstance(dialog, WeightOverrideDialog) and station.controller.view is not None  # nothing shipped yet
    unit = station.window.unit
    assert dialog.reading.text() == format_weight(grams, unit)
    assert dialog.difference.text() == f"{format_weight(view.expected_g - grams, unit)} light"
    assert dialog.range.text().startswith(format_weight(view.expected_min_g, unit))
    dialog.accept_button.click()  # no reason: refused in the dialog, which stays open
    assert dialog.isVisible() and "Choose why" in dialog.message.text()
    dialog.reasons.setCurrentIndex(dialog.reasons.findData("Other"))
    dialog.accept_button.click()
    assert dialog.isVisible()  # Other needs the text
    dialog.details.setText("Customer sent a lighter mug")
    before = len(station.messages)
    dialog.accept_button.click()
    assert station.said(before + 1) == ("Weight accepted by Morgan Manager. Shipping…", "info")
    text, tone = station.said(before + 2)
    assert tone == "warn" and text.startswith(f"Shipped {number}") and "label not printed" in text
    assert (f"Weight accepted by Morgan Manager at {format_weight(grams, unit)} "
            f"({format_weight(view.expected_g - grams, unit)} light): Customer sent a lighter mug.") in text
    assert "out of labels" in text and "Ctrl+R" in text and printer.jobs == []
    printer.state = "ok"
    text, tone = station.key(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert tone == "ok" and text.startswith(f"Reprinted labels 1 and 2 of 2 for {number} (tracking ")
    labels = printer.wait_for_jobs(2, timeout=5)  # one label per package
    assert b"PKG 1 OF 2" in labels[0] and b"PKG 2 OF 2" in labels[1]


def test_next_order_and_cancel_with_two_escapes(qtbot: QtBot, seeded_database: Database,
                                                printer: ZplPrinterSimulator) -> None:
    station = Station(qtbot, seeded_database, printer.uri)
    assert station.scan("BADGE-0001")[0].startswith("Hello Pat")  # a badge is a scan
    text, tone = station.key(Qt.Key.Key_F2)
    assert tone == "ok" and text.startswith("Packing ")
    number = station.window.station.pack.header.number.text()
    text, tone = station.key(Qt.Key.Key_Escape)
    assert tone == "warn" and text.startswith(f"Cancel the pack of {number}?")
    text, tone = station.key(Qt.Key.Key_Escape)
    assert tone == "warn" and text.startswith(f"Pack of {number} cancelled")
    screens = station.window.station
    assert station.controller.view is None and screens.stack.currentWidget() is screens.idle

    window = station.window  # a packer may look at the devices and test them
    window.device_settings_action.trigger()
    dialog = window.settings_dialog  # the device settings' scan box gets the keys, not the wedge
    assert dialog is not None and dialog.actor is not None and dialog.actor.username == "packer"
    dialog.scanner_row.run_test("wedge:")
    qtbot.keyClicks(dialog.scanner_row.scan_field, "TEST-1234")
    qtbot.keyClick(dialog.scanner_row.scan_field, Qt.Key.Key_Return)
    last = dialog.scanner_row.last_scan
    assert last is not None and last.text == "TEST-1234" and station.messages[-1][0].startswith("Pack of")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # but saving needs a manager
    prompt = dialog.prompt
    assert isinstance(prompt, ManagerPrompt) and "Only a manager or an owner" in prompt.message.text()
    prompt.reject()
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Not saved: a manager or an owner"), timeout=WAIT_MS)
    with qtbot.waitSignal(window.devices_changed, timeout=WAIT_MS):
        dialog.close()
    assert station.scan("FS:LOGOUT") == ("Logged out.", "info")  # the wedge is back after the dialog


def test_every_label_not_printed_is_listed_and_reprinted_from_the_station(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    station = Station(qtbot, db, printer.uri)
    here = station.window.context.station.name
    mine = [pack_at(db, here, printed=False) for _ in range(2)]
    elsewhere = pack_at(db, "PACK-ELSEWHERE", printed=False)
    menu = station.window.menu_actions
    assert not menu.label_pending_action.isEnabled()  # nobody logged in
    station.log_in("packer", "1111")
    menu.label_pending_action.trigger()
    dialog = menu.dialog
    assert isinstance(dialog, LabelPendingDialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 2, timeout=WAIT_MS)
    assert [row.id for row in dialog.rows] == mine
    qtbot.waitUntil(lambda: dialog.plan.text().startswith("Reprint prints label 1 of 1 for "), timeout=WAIT_MS)
    assert dialog.plan.text().endswith(f"on {printer.uri}.")
    dialog.all_stations.setChecked(True)
    qtbot.waitUntil(lambda: dialog.list.count() == 3, timeout=WAIT_MS)
    dialog.list.setCurrentRow(2)  # not only the last: the other station's too
    assert dialog.selected() is not None and dialog.selected().id == elsewhere  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: dialog.reprint_button.isEnabled(), timeout=WAIT_MS)
    dialog.reprint_button.click()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Printed label 1 of 1 for "), timeout=WAIT_MS)
    assert printer.wait_for_jobs(1, timeout=5)
    qtbot.waitUntil(lambda: dialog.list.count() == 2, timeout=WAIT_MS)
    assert [row.id for row in dialog.rows] == mine
