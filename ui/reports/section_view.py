"""``SectionView``: any report (a ``ReportSection``) on screen — its title, each table (sortable
on a header click, a note under it saying how its figures are computed, "Export CSV…") with
the charts that illustrate it (``ui.reports.chart_places``) beside it when the view is wide
enough and the table narrow, else under it; charts that illustrate no table come first. All
in a scroll area; "Export all CSV…" writes every table into one file.

CSV files are written by the reports' one CSV writer (``export``: ``app.reports.write_csv``) on
a worker thread; where the file goes is asked with ``choose_save`` (given the suggested file
name: the report's name, the table's and the period, e.g. ``packers-2026-03-01-to-2026-03-07.csv``;
the save dialog opens in ``ui.widgets.export_folder`` — the last export's folder, else
Documents —, tests answer it). A file that cannot be written is said in plain words with what
to do (``ui.widgets.write_error``). Nothing shown (``display(None)``): the empty text.

Threading: GUI thread only; the file is written through ``ui.worker``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.services.reports import ReportSection, ReportTable
from ui.reports.chart_places import places
from ui.reports.charts import ChartPanel
from ui.reports.table_model import ReportSortProxy, ReportTableModel
from ui.style import GREEN, RED
from ui.widgets.export_folder import export_folder, remember_export_folder
from ui.widgets.file_dialogs import save_file_name
from ui.widgets.fit_text import let_wrap
from ui.widgets.status_line import StatusLine
from ui.widgets.write_error import write_error_text
from ui.worker import run_in_background

CsvWriter = Callable[[Sequence[ReportTable], Path], Path]
SaveChooser = Callable[[str], str]  # a suggested file name → the path chosen ("" cancelled)
ROWS_SHOWN = 12  # a table is at most this many rows tall; more scroll inside it
BESIDE_WIDTH = 720  # px: from this width on, a narrow table has its charts beside it (else under it)
BESIDE_COLUMNS = 4  # a table of at most this many columns is narrow
LOOK = """
QLabel#sectionTitle { font-size: 18pt; font-weight: 700; }
QLabel#tableTitle { font-size: 15pt; font-weight: 600; }
QLabel#chartTitle { font-size: 13pt; font-weight: 600; }
QTableView#reportTable { font-size: 13pt; }
"""


def slug(text: str) -> str:
    """``text`` for a file name: "Today's flow" → ``todays-flow``."""
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"['’]", "", text.casefold())).strip("-")


def file_name(*parts: str) -> str:
    """A CSV file name of its parts (the report, the table, the period): ``packers-2026-03-01.csv``;
    a part already in the name is not repeated."""
    stem = ""
    for part in map(slug, parts):
        if part and part not in stem:
            stem = f"{stem}-{part}" if stem else part
    return f"{stem or 'report'}.csv"


class Pair(QWidget):
    """A table's block and its chart panels: side by side when ``beside_ok`` and at least
    ``BESIDE_WIDTH`` wide, else one under the other (decided again on every resize)."""

    def __init__(self, block: QWidget, panels: list[ChartPanel], beside_ok: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.beside_ok = beside_ok
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addWidget(block, 1)  # no alignment: a wrapping note keeps its height for its width
        self.charts = QWidget(self)
        column = QVBoxLayout(self.charts)
        column.setContentsMargins(0, 0, 0, 0)
        for panel in panels:
            column.addWidget(panel)
        column.addStretch(1)  # beside a taller table: the charts at the top
        self.box.addWidget(self.charts, 1)

    def is_beside(self) -> bool:
        return self.box.direction() == QBoxLayout.Direction.LeftToRight

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        beside = self.beside_ok and event.size().width() >= BESIDE_WIDTH
        wanted = QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        if self.box.direction() != wanted:
            self.box.setDirection(wanted)
        super().resizeEvent(event)


class SectionView(QWidget):
    exported = Signal(object)  # the Path written

    def __init__(self, export: CsvWriter, parent: QWidget | None = None, *,
                 choose_save: SaveChooser | None = None, empty: str = "Nothing to show yet.") -> None:
        super().__init__(parent)
        self.export = export
        self.choose_save: SaveChooser = choose_save or (
            lambda suggested: save_file_name(self, "Export CSV", self.suggested_path(suggested), "CSV (*.csv)"))
        self.empty = empty
        self.section: ReportSection | None = None
        self.name = ""  # the report's name in file names (its title unless given)
        self.period = ""  # the period in file names
        self.tables: list[QTableView] = []
        self.table_values: list[ReportTable] = []
        self.notes: list[QLabel] = []
        self.chart_views: list[ChartPanel] = []  # in the order shown
        self.pairs: list[Pair] = []
        self.export_buttons: list[QPushButton] = []
        self.setStyleSheet(LOOK)
        self.title = QLabel(empty, self)
        self.title.setObjectName("sectionTitle")
        let_wrap(self.title)
        self.export_all = QPushButton("Export all CSV…", self)
        self.export_all.clicked.connect(lambda: self.export_tables(self.table_values))
        self.export_all.setEnabled(False)
        self.status = StatusLine(self)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.export_all)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setWidget(self.body)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.scroller, 1)
        layout.addWidget(self.status)

    # ------------------------------------------------------------------ showing
    def display(self, section: ReportSection | None, *, period: str = "", name: str = "") -> None:
        """Show ``section`` (None: the empty text), replacing what was shown; ``period`` and
        ``name`` (default: the section's title) name its CSV files."""
        self._clear()
        self.section = section
        self.period = period
        if section is None:
            self.name = ""
            self.title.setText(self.empty)
            self.export_all.setEnabled(False)
            return
        self.name = name or section.title
        self.title.setText(section.title)
        tables = section.tables()
        placed = places(tables, section.charts())
        for chart in placed.first:  # illustrating no table: what the report opens with
            panel = ChartPanel(chart, self.body)
            self.chart_views.append(panel)
            self.body_layout.addWidget(panel)
        for table, charts in zip(tables, placed.beside, strict=True):
            block = self._add_table(table)
            if not charts:
                self.body_layout.addWidget(block)
                continue
            panels = [ChartPanel(chart, self.body) for chart in charts]
            self.chart_views += panels
            pair = Pair(block, panels, len(table.columns) <= BESIDE_COLUMNS, self.body)
            self.pairs.append(pair)
            self.body_layout.addWidget(pair)
        self.body_layout.addStretch(1)
        self.export_all.setEnabled(bool(self.table_values))
        self.fit_heights()
        QTimer.singleShot(0, self.fit_heights)  # again once the house style has set the type

    def fit_heights(self) -> None:
        """Each table as high as its first ``ROWS_SHOWN`` rows in the type they are shown in (the
        rest scrolls), with room for a sideways scroll bar so that none hides the last row."""
        for view, table in zip(self.tables, self.table_values, strict=True):
            view.resizeRowsToContents()
            shown = max(1, min(len(table.rows), ROWS_SHOWN))
            rows_high = (sum(view.rowHeight(row) for row in range(shown)) if table.rows
                         else view.verticalHeader().defaultSectionSize())
            view.setFixedHeight(view.horizontalHeader().sizeHint().height() + rows_high
                                + view.horizontalScrollBar().sizeHint().height() + 2 * view.frameWidth() + 2)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.fit_heights()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_heights()

    def _add_table(self, table: ReportTable) -> QWidget:
        """The block of one table: its title and Export CSV…, the table, its note."""
        block = QWidget(self.body)
        column = QVBoxLayout(block)
        column.setContentsMargins(0, 0, 0, 0)
        title = QLabel(table.title, block)
        title.setObjectName("tableTitle")
        let_wrap(title)
        button = QPushButton("Export CSV…", block)
        button.clicked.connect(lambda: self.export_tables([table]))
        head = QHBoxLayout()
        head.addWidget(title, 1)
        head.addWidget(button)
        model = ReportTableModel(table, block)
        proxy = ReportSortProxy(block)
        proxy.setSourceModel(model)
        view = QTableView(block)
        view.setObjectName("reportTable")
        view.setModel(proxy)
        view.setSortingEnabled(True)
        view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        proxy.sort(-1)  # the report's own order until a header is clicked
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.verticalHeader().setVisible(False)
        view.setAccessibleName(table.title)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        column.addLayout(head)
        column.addWidget(view)
        note = QLabel(table.note or ("No rows in this period." if not table.rows else ""), block)
        note.setObjectName("hint")
        let_wrap(note)
        note.setVisible(bool(note.text()))
        column.addWidget(note)
        column.addStretch(1)  # beside taller charts: the table at the top
        self.tables.append(view)
        self.table_values.append(table)
        self.notes.append(note)
        self.export_buttons.append(button)
        return block

    def _clear(self) -> None:
        self.status.forget()
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            self._drop(item)
        self.tables, self.table_values, self.notes, self.chart_views, self.export_buttons = [], [], [], [], []
        self.pairs = []

    def _drop(self, item: object) -> None:
        widget = item.widget() if hasattr(item, "widget") else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()
            return
        layout = item.layout() if hasattr(item, "layout") else None
        if layout is not None:
            while layout.count():
                self._drop(layout.takeAt(0))
            layout.deleteLater()

    # ------------------------------------------------------------------ export
    def export_tables(self, tables: Sequence[ReportTable]) -> None:
        """Ask where, then write ``tables`` as CSV in the background; the status line says where."""
        if not tables:
            return
        parts = [self.name, tables[0].title] if len(tables) == 1 else [self.name or "report"]
        chosen = self.choose_save(file_name(*parts, self.period))
        if not chosen:
            return
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".csv")
        chosen_tables, export = list(tables), self.export
        self.status.say(f"Writing {path.name}…", GREEN)
        run_in_background(lambda: export(chosen_tables, path), self._written,
                          lambda exc: self.status.say(write_error_text(path, exc), RED), owner=self)

    def suggested_path(self, name: str) -> str:
        """Where the save dialog opens: ``name`` in the last export's folder, else in Documents."""
        return str(export_folder() / name)

    def _written(self, path: Path) -> None:
        remember_export_folder(path.parent)
        self.status.say(f"Saved {path}.", GREEN)
        self.exported.emit(path)
