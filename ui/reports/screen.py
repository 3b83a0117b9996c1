"""The Reports screen (``VIEW_REPORTS``: managers and owners; packers never see it): two tabs.

* **Dashboard** (``DashboardTab``) — SLA alerts in red, the open exceptions (a click or Enter
  opens the screen behind one with its filter: ``navigate(screen, filter)``, the window's
  ``show_filtered``), the day's tables and charts; it follows changes (at most one load per
  2 s) and reloads every minute while shown.
* **Reports** (``ReportsTab``) — a section chooser, From/To site days, Refresh; one report's
  tables (sortable, CSV export) and charts.

What is asked is ``ui.reports.sections`` (``SECTIONS``, ``DASHBOARD``) unless given. Every
query runs on a worker thread as the signed-in person.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from ui.reports import sections as defaults
from ui.reports.dashboard_tab import DashboardTab, Navigate
from ui.reports.reports_tab import ReportsTab
from ui.reports.section_view import SaveChooser
from ui.reports.sections import DashboardQuery, Section
from ui.workspace.screen import Screen

DASHBOARD_TAB, REPORTS_TAB = 0, 1


class ReportsScreen(Screen):
    title = "Reports"
    permission = Permission.VIEW_REPORTS
    watches = frozenset({"orders", "order_lines", "pick_lists", "pack_sessions", "scan_events", "shipments",
                         "packages", "outbox", "rmas", "rma_units", "stock_levels", "cycle_counts"})

    def __init__(self, app: AppServices, parent: QWidget | None = None, *, sections: dict[str, Section] | None = None,
                 dashboard: DashboardQuery | None = None, navigate: Navigate | None = None,
                 choose_save: SaveChooser | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.dashboard = DashboardTab(app, dashboard or defaults.DASHBOARD, lambda: self.actor, self,
                                      navigate=navigate, choose_save=choose_save)
        self.reports = ReportsTab(app, defaults.SECTIONS if sections is None else sections, lambda: self.actor, self,
                                  choose_save=choose_save)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.dashboard, "Dashboard")
        self.tabs.addTab(self.reports, "Reports")
        self.tabs.currentChanged.connect(lambda _index: self._tab_shown())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def set_actor(self, actor: Actor | None) -> None:
        super().set_actor(actor)
        if actor is None:
            self.dashboard.stop()

    def forget_messages(self) -> None:
        self.dashboard.status.forget()
        self.reports.status.forget()
        self.dashboard.view.status.forget()
        self.reports.view.status.forget()

    def shown(self) -> None:
        self._tab_shown()

    def refresh(self) -> None:
        """A watched table changed (or F5-like): the dashboard follows; a report waits for Refresh."""
        if self.tabs.currentIndex() == DASHBOARD_TAB:
            self.dashboard.refresh()

    def _tab_shown(self) -> None:
        if self.tabs.currentIndex() == DASHBOARD_TAB:
            self.dashboard.start()
        else:
            self.dashboard.stop()
            self.reports.shown()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        self.dashboard.stop()
        super().hideEvent(event)
