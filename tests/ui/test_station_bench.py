"""Clear words at the bench (offscreen, SQLite and PostgreSQL): every weight follows the
site's unit as soon as it changes, a new sign-in starts without the last customer's label,
a manager's badge is always a badge, a weight typed on the simulator sticks, and no
expected range starts at 0 g."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from tests.support.app import app_for, sign_in
from tests.support.station_window import WAIT_MS, Station
from tests.support.warehouse import make_order, unit_barcode
from ui.station.last_label import LastLabelDialog
from ui.station.weight_override_dialog import WeightOverrideDialog

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_a_unit_changed_at_another_station_reaches_every_weight_shown(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 1)])
    station = Station(qtbot, db, printer.uri)
    window = station.window
    window.sim_dock.panel.auto_weight.setChecked(False)
    qtbot.waitUntil(lambda: window.unit == "lb", timeout=WAIT_MS)
    station.log_in("packer", "1111")
    station.scan(number)
    station.scan(unit_barcode(db, "MUG-CER-350"))
    view = station.controller.view
    assert view is not None and view.expected_g is not None
    panel = window.station.pack.weight
    assert " lb" in panel.expected.text()
    assert window.context.listener is not None and window.context.listener.wait_listening(5)

    set_unit(db, "kg")  # the owner's CLI elsewhere
    qtbot.waitUntil(lambda: window.unit == "kg", timeout=WAIT_MS)
    station.weigh(3000)
    chip = window.device_bar.chips["Scale"]
    qtbot.waitUntil(lambda: "3.000 kg" in chip.text(), timeout=WAIT_MS)
    assert panel.weight.text() == "3.000 kg"
    assert " kg" in panel.expected.text() and " lb" not in panel.expected.text()
    refusal, tone = station.key(Qt.Key.Key_Return)
    assert tone == "error" and " kg heavier" in refusal
    assert station.scan("BADGE-0002")[0].startswith("Morgan Manager: check the weight")
    qtbot.waitUntil(lambda: isinstance(window.menu_actions.dialog, WeightOverrideDialog), timeout=WAIT_MS)
    dialog = window.menu_actions.dialog
    assert isinstance(dialog, WeightOverrideDialog)
    shown = " ".join(label.text() for label in (dialog.reading, dialog.range, dialog.difference))
    assert dialog.reading.text() == "3.000 kg" and " lb" not in shown and shown.count(" kg") == 5
    set_unit(db, "g")  # changed again while the dialog is open: it follows too
    qtbot.waitUntil(lambda: dialog.reading.text() == "3000 g", timeout=WAIT_MS)
    assert dialog.range.text().endswith(" g)") and dialog.difference.text().endswith(" g heavy")
    dialog.reject()


def set_unit(db: Database, unit: str) -> None:
    """The owner changes the site's weight unit at another station (its own engine)."""
    other = Database.connect(db.engine.url)
    try:
        elsewhere = app_for(other, station="DESK")
        elsewhere.site.set_weight_unit(sign_in(elsewhere, "owner", station="DESK"), unit)
    finally:
        other.dispose()


def test_the_next_sign_in_does_not_see_the_last_customers_label(qtbot: QtBot, seeded_database: Database,
                                                                 printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 1)])
    station = Station(qtbot, db, printer.uri)
    station.window.sim_dock.panel.auto_weight.setChecked(False)
    screens = station.window.station
    thumbnail = screens.idle.last_label
    station.log_in("packer", "1111")
    station.scan(number)
    station.scan(unit_barcode(db, "MUG-CER-350"))
    view = station.controller.view
    assert view is not None and view.expected_g is not None
    station.weigh(view.expected_g)
    assert "label printed" in station.key(Qt.Key.Key_Return)[0]
    qtbot.waitUntil(lambda: not thumbnail.isHidden(), timeout=WAIT_MS)  # the packer's own label, after the ship

    station.key(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # log out
    assert thumbnail.isHidden()
    assert station.scan("BADGE-0002")[0].startswith("Hello Morgan")
    qtbot.keyClick(station.focused(), Qt.Key.Key_L, CTRL_SHIFT)  # the label is still there on request
    dialog = station.window.menu_actions.dialog
    assert isinstance(dialog, LastLabelDialog)
    qtbot.waitUntil(lambda: dialog.pages is not None, timeout=WAIT_MS)
    assert dialog.caption.text().startswith(number)
    dialog.reject()
    qtbot.wait(300)  # a lookup started at the sign-in would have come back by now
    assert thumbnail.isHidden() and thumbnail.pages is None and screens.last_label.pages is None


def test_a_managers_badge_is_always_named_as_a_badge(qtbot: QtBot, seeded_database: Database,
                                                     printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 1)])
    station = Station(qtbot, db, printer.uri)
    station.window.sim_dock.panel.auto_weight.setChecked(False)
    station.log_in("packer", "1111")
    assert station.scan("BADGE-0002") == (
        "BADGE-0002 is Morgan Manager's badge: Pat Packer is signed in here. To sign in as Morgan, log out first "
        "(Ctrl+L), then scan the badge. To pack, scan an order or press F2 for the next one.", "info")
    assert station.scan("BADGE-0001")[0].startswith("BADGE-0001 is your badge: you are signed in.")
    assert station.scan("NO-SUCH-ORDER")[0].startswith("No order")  # an unknown code is still said so
    station.scan(number)
    station.scan(unit_barcode(db, "MUG-CER-350"))
    station.weigh(0)
    assert "nothing is on it" in station.key(Qt.Key.Key_Return)[0]
    text, tone = station.scan("BADGE-0002")
    assert (text, tone) == ("Nothing is on the scale: put the parcel on it, then press Enter; a manager cannot "
                            "accept an empty scale (BADGE-0002 is Morgan Manager's badge).", "error")
    assert station.window.menu_actions.dialog is None and station.controller.override is None
    assert station.window.station.sounds.played[-1] == "refuse-weight"
    view = station.controller.view
    assert view is not None and view.expected_g is not None
    station.weigh(view.expected_g)
    station.scan("FS:NEWPKG")  # a weighing that is not refused: the empty scale is forgotten
    assert station.scan("BADGE-0002") == (
        f"BADGE-0002 is Morgan Manager's badge: a badge is needed here only after the scale refused a weight, for "
        f"a manager to accept it. Carry on packing {number}.", "info")
    assert "Unknown barcode" in station.scan("NOT-A-PRODUCT")[0]


def test_a_weight_typed_on_the_simulator_sticks_and_its_panel_comes_back(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    first, second = make_order(db, [("MUG-CER-350", 1)]), make_order(db, [("MUG-CER-350", 1)])
    station = Station(qtbot, db, printer.uri)
    window, dock = station.window, station.window.sim_dock
    panel = dock.panel
    assert panel.auto_weight.isChecked() and dock.isVisibleTo(window)
    station.log_in("packer", "1111")
    station.scan(first)
    panel.grams.setFocus()
    panel.grams.selectAll()
    qtbot.keyClicks(panel.grams, "900")  # typed by the user, before the last item
    qtbot.waitUntil(lambda: window.station.pack.weight.reading.grams == 900, timeout=WAIT_MS)
    window.activateWindow()
    window.station.entry.setFocus()
    station.scan(unit_barcode(db, "MUG-CER-350"))  # all scanned: the typed weight stays
    station.scan("BADGE-0002")  # any later scan leaves it too
    qtbot.wait(200)
    assert window.station.pack.weight.reading.grams == 900 and panel.grams.value() == 900
    text, tone = station.key(Qt.Key.Key_Return)
    assert tone == "error" and "heavier than expected" in text  # weighed at 900 g, not the expected weight
    station.key(Qt.Key.Key_Escape)
    assert "cancelled" in station.key(Qt.Key.Key_Escape)[0]  # the order ended: the next one is automatic again
    station.scan(second)
    station.scan(unit_barcode(db, "MUG-CER-350"))
    view = station.controller.view
    assert view is not None and view.expected_g is not None
    qtbot.waitUntil(lambda: window.station.pack.weight.reading.grams == view.expected_g, timeout=WAIT_MS)

    action = dock.menu_action
    station_menu = window.menuBar().actions()[0].menu()
    assert action in station_menu.actions() and action.isVisible() and action.text() == "Simulator panel"
    dock.close()
    assert not dock.isVisibleTo(window) and not action.isChecked()
    action.trigger()
    assert dock.isVisibleTo(window)


def test_a_light_parcels_range_does_not_read_from_zero(qtbot: QtBot, seeded_database: Database,
                                                       printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    number = make_order(db, [("CBL-USBC-1M", 1)])  # 50 g with its mailer; the demo's allowance is 60 g
    station = Station(qtbot, db, printer.uri)
    window = station.window
    window.sim_dock.panel.auto_weight.setChecked(False)
    qtbot.waitUntil(lambda: window.unit == "lb", timeout=WAIT_MS)
    station.log_in("packer", "1111")
    station.scan(number)
    station.scan(unit_barcode(db, "CBL-USBC-1M"))
    view = station.controller.view
    assert view is not None and view.expected_min_g == 1
    assert window.station.pack.weight.expected.text().startswith("Expected\n0.01 lb – ")
