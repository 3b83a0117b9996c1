"""The station window on a 1280×800 screen, in the house style (offscreen, SQLite and
PostgreSQL): it opens within the screen and stays there whatever it says — a long lot
prompt, a refusal said twice, a 300-character unknown barcode — for a packer and for a
manager (the navigation beside the workspace), and every label shows its whole text."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QComboBox, QPushButton, QTableView, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database
from fulfilstation.db.models import OutboxMessage, SalesChannel
from tests.db.test_manifests import office, pack_at
from tests.support.app import app_for, sign_in
from tests.support.column_fit import cut_off
from tests.support.outbox import add_shop
from tests.support.station_window import WAIT_MS, Station
from tests.support.text_fit import HouseStyle, cut_labels, outside_screen, screen_area
from tests.support.warehouse import make_order, unit_barcode
from ui.integrations import IntegrationsScreen
from ui.manifests_view import ManifestsView
from ui.orders import OrdersScreen
from ui.orders.model import HEADERS
from ui.site_settings_dialog import SiteSettingsDialog
from ui.station.banner import MAX_HEIGHT
from ui.widgets.fit_text import ZERO_WIDTH_SPACE
from ui.widgets.screen_fit import FRAME_ALLOWANCE, show_fitted

TEA = "TEA-EARL-100"
LONG_CODE = "X" * 300


@pytest.fixture
def house_style() -> Iterator[HouseStyle]:
    with HouseStyle() as style:
        yield style


def fits(station: Station) -> list[str]:
    """What does not fit, once the window has laid itself out again."""
    station.qtbot.wait(50)
    window = station.window
    return outside_screen(window) + cut_labels(window)


@pytest.mark.parametrize("who", [("packer", "1111"), ("manager", "2222")])
def test_the_window_stays_on_a_1280_by_800_screen_whatever_it_says(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator, house_style: HouseStyle,
        who: tuple[str, str]) -> None:
    db = seeded_database
    number = make_order(db, [(TEA, 2)])
    station = Station(qtbot, db, printer.uri)
    window, banner = station.window, station.window.station.banner
    qtbot.wait(10)
    assert screen_area().contains(window.frameGeometry()), "the window opens within the screen"
    assert outside_screen(window) == []
    station.log_in(*who)
    assert window.navigation.isVisible()  # a packer has Receiving and Stock besides the Station
    assert not (problems := fits(station)), "\n".join(problems)
    text, tone = station.scan(LONG_CODE)  # an unknown barcode, echoed back
    assert tone == "error" and LONG_CODE in text
    shown = banner.text().replace(ZERO_WIDTH_SPACE, "")
    assert LONG_CODE not in shown and "XXXX…XXXX" in shown, "the echoed code is cut in its middle"
    assert banner.toolTip() == text, "the whole message is in the tooltip"
    assert not (problems := fits(station)), "\n".join(problems)
    station.scan(number)
    text, tone = station.scan(unit_barcode(db, TEA))
    assert tone == "warn" and "take lot" in text
    assert not (problems := fits(station)), "\n".join(problems)
    first, tone = station.scan("NOSUCHLOT")
    assert tone == "error" and station.scan("NOSUCHLOT")[0] == first
    assert banner.text() == f"{first}  ×2"
    assert not (problems := fits(station)), "\n".join(problems)
    assert window.width() <= 1280 and window.minimumSizeHint().width() <= 1280
    qtbot.waitUntil(lambda: not station.controller.busy, timeout=WAIT_MS)


def test_the_station_window_opens_maximized_on_a_1280_by_800_screen(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    """On X11 the title bar is added after the show: a window sized to the whole screen
    would lose its bottom line under it. A 1280×800 station opens maximized instead (the
    window manager fits the frame)."""
    window = Station(qtbot, seeded_database, printer.uri).window
    area = screen_area()
    window.hide()
    show_fitted(window)  # as ui/app.py shows it
    qtbot.waitUntil(window.isMaximized, timeout=WAIT_MS)
    assert area.contains(window.frameGeometry()) and outside_screen(window) == []


def test_a_badge_or_a_long_refusal_does_not_grow_the_window(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator, house_style: HouseStyle) -> None:
    """A window under a title bar on a 1280×800 screen (its client area 800 px less the
    frame) keeps its height whatever the banner says: the banner is at most ``MAX_HEIGHT``."""
    db = seeded_database
    number = make_order(db, [(TEA, 2)])
    station = Station(qtbot, db, printer.uri)
    window, area = station.window, screen_area()
    window.resize(area.size().shrunkBy(FRAME_ALLOWANCE))
    station.log_in("packer", "1111")
    station.scan(number)
    qtbot.wait(50)
    before = window.geometry()
    for code in ["BADGE-0002", "NO-SUCH-" + "LONG-WORD " * 30, "BADGE-0002", unit_barcode(db, TEA)]:
        text, _tone = station.scan(code)
        qtbot.wait(50)
        assert window.geometry() == before, f"the window grew after {text!r}"
        assert window.station.banner.height() <= MAX_HEIGHT


def no_overlap(widgets: list[QWidget]) -> list[str]:
    """Which of ``widgets`` (siblings) overlap or are lower than they need, in words."""
    problems = [f"{type(w).__name__} is {w.height()}px high, needs {w.minimumSizeHint().height()}px"
                for w in widgets if w.height() < w.minimumSizeHint().height()]
    for index, first in enumerate(widgets):
        problems += [f"{type(first).__name__} overlaps {type(second).__name__}"
                     for second in widgets[index + 1:] if first.geometry().intersects(second.geometry())]
    return problems


def test_device_settings_and_the_managers_sign_in_fit_the_screen(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator, house_style: HouseStyle) -> None:
    station = Station(qtbot, seeded_database, printer.uri)
    station.log_in("packer", "1111")
    station.window.open_device_settings()
    dialog = station.window.settings_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.wait(10)
    area = screen_area()
    assert area.contains(dialog.frameGeometry()), f"{dialog.frameGeometry()} is not within {area}"
    assert dialog.height() <= area.height() - FRAME_ALLOWANCE.top() - FRAME_ALLOWANCE.bottom(), \
        "room for the title bar a window manager adds after the show"
    assert dialog.rect().contains(dialog.save_button.geometry()), "Save is in sight"
    dialog.save_button.click()  # a packer: a manager is asked for
    prompt = dialog.prompt
    assert prompt is not None
    qtbot.waitExposed(prompt)
    form = prompt.sign_in
    qtbot.waitUntil(lambda: form.names.count() == 5, timeout=WAIT_MS)
    assert form.choose("packer")
    qtbot.keyClicks(form.pin, "1111")
    qtbot.keyClick(form.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Pat Packer is a packer" in prompt.message.text(), timeout=WAIT_MS)
    qtbot.wait(50)
    assert not (problems := no_overlap([form.badge, form.names, form.pin])), "\n".join(problems)
    assert not (problems := cut_labels(prompt)), "\n".join(problems)
    assert area.contains(prompt.frameGeometry())
    prompt.reject()
    dialog.reject()


@pytest.mark.parametrize("who", [("packer", "1111"), ("manager", "2222")])
def test_the_scale_panel_and_the_last_label_show_whole(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator, house_style: HouseStyle,
        who: tuple[str, str]) -> None:
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 1)])
    station = Station(qtbot, db, printer.uri)
    station.log_in(*who)
    station.scan(number)
    assert station.scan(unit_barcode(db, "MUG-CER-350"))[1] == "ok"
    view = station.controller.view
    assert view is not None and view.expected_g is not None
    station.weigh(view.expected_g + 1500)
    text, tone = station.key(Qt.Key.Key_Return)
    weight = station.window.station.pack.weight
    assert tone == "error" and weight.expected.text().endswith("too heavy")
    assert not (problems := fits(station)), "\n".join(problems)
    station.weigh(view.expected_g)
    text, tone = station.key(Qt.Key.Key_F9)
    assert text.startswith(f"Shipped {number}")
    thumbnail = station.window.station.idle.last_label
    qtbot.waitUntil(thumbnail.isVisible, timeout=WAIT_MS)
    assert not (problems := fits(station)), "\n".join(problems)
    assert not thumbnail.caption.geometry().intersects(thumbnail.image.geometry()), "the caption is under the label"


def test_an_opened_orders_tabs_show_rows_without_dragging(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator, house_style: HouseStyle) -> None:
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 1), ("SOAP-LAV-100", 1)])
    station = Station(qtbot, db, printer.uri)
    station.log_in("manager", "2222")
    window = station.window
    window.show_screen("orders")
    orders = window.screens["orders"]
    assert isinstance(orders, OrdersScreen)
    qtbot.waitUntil(lambda: orders.proxy.rowCount() > 0, timeout=WAIT_MS)

    def whole(combo: QComboBox) -> bool:
        """Laid out at least as wide as it asks, and it asks for its widest choice (the carriers
        arrive after the first load, so the layout may still be catching up)."""
        widest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
        return combo.sizeHint().width() > widest and combo.width() >= combo.sizeHint().width()

    # each filter shows its whole choice ("Any status", not "Any statu")
    qtbot.waitUntil(lambda: all(whole(combo) for combo in orders.filters), timeout=WAIT_MS)
    qtbot.keyClicks(orders.search, number)  # one hit: it opens
    qtbot.keyClick(orders.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: orders.detail.number == number, timeout=WAIT_MS)
    qtbot.wait(50)
    assert not (problems := outside_screen(window) + cut_labels(window)), "\n".join(problems)
    lines = orders.detail.tables["Lines"]
    shown = lines.viewport().height() // lines.verticalHeader().defaultSectionSize()
    assert shown >= 3, f"the Lines tab shows {shown} rows"


def test_the_queue_and_manifests_columns_fit_a_managers_window(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator, house_style: HouseStyle) -> None:
    """The whole window as a manager sees it (navigation, simulator panel, the station's
    type sizes) at 1280×800: every header and cell shows whole."""
    db = seeded_database
    pack_at(db, "PACK-A", "ups/ground")
    app, manager = office(db)
    app.manifests.close(manager, "ups")
    pack_at(db, "PACK-A", "ups/ground")
    pack_at(db, "PACK-B")
    station = Station(qtbot, db, printer.uri)
    station.log_in("manager", "2222")
    window = station.window
    idle = window.station.idle
    qtbot.waitUntil(lambda: idle.queue_model.rowCount() > 0, timeout=WAIT_MS)
    idle.last_label.setVisible(True)  # the thumbnail a station shows once it has shipped takes its room
    qtbot.wait(50)
    assert window.navigation.isVisible() and window.sim_dock.isVisible()

    assert not (problems := outside_screen(window) + cut_off(idle.table)), "\n".join(problems)
    window.show_screen("manifests")
    view = window.screens["manifests"]
    assert isinstance(view, ManifestsView)
    qtbot.waitUntil(lambda: view.open_table.rowCount() == 2 and view.past_table.rowCount() == 1, timeout=WAIT_MS)

    def problems() -> list[str]:
        return outside_screen(window) + cut_off(view.open_table) + cut_off(view.past_table)

    with contextlib.suppress(qtbot.TimeoutError):  # the columns are laid out after the rows arrive
        qtbot.waitUntil(lambda: not problems(), timeout=2_000)
    assert not problems(), "\n".join(problems())


def whole_buttons(parent: QWidget) -> list[str]:
    """The visible buttons of ``parent`` narrower than their label needs, in words."""
    return [f"button {button.text()!r} is {button.width()}px, needs {button.sizeHint().width()}px"
            for button in parent.findChildren(QPushButton)
            if button.isVisibleTo(parent) and button.width() < button.sizeHint().width()]


def rows_shown(table: QTableView) -> int:
    return table.viewport().height() // max(table.verticalHeader().defaultSectionSize(), 1)


def test_the_orders_screen_is_usable_on_a_1280_by_800_screen(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator, house_style: HouseStyle) -> None:
    """A manager's whole window (navigation, simulator panel): the list's columns fit without
    sideways scrolling (long names cut, whole in the tooltip), every button shows its label,
    and with an order open below it the list still shows several rows."""
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 1), ("SOAP-LAV-100", 1)], hold="Customer asked us to wait for "
                        "the second parcel of the same address before anything ships")
    station = Station(qtbot, db, printer.uri)
    station.log_in("manager", "2222")
    window = station.window
    window.show_screen("orders")
    orders = window.screens["orders"]
    assert isinstance(orders, OrdersScreen)
    qtbot.waitUntil(lambda: orders.proxy.rowCount() == 51, timeout=WAIT_MS)
    qtbot.wait(50)
    assert window.sim_dock.isVisible()
    table = orders.table
    assert not table.horizontalScrollBar().isVisible(), "no sideways scrolling"
    assert not (problems := outside_screen(window) + cut_off(table) + whole_buttons(orders)), "\n".join(problems)
    assert table.isColumnHidden(HEADERS.index("Tracking"))  # no order of the list has one
    assert not table.isColumnHidden(HEADERS.index("Hold"))  # ours is held
    assert rows_shown(table) >= 10, f"the list shows {rows_shown(table)} rows"
    orders.search.setText(number)
    orders.search_now()
    qtbot.waitUntil(lambda: orders.detail.number == number, timeout=WAIT_MS)
    orders.search.setText("")
    orders.refresh()
    qtbot.waitUntil(lambda: orders.proxy.rowCount() == 51, timeout=WAIT_MS)
    qtbot.wait(50)
    assert not (problems := outside_screen(window) + cut_labels(window) + cut_off(table)
                + whole_buttons(orders)), "\n".join(problems)
    assert rows_shown(table) >= 5, f"with an order open the list shows {rows_shown(table)} rows"
    tabs = orders.detail.tabs.tabBar()
    assert all(tabs.tabRect(i).right() <= tabs.width() for i in range(tabs.count())), "every tab in sight"


def test_the_integrations_screen_is_usable_on_a_1280_by_800_screen(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator, house_style: HouseStyle) -> None:
    """A sync's error (a page of text) scrolls within a few lines, and so does a failing
    channel's red flag line (its last sync error 5,000 characters); the tables keep their rows
    and their columns fit; the selected problem's whole error is shown under the table."""
    db = seeded_database
    app = app_for(db)
    add_shop(app, "a-long-shop-channel-name")
    app.integrations.deactivate_channel(sign_in(app, "owner"), "a-long-shop-channel-name")  # no round reaches out
    add_shop(app, "failing-shop")  # active: its failed sync is flagged at the top (the schedule is stopped below)
    sync_error = "HTTP 500 from the shop: " + ("upstream said no " * 400)[:4976]
    assert len(sync_error) == 5000
    with db.unit_of_work() as session:
        failing = session.scalars(select(SalesChannel).where(SalesChannel.name == "failing-shop")).one()
        failing.last_error, failing.last_error_at = sync_error, utcnow()
    error = "HTTP 422 Unprocessable Entity: " + "the fulfilment order is closed and cannot take a fulfilment; " * 6
    with db.unit_of_work() as session:
        for index in range(8):
            session.add(OutboxMessage(topic="shipment.created", dedup_key=f"fit-{index}", payload={"order": "X"},
                                      status="failed", attempts=8, last_error=error,
                                      channel="a-long-shop-channel-name"))
    station = Station(qtbot, db, printer.uri)
    station.log_in("manager", "2222")
    window = station.window
    window.show_screen("integrations")
    screen = window.screens["integrations"]
    assert isinstance(screen, IntegrationsScreen)
    screen.schedule.stop()  # no round: the failing channel keeps its error
    qtbot.waitUntil(lambda: screen.problems.rowCount() == 9 and screen.channels.rowCount() == 2, timeout=WAIT_MS)
    screen.schedule.failed.emit("acme: " + error * 3)  # a round's error, as long as they come
    pushes = [screen.problems.row(i).message_id for i in range(screen.problems.rowCount())]
    screen._select(next(message_id for message_id in pushes if message_id is not None))  # a failed push
    qtbot.wait(50)
    line = screen.last_round.fontMetrics().lineSpacing()
    assert screen.round_area.height() <= 3 * line + 10 and screen.round_area.verticalScrollBar().maximum() > 0
    assert screen.round_area.toolTip() == "" and screen.last_round.toolTip().startswith("The last sync failed: acme")
    assert error.strip() in screen.problem_detail.text()
    assert screen.problem_detail.height() <= 3 * screen.problem_detail.label.fontMetrics().lineSpacing() + 10
    for table in (screen.channel_table, screen.problem_table):
        assert not table.horizontalScrollBar().isVisible()
    flags = screen.late_flag
    assert flags.isVisible() and flags.height() <= 3 * line + 10, f"the flag is {flags.height()}px: over 3 lines"
    assert rows_shown(screen.problem_table) >= 3, f"the problems show {rows_shown(screen.problem_table)} rows"
    assert rows_shown(screen.channel_table) >= 3, f"the channels show {rows_shown(screen.channel_table)} rows"
    assert flags.verticalScrollBar().maximum() > 0, "the rest of the error scrolls"
    assert flags.label.toolTip() == f"failing-shop: the last sync failed: {sync_error}", "whole in the tooltip"
    problems = (outside_screen(window) + cut_off(screen.channel_table) + cut_off(screen.problem_table)
                + whole_buttons(screen))
    assert not problems, "\n".join(problems)


def test_site_settings_fit_a_1280_by_800_screen(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator, house_style: HouseStyle) -> None:
    """Station → Site settings… in the house style: a short checkbox, its explanation wrapped
    below, the dialog no wider than it should be and Save and Close in sight; a manager's
    refusal shows whole in it."""
    station = Station(qtbot, seeded_database, printer.uri)
    station.log_in("manager", "2222")
    window = station.window
    window.open_site_settings()
    dialog = window.findChild(SiteSettingsDialog)
    assert isinstance(dialog, SiteSettingsDialog)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=WAIT_MS)
    qtbot.wait(10)
    area = screen_area()
    assert dialog.sizeHint().width() <= 700, f"the dialog asks for {dialog.sizeHint().width()}px"
    assert dialog.width() <= 700 and area.contains(dialog.frameGeometry()), f"{dialog.frameGeometry()} in {area}"

    def buttons_outside() -> list[str]:
        return [f"{button.text()!r} at {button.mapTo(dialog, button.rect().topLeft())}"
                for button in dialog.findChildren(QPushButton) if button.isVisibleTo(dialog)
                and not dialog.rect().contains(QRect(button.mapTo(dialog, button.rect().topLeft()), button.size()))]

    assert [b.text() for b in dialog.findChildren(QPushButton) if b.isVisibleTo(dialog)] == ["Save", "Close"]
    assert not (problems := buttons_outside() + cut_labels(dialog)), "\n".join(problems)
    assert dialog.partial.sizeHint().width() < dialog.width(), "the checkbox's words fit on one line"
    assert "waits whole" in dialog.explanation.text()
    dialog.partial.setChecked(True)
    dialog.save_button.click()  # a manager: refused in words
    qtbot.waitUntil(lambda: "only an owner" in dialog.message.text(), timeout=WAIT_MS)
    qtbot.wait(10)
    assert dialog.width() <= 700 and area.contains(dialog.frameGeometry())
    assert not (problems := buttons_outside() + cut_labels(dialog)), "\n".join(problems)
    dialog.reject()
