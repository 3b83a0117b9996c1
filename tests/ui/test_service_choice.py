"""The shipping service in the station window (offscreen, SQLite and PostgreSQL): the
order header shows the chosen service, its price, arrival and reason once an order is
claimed, and again once a package is closed; a manager changes the service in the
Change shipping service… dialog (a packer is refused; routing rules are obeyed); and the
last label is shown without the simulator, its barcodes readable (and the simulator
panel draws it from its description too)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry
from fulfilstation.services.orders.quotes import Quote, quote
from fulfilstation.settings import DeviceSettings, StationSettings, save_settings
from tests.db.test_rating import MUG_AND_SOAP, add_rule
from tests.support.station_window import STATION, WAIT_MS, Station
from tests.support.warehouse import make_order, unit_barcode, user_id
from tests.support.zpl import decode_barcodes
from tests.ui.test_station_menu import sign_in
from ui.station.label_preview import render_description
from ui.station.last_label import LastLabelDialog
from ui.station.service_dialog import KEY_ROLE, ServiceDialog
from ui.station.sim_panel import PREVIEW_SCALE
from ui.station.zpl_preview import render_label

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def dollars(minor: int) -> str:
    return f"${minor // 100}.{minor % 100:02d}"


def header_of(q: Quote) -> str:
    """What the header's service line must say for ``q`` (its price in USD, as the demo's)."""
    assert q.price is not None and q.price.currency == "USD"
    return f"{q.service_name} · {dollars(q.price.total_minor)}" + (" (estimated)" if q.estimated else "")


def wait_for_header(station: Station, db: Database, number: str) -> Quote:
    """Wait until the header shows the service layer's current quote of ``number``; return it."""
    header = station.window.station.pack.header
    expected = quote(db, number)
    station.qtbot.waitUntil(lambda: header.service.text() == header_of(expected), timeout=WAIT_MS)
    assert header.service_detail.text().endswith(f" — {expected.reason}")
    return expected


def mean_difference(first: QImage, second: QImage, prefix: Path) -> float:
    """The mean grey-level difference (0–255) of two images of the same size. Glyph edges may
    differ by a few shades between threads (antialiasing); a different drawing differs a lot."""
    assert first.size() == second.size()
    assert first.save(f"{prefix}-1.png") and second.save(f"{prefix}-2.png")
    difference = ImageChops.difference(Image.open(f"{prefix}-1.png").convert("L"),
                                       Image.open(f"{prefix}-2.png").convert("L"))
    histogram = difference.histogram()
    return sum(level * count for level, count in enumerate(histogram)) / sum(histogram)


def row_of(dialog: ServiceDialog, service: str) -> int:
    return next(row for row in range(dialog.table.rowCount())
                if dialog.table.item(row, 0).data(KEY_ROLE) == service)


def open_dialog(station: Station) -> ServiceDialog:
    station.qtbot.keyClick(station.focused(), Qt.Key.Key_S, CTRL_SHIFT)
    dialog = station.window.menu_actions.dialog
    assert isinstance(dialog, ServiceDialog)
    return dialog


def test_the_header_shows_the_service_and_its_price(qtbot: QtBot, seeded_database: Database,
                                                   printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    number = make_order(db, MUG_AND_SOAP)
    station = Station(qtbot, db, printer.uri)
    station.log_in("packer", "1111")
    menu = station.window.menu_actions
    assert not menu.service_action.isEnabled()  # no order open
    station.scan(number)
    assert menu.service_action.isEnabled()
    first = wait_for_header(station, db, number)
    header = station.window.station.pack.header
    # the demo courier for the estimated BOX-S parcel: 932 base + 540 residential + 135 fuel
    assert header.service.text() == "Local Courier (next day) · $16.07 (estimated)" and first.estimated
    assert header.service_detail.text().startswith("Arrives ")
    assert first.reason == "cheapest; no delivery date promised"

    for sku, count in MUG_AND_SOAP:
        for _ in range(count):
            assert station.scan(unit_barcode(db, sku))[1] == "ok"
    assert header.service.text() == header_of(first)  # scans do not change the price
    assert station.scan("BOX-XL") == ("Box BOX-XL chosen.", "ok")
    boxed = wait_for_header(station, db, number)  # the scanned box is priced at once, still an estimate
    assert boxed.estimated and boxed.price is not None and first.price is not None
    assert boxed.price.total_minor > first.price.total_minor
    assert station.scan("BOX-M") == ("Box BOX-M chosen.", "ok")
    view = station.controller.view
    assert view is not None and view.expected_g is not None
    station.weigh(view.expected_g)
    assert station.scan("FS:NEWPKG")[1] == "ok"  # packed in a bigger box: priced on its size, no estimate
    second = wait_for_header(station, db, number)
    assert header.service.text() == "Local Courier (next day) · $16.99" and not second.estimated
    station.scan("FS:CANCEL")
    station.scan("FS:CANCEL")
    assert station.controller.view is None and header.service.text() == ""
    assert not menu.service_action.isEnabled()


def test_a_broken_routing_rule_shows_in_the_header(qtbot: QtBot, seeded_database: Database,
                                                  printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_rule(db, "Typo", 1, {"hazmatt": True}, service="ups/ground")
    number = make_order(db, [("NB-A5-DOT", 1)])
    station = Station(qtbot, db, printer.uri)
    station.log_in("packer", "1111")
    assert station.scan(number)[1] == "ok"
    header = station.window.station.pack.header
    qtbot.waitUntil(lambda: header.service.text() == "No shipping service", timeout=WAIT_MS)
    assert "Routing rule 'Typo' has conditions" in header.service_detail.text()
    assert "b3261e" in header.service_detail.styleSheet()  # red


def test_a_manager_changes_the_service_and_a_packer_cannot(qtbot: QtBot, seeded_database: Database,
                                                           printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_rule(db, "Fragile not overnight", 5, {"fragile": True, "exclude_services": ["fedex/overnight"]})
    number = make_order(db, MUG_AND_SOAP)
    station = Station(qtbot, db, printer.uri)
    station.log_in("packer", "1111")
    station.scan(number)
    wait_for_header(station, db, number)
    dialog = open_dialog(station)
    assert not dialog.sign_in.isHidden() and dialog.table.isHidden()  # a manager first

    sign_in(qtbot, dialog.sign_in, "packer", "1111")
    refused = ("Pat Packer is a packer: only a manager or an owner can change the shipping service. "
               "Ask one to sign in here.")
    qtbot.waitUntil(lambda: dialog.message.text() == refused, timeout=WAIT_MS)
    assert dialog.table.isHidden() and dialog.manager is None

    sign_in(qtbot, dialog.sign_in, "manager", "2222")
    qtbot.waitUntil(lambda: not dialog.table.isHidden() and dialog.table.rowCount() > 0, timeout=WAIT_MS)
    before = quote(db, number)
    assert dialog.table.rowCount() == len(before.options) and dialog.selected() == "courier/local"
    overnight = row_of(dialog, "fedex/overnight")
    assert dialog.table.item(overnight, 4).text() == "Fragile not overnight"
    assert dialog.table.item(overnight, 0).flags() == Qt.ItemFlag.NoItemFlags  # shown, not selectable
    dialog.table.selectRow(overnight)
    assert dialog.selected() != "fedex/overnight"

    dialog.table.selectRow(row_of(dialog, "usps/priority"))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    menu = station.window.menu_actions
    qtbot.waitUntil(lambda: menu.dialog is None, timeout=WAIT_MS)
    after = quote(db, number)
    assert after.service == "usps/priority" and after.reason == "the order asks for USPS Priority Mail"
    header = station.window.station.pack.header
    assert header.service.text() == header_of(after) and header.service.text().startswith("USPS Priority Mail · $")
    assert after.price is not None
    assert station.window.banner.text() == f"Service changed to USPS Priority Mail ({dollars(after.cost_minor)})."
    with db.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "order.service_changed")).one()
        assert entry.user_id == user_id(db, "manager") and entry.details["to"] == "usps/priority"
    assert station.scan("FS:LOGOUT")[0].startswith("Logged out.")  # the scanner is the station's again


def test_a_refusal_shows_in_the_dialog_and_a_logged_in_manager_needs_no_sign_in(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_rule(db, "Hazmat by ground", 10, {"hazmat": True}, service="ups/ground")
    number = make_order(db, [("BAT-AA-8PK", 1)])
    station = Station(qtbot, db, printer.uri)
    station.log_in("manager", "2222")
    station.scan(number)
    assert wait_for_header(station, db, number).reason == "routing rule 'Hazmat by ground'"
    dialog = open_dialog(station)
    assert dialog.sign_in.isHidden() and not dialog.table.isHidden()
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=WAIT_MS)
    assert dialog.selected() == "ups/ground"
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # the current service again: nothing to do
    assert dialog.message.text() == "UPS Ground is already this order's service: choose another one."
    dialog.table.selectRow(row_of(dialog, "usps/priority"))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Hazmat by ground" in dialog.message.text(), timeout=WAIT_MS)
    assert dialog.message.text() == ("USPS Priority Mail cannot be chosen: routing rule 'Hazmat by ground' sends "
                                     "this order by UPS Ground.")
    assert station.window.menu_actions.dialog is dialog and quote(db, number).service == "ups/ground"
    dialog.reject()


def test_the_last_label_is_shown_after_the_ship(qtbot: QtBot, seeded_database: Database,
                                               printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 2)])
    station = Station(qtbot, db, printer.uri)
    station.window.sim_dock.panel.auto_weight.setChecked(False)
    menu = station.window.menu_actions
    assert not menu.last_label_action.isEnabled()  # nobody logged in
    with qtbot.waitSignal(station.window.station.last_label.loaded, timeout=WAIT_MS) as loaded:
        station.log_in("packer", "1111")  # a sign-in starts clean: no label yet
    thumbnail = station.window.station.idle.last_label
    assert loaded.args == [None] and thumbnail.isHidden()  # this station has shipped nothing yet
    assert menu.last_label_action.isEnabled()
    station.scan(number)
    mug = unit_barcode(db, "MUG-CER-350")
    station.scan(mug)
    view = station.controller.view
    assert view is not None and view.expected_g is not None
    station.weigh(view.expected_g)
    assert station.scan("FS:NEWPKG")[1] == "ok"
    station.scan(mug)
    view = station.controller.view
    assert view is not None and view.expected_g is not None
    station.weigh(view.expected_g)
    text, tone = station.key(Qt.Key.Key_F9)
    assert tone == "warn" and "label printed" in text  # amber: the slip was saved (no document printer)
    tracking = text.split("tracking ")[1].split(" —")[0].split(", ")
    jobs = printer.wait_for_jobs(2, timeout=5)
    assert len(tracking) == 2 and all(t.encode() in job for t, job in zip(tracking, jobs, strict=True))

    qtbot.waitUntil(lambda: not thumbnail.isHidden(), timeout=WAIT_MS)
    service = quote(db, number).service_name
    assert thumbnail.caption.text() == f"{number} · {service} · package 2 of 2"
    qtbot.keyClick(station.focused(), Qt.Key.Key_L, CTRL_SHIFT)
    dialog = menu.dialog
    assert isinstance(dialog, LastLabelDialog)
    qtbot.waitUntil(lambda: dialog.pages is not None, timeout=WAIT_MS)
    assert dialog.caption.text() == f"{number} · {service} · package 1 of 2" and dialog.note.isHidden()
    labels = station.controller.last_labels()  # what the preview shows: the station's last shipment
    assert labels is not None and [label.tracking_number for label in labels.labels] == tracking
    for page, label in enumerate(labels.labels):
        image = dialog.image.image
        assert image is not None and image.save(str(tmp_path / f"page-{page}.png"))
        expected = (label.barcode.scanned(), "]C1" if label.barcode.is_gs1 else "]C0")
        assert [(d.text, d.symbology) for d in decode_barcodes(tmp_path / f"page-{page}.png")] == [expected]
        assert tracking[page] in label.barcode.scanned()
        qtbot.keyClick(dialog, Qt.Key.Key_Right)
    assert dialog.page == 1 and dialog.caption.text().endswith("package 2 of 2") and not dialog.next.isEnabled()
    dialog.reject()
    qtbot.waitUntil(lambda: menu.dialog is None, timeout=WAIT_MS)


def test_the_simulator_panel_draws_the_shipped_label_from_its_description(qtbot: QtBot, seeded_database: Database,
                                                                         tmp_path: Path) -> None:
    save_settings(StationSettings(station_name=STATION, devices=DeviceSettings(label_printer="sim:")))
    db = seeded_database
    number = make_order(db, [("NB-A5-DOT", 1)])
    station = Station(qtbot, db, "sim:")
    panel = station.window.sim_dock.panel
    panel.auto_weight.setChecked(False)
    assert panel.printer is not None and panel.preview_text.text() == "No label yet."
    station.log_in("packer", "1111")
    station.scan(number)
    station.scan(unit_barcode(db, "NB-A5-DOT"))
    view = station.controller.view
    assert view is not None and view.expected_g is not None
    station.weigh(view.expected_g)
    assert "label printed" in station.key(Qt.Key.Key_F9)[0]
    service = quote(db, number).service_name
    qtbot.waitUntil(lambda: panel.preview_text.text().startswith("Label 1: "), timeout=WAIT_MS)
    assert panel.preview_text.text() == f"Label 1: {number} · {service} · package 1 of 1."
    labels = station.controller.last_labels()  # what the preview shows: the station's last shipment
    assert labels is not None and len(panel.printer.jobs) == 1
    [description] = labels.descriptions
    assert labels.labels[0].tracking_number.encode() in panel.printer.jobs[0]
    drawn = render_description(description)
    loaded = station.window.sim_dock.labels.pages
    assert loaded is not None and mean_difference(loaded.images[-1], drawn, tmp_path / "full") < 0.5
    small = QPixmap.fromImage(drawn).scaledToWidth(round(description.width * 8 * PREVIEW_SCALE),
                                                   Qt.TransformationMode.SmoothTransformation).toImage()
    assert mean_difference(panel.preview.pixmap().toImage(), small, tmp_path / "small") < 0.5
    shown = panel.preview.pixmap().toImage()
    rough = render_label(panel.printer.jobs[0], scale=PREVIEW_SCALE).scaled(shown.size())  # the ZPL's drawing
    assert mean_difference(shown, rough, tmp_path / "rough") > 5
