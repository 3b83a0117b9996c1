"""``ReportsTab``: one report over any range of the site's days — a section chooser (the keys of
``sections``, shown by name), From and To dates (by default the last 7 site days, asked of
``app.reports.today`` in the background), Refresh, and the report in a ``SectionView``.

The query runs on a worker thread as the signed-in person while a busy bar shows; the period is
made by ``app.reports.period`` there too (the site's time zone), so From after To is said in
words, as any refusal. An answer that arrives after a newer question is dropped. Choosing
another section asks at once; changed dates wait for Refresh (or Enter in a date box). While
the site's time zone was never set, an amber line under the dates says whose days these are
(``ReportsService.zone_notice``, asked with the report).

Threading: GUI thread only; queries through ``ui.worker``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.reports import PeriodRefused, ReportSection
from ui.reports.section_view import SaveChooser, SectionView
from ui.reports.sections import Section
from ui.reports.zone_notice import show_zone_notice, zone_notice_label
from ui.station.manager_sign_in import refusal_text
from ui.style import RED
from ui.widgets.status_line import StatusLine
from ui.worker import run_in_background

DEFAULT_DAYS = 7
DATE_FORMAT = "yyyy-MM-dd"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def plain(exc: Exception) -> str:
    """A failed query in words: a refusal's or a period's message as it is, else the error described."""
    return str(exc) if isinstance(exc, PeriodRefused) else refusal_text(exc)


class ReportsTab(QWidget):
    def __init__(self, app: AppServices, sections: dict[str, Section], actor: Callable[[], Actor | None],
                 parent: QWidget | None = None, *, choose_save: SaveChooser | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.sections: dict[str, Section] = {}
        self.actor = actor
        self.loading = False
        self.dates_set = False  # From/To hold the default (the site's last 7 days) or a person's choice
        self._generation = 0
        self.shown_key: str | None = None  # the section shown in the view
        self.chooser = QComboBox(self)
        self.chooser.setAccessibleName("Report")
        self.chooser.currentIndexChanged.connect(lambda _index: self.load())
        self.first = self._date_box("From")
        self.last = self._date_box("To")
        self.refresh_button = QPushButton("Re&fresh", self)
        self.refresh_button.clicked.connect(self.load)
        self.busy = QProgressBar(self)
        self.busy.setObjectName("reportBusy")
        self.busy.setRange(0, 0)
        self.busy.setFormat("Computing…")
        self.busy.setTextVisible(True)
        self.busy.setMinimumWidth(0)  # never widens the window: it takes what the row leaves
        self.busy.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.busy.hide()
        self.status = StatusLine(self)
        self.status.setObjectName("reportStatus")
        self.zone_notice = zone_notice_label(self)
        self.view = SectionView(app.reports.write_csv, self, choose_save=choose_save,
                                empty="Choose a report and press Refresh.")
        row = QHBoxLayout()
        row.addWidget(self.chooser)
        row.addWidget(QLabel("From", self))
        row.addWidget(self.first)
        row.addWidget(QLabel("To", self))
        row.addWidget(self.last)
        row.addWidget(self.refresh_button)
        row.addWidget(self.busy, 1)
        row.addStretch(1)  # the boxes keep their size while the busy bar is hidden
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 4, 2, 2)
        layout.addLayout(row)
        layout.addWidget(self.zone_notice)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        self.set_sections(sections)

    def _date_box(self, name: str) -> QDateEdit:
        box = QDateEdit(self)
        box.setCalendarPopup(True)
        box.setDisplayFormat(DATE_FORMAT)
        box.setAccessibleName(name)
        box.editingFinished.connect(lambda: setattr(self, "dates_set", True))
        return box

    def set_sections(self, sections: dict[str, Section]) -> None:
        """The sections the chooser offers (the first chosen); nothing is asked until shown."""
        self.sections = dict(sections)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for key, section in self.sections.items():
            self.chooser.addItem(section.name, key)
        self.chooser.blockSignals(False)
        self._enable()

    def chosen(self) -> str | None:
        key = self.chooser.currentData()
        return str(key) if key is not None else None

    def period_shown(self) -> tuple[dt.date, dt.date]:
        return _date(self.first.date()), _date(self.last.date())

    def set_period(self, first: dt.date, last: dt.date) -> None:
        self.first.setDate(_qdate(first))
        self.last.setDate(_qdate(last))
        self.dates_set = True

    # ------------------------------------------------------------------ loading
    def shown(self) -> None:
        """The tab became visible: the default dates first (once), then the chosen report."""
        if self.dates_set:
            self.load()
            return
        reports = self.app.reports
        self.busy.show()
        run_in_background(reports.today, self._today, self._failed, owner=self)

    def _today(self, today: dt.date) -> None:
        if not self.dates_set:
            self.set_period(today - dt.timedelta(days=DEFAULT_DAYS - 1), today)
        self.busy.hide()
        self.load()

    def load(self) -> None:
        """Ask the chosen report for From…To in the background (an earlier question's answer is dropped)."""
        key, who = self.chosen(), self.actor()
        if key is None or who is None or not self.dates_set:
            return
        section = self.sections[key]
        first, last = self.period_shown()
        app = self.app
        self._generation += 1
        generation = self._generation

        def ask() -> tuple[ReportSection, str]:
            period = app.reports.period(first, last)
            return section.query(app, who, period), app.reports.zone_notice()

        self.loading = True
        self.busy.show()
        self.status.forget()
        self._enable()
        period = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
        run_in_background(ask, lambda result: self._loaded(generation, key, result, period),
                          lambda exc: self._failed(exc, generation), owner=self)

    def _loaded(self, generation: int, key: str, result: tuple[ReportSection, str], period: str) -> None:
        if generation != self._generation:
            return
        self._done()
        self.shown_key = key
        section, notice = result
        show_zone_notice(self.zone_notice, notice)
        self.view.display(section, period=period)  # the period names its CSV files

    def _failed(self, exc: Exception, generation: int | None = None) -> None:
        if generation is not None and generation != self._generation:
            return
        self._done()
        self.view.display(None)  # never the tables of another period under the new dates
        self.status.say(plain(exc), RED)

    def _done(self) -> None:
        self.loading = False
        self.busy.hide()
        self._enable()

    def _enable(self) -> None:
        self.refresh_button.setEnabled(bool(self.sections))
        self.chooser.setEnabled(bool(self.sections))
        if not self.sections:
            self.status.say("No report is available in this version yet.", RED)
