"""``DashboardTab``: the day at a glance — the SLA steps running late in red above everything
(hidden when none), the open exceptions as a list (label and count, each wrapping onto more
lines rather than cut, however narrow the list; a click, a double-click or Enter opens the
named workspace screen showing that exception's filter, through ``navigate``), and the
dashboard's tables with their charts (``SectionView``; CSV files named ``dashboard-…-DAY``).

It refreshes itself: on ``refresh`` (the screen's, when a change touched a table it watches,
made here or at another station) at most once per ``MIN_GAP_MS`` — a burst of changes is one
load, run when the gap has passed —, and every ``TIMER_MS`` while it is shown. A load runs on a
worker thread as the signed-in person; a refresh asked while one runs loads once more after it.
The window never waits. While the site's time zone was never set, an amber line above the
tables says whose day "today" is (``ReportsService.zone_notice``, asked with the dashboard).

Threading: GUI thread only; the query through ``ui.worker``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from ui.reports.reports_tab import plain
from ui.reports.section_view import SaveChooser, SectionView
from ui.reports.sections import DashboardLike, DashboardQuery, alert_text
from ui.reports.zone_notice import show_zone_notice, zone_notice_label
from ui.style import GREY, RED
from ui.widgets.fit_text import let_wrap
from ui.widgets.status_line import StatusLine
from ui.worker import run_in_background

MIN_GAP_MS = 2000  # at most one load per 2 s, however many changes arrive
TIMER_MS = 60_000  # and one a minute while shown, changes or not
TARGET_ROLE = Qt.ItemDataRole.UserRole  # (screen, filter) of an exception
Navigate = Callable[[str, str | None], bool]  # False: that screen cannot be opened here
LOOK = f"""
QLabel#slaAlerts {{ font-size: 16pt; font-weight: 700; color: white; background: {RED};
                   padding: 6px 10px; border-radius: 6px; }}
QListWidget#dashboardExceptions {{ font-size: 14pt; }}
"""


class DashboardTab(QWidget):
    def __init__(self, app: AppServices, query: DashboardQuery | None, actor: Callable[[], Actor | None],
                 parent: QWidget | None = None, *, navigate: Navigate | None = None,
                 choose_save: SaveChooser | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.query = query
        self.actor = actor
        self.navigate = navigate
        self.dashboard: DashboardLike | None = None
        self.loading = False
        self.loads = 0  # loads started (diagnostics, tests)
        self._again = False
        self._last_start: float | None = None  # time.monotonic() of the last load started
        self.setStyleSheet(LOOK)
        self.alerts = QLabel("", self)
        self.alerts.setObjectName("slaAlerts")
        let_wrap(self.alerts)
        self.alerts.hide()
        self.exceptions = QListWidget(self)
        self.exceptions.setObjectName("dashboardExceptions")
        self.exceptions.setAccessibleName("Open exceptions")
        self.exceptions.setWordWrap(True)  # a long label takes more lines, never "…"
        self.exceptions.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.exceptions.setResizeMode(QListView.ResizeMode.Adjust)  # rows laid out again at each width
        self.exceptions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.exceptions.itemClicked.connect(self.open_item)
        self.exceptions.itemActivated.connect(self.open_item)  # Enter, double-click
        self.view = SectionView(app.reports.write_csv, self, choose_save=choose_save,
                                empty="The dashboard is loading…" if query else "The dashboard is not available yet.")
        self.updated = QLabel("", self)
        self.updated.setObjectName("hint")
        self.refresh_button = QPushButton("Re&fresh", self)
        self.refresh_button.clicked.connect(self.load)
        self.busy = QProgressBar(self)
        self.busy.setObjectName("dashboardBusy")
        self.busy.setRange(0, 0)
        self.busy.setFormat("Updating…")
        self.busy.setTextVisible(True)
        self.busy.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # never widens the window
        self.busy.hide()
        self.status = StatusLine(self)
        self.zone_notice = zone_notice_label(self)
        self._gap = QTimer(self)
        self._gap.setSingleShot(True)
        self._gap.timeout.connect(self.load)
        self.timer = QTimer(self)
        self.timer.setInterval(TIMER_MS)
        self.timer.timeout.connect(self.refresh)
        side = QWidget(self)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("Open exceptions", side))
        column.addWidget(self.exceptions, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.view)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        row = QHBoxLayout()
        row.addWidget(self.refresh_button)
        row.addWidget(self.busy, 1)
        row.addStretch(1)  # the button keeps its size while the busy bar is hidden
        row.addWidget(self.updated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 4, 2, 2)
        layout.addWidget(self.alerts)
        layout.addLayout(row)
        layout.addWidget(self.zone_notice)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

    # ------------------------------------------------------------------ when
    def start(self) -> None:
        """Shown: load (within the gap) and keep loading every minute."""
        self.timer.start()
        self.refresh()

    def stop(self) -> None:
        """Hidden: no more timed loads (changes mark the screen stale; shown again, it loads)."""
        self.timer.stop()
        self._gap.stop()

    def refresh(self) -> None:
        """Load soon: now if the last load started ``MIN_GAP_MS`` ago, else when that has passed."""
        if self.loading:
            self._again = True
            return
        if self._gap.isActive():
            return  # already waiting for the gap
        waited = None if self._last_start is None else (time.monotonic() - self._last_start) * 1000
        if waited is None or waited >= MIN_GAP_MS:
            self.load()
        else:
            self._gap.start(int(MIN_GAP_MS - waited))

    def load(self) -> None:
        self._gap.stop()
        query, who, app = self.query, self.actor(), self.app
        if query is None or who is None:
            return
        if self.loading:
            self._again = True
            return
        self.loading = True
        self._again = False
        self.loads += 1
        self._last_start = time.monotonic()
        self.busy.show()
        run_in_background(lambda: (query(app, who), app.reports.zone_notice()), self._loaded, self._failed,
                          owner=self)

    def _finished(self) -> None:
        self.loading = False
        self.busy.hide()
        if self._again:
            self._again = False
            self.refresh()

    def _loaded(self, result: tuple[DashboardLike, str]) -> None:
        dashboard, notice = result
        self.dashboard = dashboard
        self.status.forget()
        show_zone_notice(self.zone_notice, notice)
        day = getattr(dashboard, "today", None)  # the site's day (``Dashboard.today``)
        self.view.display(dashboard, period=day.isoformat() if day is not None else time.strftime("%Y-%m-%d"),
                          name="Dashboard")
        self._show_alerts(dashboard)
        self._show_exceptions(dashboard)
        self.updated.setText(f"Updated {time.strftime('%H:%M:%S')}")
        self._finished()

    def _failed(self, exc: Exception) -> None:
        self.status.say(plain(exc), RED)
        self._finished()

    # ------------------------------------------------------------------ what
    def _show_alerts(self, dashboard: DashboardLike) -> None:
        said = [alert_text(alert) for alert in dashboard.alerts]
        self.alerts.setText("\n".join(f"⚠ {text}" for text in said))
        self.alerts.setVisible(bool(said))

    def _show_exceptions(self, dashboard: DashboardLike) -> None:
        current = self.exceptions.currentRow()
        self.exceptions.clear()
        for exception in dashboard.exceptions:
            item = QListWidgetItem(f"{exception.label}: {exception.count:,}")
            item.setData(TARGET_ROLE, (exception.screen, exception.filter))
            item.setToolTip(f"Open {exception.screen} showing {exception.label.lower()}")
            if exception.count:
                item.setForeground(QBrush(QColor(RED)))
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            else:
                item.setForeground(QBrush(QColor(GREY)))
            self.exceptions.addItem(item)
        if 0 <= current < self.exceptions.count():
            self.exceptions.setCurrentRow(current)

    def open_item(self, item: QListWidgetItem) -> None:
        """Open the screen behind an exception, showing its filter."""
        target = item.data(TARGET_ROLE)
        if self.navigate is None or not target:
            return
        screen, name = target
        if not self.navigate(str(screen), None if name is None else str(name)):
            self.status.say(f"The {screen} screen cannot be opened here: {item.text()}", RED)
