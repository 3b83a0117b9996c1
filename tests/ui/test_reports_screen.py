"""The Reports screen (pytest-qt, offscreen, both engines): ``SectionView`` draws any report
section from constructed values — its tables sortable by the values themselves (numbers,
money, dates; empty cells last), a note under each, the charts as QtCharts series over the
report's categories — and writes CSV through ``app.reports.write_csv`` exactly as shown; in the
workspace a packer never sees the screen and a manager does; the dashboard's exceptions open
the screen behind them with its filter, its SLA alerts show in red, a burst of changes is one
load; the Reports tab asks for the last 7 site days by default, runs the query off the GUI
thread under a busy bar and says a backwards period in words.

The report queries themselves are others' work: the sections here are constructed values
returned by the test's own mapping (``Section``), the screen's real one is filled at the merge.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import platformdirs
import pytest
from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QChart, QLineSeries
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import QTableView, QWidget
from pytestqt.qtbot import QtBot

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.reports import Dashboard, Period, ReportChart, ReportTable
from fulfilstation.services.reports.dashboard import BACKLOG, FLOW
from tests.support.app import app_for, sign_in
from tests.support.column_fit import cut_off
from tests.support.station_window import WAIT_MS, Station
from tests.support.text_fit import HouseStyle, cut_labels, outside_screen
from tests.support.warehouse import make_order
from tests.ui.test_window_fits_screen import whole_buttons
from tests.ui.test_workspace_navigation import shown_screens
from ui.orders.screen import OrdersScreen
from ui.reports import ReportsScreen
from ui.reports.chart_places import places
from ui.reports.screen import REPORTS_TAB
from ui.reports.section_view import ROWS_SHOWN, SectionView, file_name
from ui.reports.sections import SECTIONS, Section
from ui.returns import ReturnsScreen
from ui.shipments.screen import PENDING, ShipmentsScreen
from ui.widgets.write_error import write_error_text

PACKERS = ReportTable(
    "Packers", ("Packer", "Orders", "Items per hour", "Label cost", "First day"),
    (("Pat", 12, 30.26, Decimal("4.50"), dt.date(2026, 3, 1)),
     ("Sam", 3, 110.0, Decimal("12.00"), None),
     ("Ann", 40, 7.5, Decimal("0.99"), dt.date(2026, 2, 28))),
    note="Items per hour are weighted by each order's items and distinct SKUs.")
EMPTY = ReportTable("Mistakes", ("Product", "Per 100 items"), ())
BARS = ReportChart("Orders per packer", "bar", ("Pat", "Sam", "Ann"),
                   (("Orders", (12.0, 3.0, 40.0)), ("Items", (20.0, None, 60.0))), unit="orders")
LINE = ReportChart("Shipped per day", "line", ("03-01", "03-02", "03-03", "03-04"),
                   (("Shipped", (5.0, None, 7.0, 2.0)),), unit="orders")


@dataclass(frozen=True)
class Constructed:
    """A report section as a report hands it over (the ``ReportSection`` protocol)."""

    title: str
    shown_tables: tuple[ReportTable, ...] = ()
    shown_charts: tuple[ReportChart, ...] = ()

    def tables(self) -> list[ReportTable]:
        return list(self.shown_tables)

    def charts(self) -> list[ReportChart]:
        return list(self.shown_charts)


@pytest.fixture
def house_style() -> Iterator[HouseStyle]:
    with HouseStyle() as style:
        yield style


@dataclass(frozen=True)
class Flagged:
    """A dashboard exception as the dashboard hands it over (``DashboardException``)."""

    key: str
    label: str
    count: int
    screen: str
    filter: str | None


@dataclass(frozen=True)
class Board(Constructed):
    exceptions: tuple[Flagged, ...] = ()
    alerts: tuple[str, ...] = ()


@dataclass
class Asked:
    """What a test query was asked, and on which thread."""

    periods: list[Period] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    gate: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.gate.set()


def texts(table: QTableView) -> list[list[str]]:
    model = table.model()
    return [[str(model.index(row, column).data()) for column in range(model.columnCount())]
            for row in range(model.rowCount())]


def sort_by(table: QTableView, heading: str, order: Qt.SortOrder) -> list[str]:
    """Sort as a header click does; the first column's texts in the new order."""
    model = table.model()
    column = next(c for c in range(model.columnCount())
                  if model.headerData(c, Qt.Orientation.Horizontal) == heading)
    table.sortByColumn(column, order)
    return [row[0] for row in texts(table)]


def categories(chart: QChart) -> list[str]:
    axis = chart.axes(Qt.Orientation.Horizontal)[0]
    assert isinstance(axis, QBarCategoryAxis)
    return list(axis.categories())


def test_a_section_view_draws_tables_sorted_by_value_with_notes_and_its_charts(
        qtbot: QtBot, database: Database, tmp_path: Path) -> None:
    view = SectionView(app_for(database).reports.write_csv, choose_save=lambda name: str(tmp_path / name))
    qtbot.addWidget(view)
    view.display(Constructed("Packers, 1–7 March", (PACKERS, EMPTY), (BARS, LINE)))
    view.show()
    assert view.title.text() == "Packers, 1–7 March"

    packers, mistakes = view.tables
    assert texts(packers) == [["Pat", "12", "30.3", "4.50", "2026-03-01"], ["Sam", "3", "110.0", "12.00", ""],
                              ["Ann", "40", "7.5", "0.99", "2026-02-28"]]  # the report's order until a click
    assert sort_by(packers, "Items per hour", Qt.SortOrder.AscendingOrder) == ["Ann", "Pat", "Sam"]  # not "110" < "7.5"
    assert sort_by(packers, "Label cost", Qt.SortOrder.DescendingOrder) == ["Sam", "Pat", "Ann"]  # 12.00 > 4.50
    assert sort_by(packers, "First day", Qt.SortOrder.AscendingOrder) == ["Ann", "Pat", "Sam"]  # no day: last
    assert sort_by(packers, "Orders", Qt.SortOrder.DescendingOrder) == ["Ann", "Pat", "Sam"]
    assert mistakes.model().rowCount() == 0
    assert [note.text() for note in view.notes] == [PACKERS.note, "No rows in this period."]
    assert all(note.isVisibleTo(view) for note in view.notes)

    panels = {panel.title.text(): panel for panel in view.chart_views}
    bar_chart, line_chart = panels["Orders per packer"].chart(), panels["Shipped per day"].chart()
    assert bar_chart is not None and line_chart is not None
    assert categories(bar_chart) == ["Pat", "Sam", "Ann"]
    (bars,) = bar_chart.series()
    assert isinstance(bars, QBarSeries)
    assert [(s.label(), [s.at(i) for i in range(s.count())]) for s in bars.barSets()] == [
        ("Orders", [12.0, 3.0, 40.0]), ("Items", [20.0, 0.0, 60.0])]  # no data: no bar
    assert bar_chart.axes(Qt.Orientation.Vertical)[0].titleText() == "orders"
    (line,) = line_chart.series()
    assert isinstance(line, QLineSeries) and line.name() == "Shipped"
    assert categories(line_chart) == ["03-01", "03-02", "03-03", "03-04"]
    assert [(p.x(), p.y()) for p in line.points()] == [(0.0, 5.0), (2.0, 7.0), (3.0, 2.0)]  # no point for no data

    view.display(None)  # nothing: the empty text, nothing to export
    assert view.tables == [] and view.chart_views == [] and not view.export_all.isEnabled()
    assert view.title.text() == "Nothing to show yet."


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as file:
        return list(csv.reader(file))


def test_export_csv_writes_what_the_table_shows(qtbot: QtBot, database: Database, tmp_path: Path) -> None:
    asked: list[str] = []

    def choose(name: str) -> str:
        asked.append(name)
        return str(tmp_path / name)

    view = SectionView(app_for(database).reports.write_csv, choose_save=choose)
    qtbot.addWidget(view)
    view.display(Constructed("Costs", (PACKERS, EMPTY)))
    with qtbot.waitSignal(view.exported, timeout=WAIT_MS) as written:
        qtbot.mouseClick(view.export_buttons[0], Qt.MouseButton.LeftButton)
    assert asked == ["costs-packers.csv"] and written.args == [tmp_path / "costs-packers.csv"]
    assert read_csv(tmp_path / "costs-packers.csv") == [list(PACKERS.columns), *texts(view.tables[0])]
    assert "costs-packers.csv" in view.status.text()

    with qtbot.waitSignal(view.exported, timeout=WAIT_MS):
        qtbot.mouseClick(view.export_all, Qt.MouseButton.LeftButton)  # every table, one file
    assert asked[-1] == "costs.csv"
    assert read_csv(tmp_path / "costs.csv") == [["Packers"], list(PACKERS.columns), *texts(view.tables[0]), [],
                                                ["Mistakes"], list(EMPTY.columns)]


def board_query(asked: Asked, board: Board):  # type: ignore[no-untyped-def]
    def query(app: AppServices, actor: Actor) -> Board:
        asked.threads.append(threading.current_thread())
        asked.actors.append(actor.username)
        return board

    return query


BOARD = Board("Today", (ReportTable("Orders today", ("Received", "Shipped"), ((14, 9),)),), (BARS,),
              exceptions=(Flagged("holds", "Orders on hold", 2, "orders", "hold"),
                          Flagged("label-pending", "Label pending", 1, "shipments", "label-pending"),
                          Flagged("returns", "Returns unprocessed after 48 h", 0, "returns", "unprocessed"),
                          Flagged("users", "Nobody's business", 0, "users", None)),
              alerts=("Received → ready runs late: median 45 min against 30 min",))


def test_a_manager_sees_reports_a_packer_does_not_and_an_exception_opens_its_list(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    held = make_order(seeded_database, [("MUG-CER-350", 1)], hold="Customer asked us to wait")
    make_order(seeded_database, [("MUG-CER-350", 1)])  # not held: not in the list behind "on hold"
    station = Station(qtbot, seeded_database, printer.uri)
    window = station.window
    screen = window.screens["reports"]
    assert isinstance(screen, ReportsScreen)
    asked = Asked()
    screen.dashboard.query = board_query(asked, BOARD)

    assert station.log_in("packer", "1111")[1] == "ok"
    assert "reports" not in shown_screens(window)
    window.show_screen("reports")
    assert window.stack.currentWidget() is window.station and asked.threads == []
    assert station.scan("FS:LOGOUT")[1] == "info"

    assert station.log_in("manager", "2222")[1] == "ok"
    assert "reports" in shown_screens(window)
    window.show_screen("reports")
    assert window.stack.currentWidget() is screen
    dashboard = screen.dashboard
    qtbot.waitUntil(lambda: dashboard.dashboard is BOARD and not dashboard.loading, timeout=WAIT_MS)
    assert asked.threads and all(thread is not threading.main_thread() for thread in asked.threads)
    assert set(asked.actors) == {"manager"}
    assert dashboard.alerts.isVisible() and "Received → ready runs late" in dashboard.alerts.text()
    items = [dashboard.exceptions.item(row) for row in range(dashboard.exceptions.count())]
    assert [item.text() for item in items] == ["Orders on hold: 2", "Label pending: 1",
                                               "Returns unprocessed after 48 h: 0", "Nobody's business: 0"]
    assert dashboard.view.title.text() == "Today" and texts(dashboard.view.tables[0]) == [["14", "9"]]
    assert len(dashboard.view.chart_views) == 1

    orders = window.screens["orders"]
    assert isinstance(orders, OrdersScreen)
    qtbot.mouseClick(dashboard.exceptions.viewport(), Qt.MouseButton.LeftButton,
                     pos=dashboard.exceptions.visualItemRect(items[0]).center())
    assert window.stack.currentWidget() is orders
    assert orders.hold_filter.currentData() is True and orders.status_filter.currentData() is None
    qtbot.waitUntil(lambda: orders.model.rowCount() > 0, timeout=WAIT_MS)
    listed = [orders.model.row(row) for row in range(orders.model.rowCount())]
    assert held in {order.number for order in listed} and all(order.hold for order in listed)

    window.show_screen("reports")
    qtbot.waitUntil(lambda: dashboard.exceptions.count() == 4 and not dashboard.loading, timeout=WAIT_MS)
    dashboard.exceptions.setFocus()
    dashboard.exceptions.setCurrentRow(1)
    qtbot.keyClick(dashboard.exceptions, Qt.Key.Key_Return)  # Enter opens it too
    shipments = window.screens["shipments"]
    assert isinstance(shipments, ShipmentsScreen)
    assert window.stack.currentWidget() is shipments and shipments.tabs.currentIndex() == PENDING

    window.show_screen("reports")
    qtbot.waitUntil(lambda: dashboard.exceptions.count() == 4 and not dashboard.loading, timeout=WAIT_MS)
    dashboard.open_item(dashboard.exceptions.item(2))
    returns = window.screens["returns"]
    assert isinstance(returns, ReturnsScreen)
    assert window.stack.currentWidget() is returns and returns.overdue_only.isChecked()

    window.show_screen("reports")
    qtbot.waitUntil(lambda: dashboard.exceptions.count() == 4 and not dashboard.loading, timeout=WAIT_MS)
    dashboard.open_item(dashboard.exceptions.item(3))  # the owner's Users screen: not the manager's
    assert window.stack.currentWidget() is screen and "cannot be opened" in dashboard.status.text()


def test_the_dashboard_loads_once_for_a_burst_of_changes(qtbot: QtBot, seeded_database: Database) -> None:
    app = app_for(seeded_database)
    asked = Asked()
    screen = ReportsScreen(app, sections={}, dashboard=board_query(asked, Board("Today")))
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, "manager"))
    screen.show()
    screen.shown()
    qtbot.waitUntil(lambda: len(asked.threads) == 1 and not screen.dashboard.loading, timeout=WAIT_MS)
    for _change in range(5):  # five changes within the gap
        screen.refresh()
    qtbot.waitUntil(lambda: len(asked.threads) == 2 and not screen.dashboard.loading, timeout=WAIT_MS)
    qtbot.wait(2500)  # longer than the gap: nothing else was asked for
    assert len(asked.threads) == 2 and screen.dashboard.loads == 2
    assert not screen.dashboard.alerts.isVisible()  # no step runs late: no red line

    screen.hide()  # hidden: the minute's timer rests
    assert not screen.dashboard.timer.isActive()


def section_query(asked: Asked, section: Constructed):  # type: ignore[no-untyped-def]
    def query(app: AppServices, actor: Actor, period: Period) -> Constructed:
        asked.threads.append(threading.current_thread())
        asked.periods.append(period)
        assert asked.gate.wait(WAIT_MS / 1000)
        return section

    return query


def test_the_reports_tab_asks_for_the_last_seven_site_days_off_the_gui_thread(
        qtbot: QtBot, seeded_database: Database) -> None:
    app = app_for(seeded_database)
    asked = Asked()
    asked.gate.clear()  # the query waits until the busy bar has been seen
    packers = Constructed("Packers", (PACKERS,), (BARS,))
    screen = ReportsScreen(app, sections={"packers": Section("Packers", section_query(asked, packers)),
                                          "empty": Section("Nothing", section_query(asked, Constructed("Nothing")))},
                           dashboard=None)
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, "manager"))
    screen.show()
    tab = screen.reports
    screen.tabs.setCurrentIndex(REPORTS_TAB)
    qtbot.waitUntil(lambda: len(asked.periods) == 1, timeout=WAIT_MS)
    assert tab.busy.isVisible() and tab.loading  # the window is not waiting for it
    asked.gate.set()
    qtbot.waitUntil(lambda: not tab.loading, timeout=WAIT_MS)
    assert not tab.busy.isVisible()
    today = app.reports.today()
    (period,) = asked.periods
    assert (period.first, period.last) == (today - dt.timedelta(days=6), today)
    assert period.zone.key == app.reports.settings().time_zone
    assert tab.period_shown() == (today - dt.timedelta(days=6), today)
    assert asked.threads[0] is not threading.main_thread()
    assert tab.view.title.text() == "Packers" and len(tab.view.tables) == 1 and len(tab.view.chart_views) == 1
    assert [tab.chooser.itemText(i) for i in range(tab.chooser.count())] == ["Packers", "Nothing"]

    tab.chooser.setCurrentIndex(1)  # another section: asked at once
    qtbot.waitUntil(lambda: len(asked.periods) == 2 and not tab.loading, timeout=WAIT_MS)
    assert tab.view.title.text() == "Nothing" and tab.view.tables == []

    tab.set_period(dt.date(2026, 3, 9), dt.date(2026, 3, 2))  # backwards
    qtbot.mouseClick(tab.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.loading and tab.status.text() != "", timeout=WAIT_MS)
    assert tab.status.text() == ("The period ends (2026-03-02) before it starts (2026-03-09): give a first day on "
                                 "or before the last.")
    assert len(asked.periods) == 2  # the query was never asked


def laid_out(qtbot: QtBot, problems: Callable[[], list[str]]) -> list[str]:
    """What does not fit once Qt has laid the screen out: a loaded machine may take longer
    than a few event-loop turns to handle the layout requests a new report posts, so wait
    (up to ``WAIT_MS``) for the problems to go, and return what is left."""
    found: list[str] = []

    def settled() -> bool:
        found[:] = problems()
        return not found

    with contextlib.suppress(qtbot.TimeoutError):
        qtbot.waitUntil(settled, timeout=WAIT_MS)
    return found


def test_a_manager_sees_the_real_dashboard_and_reports_within_the_screen(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator, house_style: HouseStyle) -> None:
    """The screen as shipped (its own queries, the demo warehouse): the dashboard's exceptions
    and tables come from ``ReportsService.dashboard``, each report of the chooser loads its
    tables, and the window stays within a 1280×800 screen with every label whole."""
    station = Station(qtbot, seeded_database, printer.uri)
    window = station.window
    screen = window.screens["reports"]
    assert isinstance(screen, ReportsScreen)
    station.log_in("manager", "2222")
    window.show_screen("reports")
    qtbot.waitUntil(lambda: screen.dashboard.dashboard is not None and not screen.dashboard.loading, timeout=WAIT_MS)
    board = screen.dashboard.dashboard
    assert board is not None and screen.dashboard.view.title.text() == board.title
    assert len(screen.dashboard.view.tables) == len(board.tables()) > 0
    labels = [screen.dashboard.exceptions.item(n).text() for n in range(screen.dashboard.exceptions.count())]
    assert any("hold" in label.lower() for label in labels), labels
    problems = laid_out(qtbot, lambda: outside_screen(window) + cut_labels(window) + whole_buttons(screen))
    assert not problems, "\n".join(problems)
    screen.tabs.setCurrentIndex(REPORTS_TAB)
    keys = [screen.reports.chooser.itemData(n) for n in range(screen.reports.chooser.count())]
    assert keys == list(SECTIONS)
    for n, key in enumerate(keys):
        screen.reports.chooser.setCurrentIndex(n)
        qtbot.waitUntil(lambda key=key: not screen.reports.loading and screen.reports.view.section is not None
                        and screen.reports.chosen() == key, timeout=WAIT_MS)
        assert screen.reports.view.tables, key
        qtbot.wait(50)
        for view in screen.reports.view.tables:  # each table's first rows whole (the viewport is above any bar)
            shown = min(view.model().rowCount(), ROWS_SHOWN)
            high = sum(view.rowHeight(row) for row in range(shown))
            assert high <= view.viewport().height(), (key, view.accessibleName(), high, view.viewport().height())
        problems = laid_out(qtbot, lambda: outside_screen(window) + cut_labels(window) + whole_buttons(screen))
        assert not problems, f"{key}: " + "\n".join(problems)


def test_the_reports_screen_fits_a_1280_by_800_screen(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator, house_style: HouseStyle) -> None:
    """A manager's whole window in the house style: the dashboard with an alert, its exceptions
    and a table and chart, then a report with a wide table — within the screen, every label and
    button whole, the report's columns without sideways scrolling."""
    station = Station(qtbot, seeded_database, printer.uri)
    window = station.window
    screen = window.screens["reports"]
    assert isinstance(screen, ReportsScreen)
    asked = Asked()
    screen.dashboard.query = board_query(asked, BOARD)
    screen.reports.set_sections({"packers": Section("Packers", section_query(asked, Constructed(
        "Packers", (PACKERS, EMPTY), (BARS, LINE))))})
    station.log_in("manager", "2222")
    window.show_screen("reports")
    qtbot.waitUntil(lambda: screen.dashboard.dashboard is BOARD and not screen.dashboard.loading, timeout=WAIT_MS)
    problems = laid_out(qtbot, lambda: outside_screen(window) + cut_labels(window) + whole_buttons(screen))
    assert not problems, "\n".join(problems)
    screen.tabs.setCurrentIndex(REPORTS_TAB)
    qtbot.waitUntil(lambda: len(screen.reports.view.tables) == 2 and not screen.reports.loading, timeout=WAIT_MS)
    qtbot.wait(50)
    problems = (outside_screen(window) + cut_labels(window) + whole_buttons(screen)
                + cut_off(screen.reports.view.tables[0]))
    assert not problems, "\n".join(problems)


LONG_LABEL = "Integration problems (failed pushes, sync trouble, tracking that never reached the shop)"


def test_the_exceptions_list_wraps_a_long_label_instead_of_cutting_it(qtbot: QtBot, seeded_database: Database) -> None:
    app = app_for(seeded_database)
    board = Board("Today", exceptions=(Flagged("holds", "Orders on hold", 2, "orders", "hold"),
                                       Flagged("integrations", LONG_LABEL, 3, "integrations", None)))
    screen = ReportsScreen(app, sections={}, dashboard=board_query(Asked(), board))
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, "manager"))
    screen.resize(900, 700)
    screen.show()
    screen.shown()
    listed = screen.dashboard.exceptions
    qtbot.waitUntil(lambda: listed.count() == 2 and not screen.dashboard.loading, timeout=WAIT_MS)
    qtbot.wait(50)
    short, long = listed.item(0), listed.item(1)
    assert long.text() == f"{LONG_LABEL}: 3"  # the whole label and count
    assert listed.textElideMode() == Qt.TextElideMode.ElideNone and listed.wordWrap()
    assert not listed.horizontalScrollBar().isVisible()  # nothing hides to the right
    width = listed.viewport().width()
    assert listed.fontMetrics().horizontalAdvance(long.text()) > width  # it cannot fit on one line here
    rect = listed.visualItemRect(long)
    assert rect.width() <= width and rect.height() >= 2 * listed.visualItemRect(short).height() - 2  # it wraps
    font = long.font()
    needed = QFontMetrics(font).boundingRect(QRect(0, 0, rect.width() - 6, 10_000),
                                             int(Qt.TextFlag.TextWordWrap), long.text()).height()
    assert rect.height() >= needed  # every line of it shown


NARROW = ReportTable("Return reasons", ("Reason", "Units"), (("Damaged", 4), ("Too small", 2)))
REASONS = ReportChart("Return reasons", "bar", ("Damaged", "Too small"), (("Units", (4.0, 2.0)),), unit="units")


def test_each_chart_sits_with_the_table_it_illustrates_and_the_others_come_first(
        qtbot: QtBot, database: Database, tmp_path: Path) -> None:
    view = SectionView(app_for(database).reports.write_csv, choose_save=lambda name: str(tmp_path / name))
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.display(Constructed("Packers", (NARROW, PACKERS), (BARS, LINE, REASONS)))
    view.show()
    qtbot.wait(50)
    shown = [panel.title.text() for panel in view.chart_views]
    assert shown == ["Shipped per day", "Return reasons", "Orders per packer"]  # the one of no table first
    line, reasons, bars = view.chart_views
    narrow, packers = view.tables

    def top(widget: QWidget) -> int:
        return widget.mapTo(view.body, QPoint(0, 0)).y()

    def left(widget: QWidget) -> int:
        return widget.mapTo(view.body, QPoint(0, 0)).x()

    assert top(line) < top(narrow)  # charts first
    assert left(reasons) >= left(narrow) + narrow.width()  # a narrow table: its chart beside it
    assert abs(top(reasons) - top(narrow)) < narrow.height()
    assert top(bars) >= top(packers) + packers.height()  # a wide table: its chart right under it
    assert [pair.is_beside() for pair in view.pairs] == [True, False]

    view.resize(600, 700)  # too narrow for two side by side: the chart goes under its table
    qtbot.waitUntil(lambda: not view.pairs[0].is_beside(), timeout=WAIT_MS)
    qtbot.wait(50)
    assert top(reasons) >= top(narrow) + narrow.height() and top(reasons) < top(packers)


def test_the_real_reports_charts_each_find_their_table() -> None:
    board = Dashboard(dt.date(2026, 3, 2), dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC),
                      dict.fromkeys(FLOW, 1), dict.fromkeys(BACKLOG, 1), (), (), ())
    found = places(board.tables(), board.charts())
    titles = [table.title for table in board.tables()]
    assert found.first == ()
    assert [(titles[n], [c.title for c in charts]) for n, charts in enumerate(found.beside) if charts] == [
        ("Today's flow", ["Today's flow"]), ("Backlog by ship-by", ["Backlog by ship-by"])]
    costs = (ReportTable("Costs by carrier", ("Carrier",), ()), ReportTable("Costs by service", ("Service",), ()))
    mistakes = (ReportTable("Packers", ("Packer",), ()), ReportTable("Mistakes caught, by packer", ("Packer",), ()),
                ReportTable("Mistakes caught, by product", ("SKU",), ()))
    chart = ReportChart("Cost per order by carrier", "bar", (), ())
    assert places(costs, [chart]).beside == ((chart,), ())
    index = ReportChart("Productivity index per packer (100 = average)", "bar", (), ())
    per_product = ReportChart("Mistakes caught per 100 units, by product", "bar", (), ())
    assert places(mistakes, [index, per_product]).beside == ((index,), (), (per_product,))
    accuracy = (ReportTable("Inventory accuracy", ("Counts",), ()),
                ReportTable("Inventory accuracy by day", ("Day",), ()))
    by_day = ReportChart("Inventory accuracy by day", "bar", (), ())
    assert places(accuracy, [by_day]).beside == ((), (by_day,))


def test_an_empty_chart_is_one_plain_line_and_a_long_legend_wraps_whole(
        qtbot: QtBot, database: Database, tmp_path: Path) -> None:
    nothing = ReportChart("Return reasons", "bar", (), (("Units", ()),), unit="units")
    unknown = ReportChart("Shipped per day", "line", ("03-01", "03-02"), (("Shipped", (None, None)),), unit="orders")
    zeros = ReportChart("Orders per packer", "bar", ("Pat",), (("Orders", (0.0,)),), unit="orders")
    long_name = "Labour at the site's rate, rounded half up per order, pack sessions only"
    legend = ReportChart("Cost per order", "bar", ("UPS", "USPS"),
                         (("Label", (4.0, 3.0)), (long_name, (1.0, 2.0))), unit="USD")
    view = SectionView(app_for(database).reports.write_csv, choose_save=lambda name: str(tmp_path / name))
    qtbot.addWidget(view)
    view.resize(420, 700)
    view.display(Constructed("Charts", (), (nothing, unknown, zeros, legend)))
    view.show()
    qtbot.wait(50)
    empty_ones = view.chart_views[:2]
    for panel in empty_ones:  # no categories, or no known value: the same plain line, no axes
        assert panel.chart() is None and panel.view is None
        assert panel.placeholder.isVisible() and panel.placeholder.text() == "No data in this period."
    assert view.chart_views[2].chart() is not None  # 0 is a figure: drawn
    assert not view.chart_views[2].legend.isVisible()  # one series: no legend
    panel = view.chart_views[3]
    chart = panel.chart()
    assert chart is not None and not chart.legend().isVisible()  # QtCharts' own legend would cut it
    assert panel.legend.isVisible() and panel.legend_names() == ["Label", long_name]
    document = QTextDocument()
    document.setHtml(panel.legend.text())
    assert long_name in document.toPlainText().replace("\u00a0", " ")
    assert panel.legend.wordWrap() and panel.legend.width() <= panel.width()
    assert not cut_labels(view), cut_labels(view)


def test_a_file_that_cannot_be_written_is_said_in_plain_words(
        qtbot: QtBot, database: Database, tmp_path: Path) -> None:
    nowhere = tmp_path / "gone" / "packers.csv"
    view = SectionView(app_for(database).reports.write_csv, choose_save=lambda name: str(nowhere))
    qtbot.addWidget(view)
    view.display(Constructed("Packers", (PACKERS,)))
    view.export_tables([PACKERS])
    qtbot.waitUntil(lambda: "Could not" in view.status.text(), timeout=WAIT_MS)
    assert view.status.text() == (f"Could not write {nowhere}: the folder {nowhere.parent} does not exist. "
                                  "Choose another place.")
    taken = tmp_path / "taken.csv"
    taken.mkdir()  # a folder of that name: the file cannot replace it
    view.choose_save = lambda name: str(taken)
    view.export_tables([PACKERS])
    qtbot.waitUntil(lambda: "taken.csv" in view.status.text() and "Could not" in view.status.text(), timeout=WAIT_MS)
    assert view.status.text() == f"Could not write {taken}: a folder has that name. Choose another place."
    assert list(tmp_path.glob("*.part")) == []  # a failed write leaves nothing behind
    denied = write_error_text(tmp_path / "packers.csv", PermissionError(errno.EACCES, "Permission denied"))
    assert denied == (f"Could not write {tmp_path / 'packers.csv'}: this folder may not be written to (it is "
                      "read-only), or the file is open in another program. Choose another place.")
    full = write_error_text(tmp_path / "packers.csv", OSError(errno.ENOSPC, "No space left on device"))
    assert "the disk is full" in full
    assert all("Errno" not in text and "Error" not in text for text in (view.status.text(), denied, full))


def test_the_save_dialog_opens_in_documents_then_where_the_last_file_went_with_the_period_in_the_name(
        qtbot: QtBot, database: Database, tmp_path: Path) -> None:
    asked: list[str] = []
    folder = tmp_path / "exports"
    folder.mkdir()

    def choose(name: str) -> str:
        asked.append(name)
        return str(folder / name)

    view = SectionView(app_for(database).reports.write_csv, choose_save=choose)
    qtbot.addWidget(view)
    documents = Path(platformdirs.user_documents_dir())
    first = documents if documents.is_dir() else Path.home()
    assert view.suggested_path("costs.csv") == str(first / "costs.csv")  # not the program's folder
    view.display(Constructed("Packers", (PACKERS, EMPTY)), period="2026-03-01 to 2026-03-07")
    with qtbot.waitSignal(view.exported, timeout=WAIT_MS):
        view.export_tables(view.table_values)
    with qtbot.waitSignal(view.exported, timeout=WAIT_MS):
        view.export_tables([EMPTY])
    assert asked == ["packers-2026-03-01-to-2026-03-07.csv", "packers-mistakes-2026-03-01-to-2026-03-07.csv"]
    assert view.suggested_path("costs.csv") == str(folder.resolve() / "costs.csv")  # the last folder used
    again = SectionView(app_for(database).reports.write_csv)  # a new view (or the next start): remembered
    qtbot.addWidget(again)
    assert again.suggested_path("x.csv") == str(folder.resolve() / "x.csv")
    assert file_name("Dashboard", "Today's flow", "2026-03-02") == "dashboard-todays-flow-2026-03-02.csv"
    assert file_name("Today, 2026-03-02", "2026-03-02") == "today-2026-03-02.csv"  # no date twice
