"""The line a report tab shows while the site's time zone was never set (``ReportsService.
zone_notice``: "Time zone not set: days are UTC days (this PC's). Set it in Site settings →
Reports."), in amber above the report; hidden once the zone is set.

Threading: GUI thread only (the notice itself is asked for on the worker thread with the report).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from ui.style import AMBER, show_status
from ui.widgets.fit_text import let_wrap


def zone_notice_label(parent: QWidget) -> QLabel:
    """An empty, hidden label for the notice (``zoneNotice``), wrapping at any width."""
    label = let_wrap(QLabel("", parent))
    label.setObjectName("zoneNotice")
    label.setAccessibleName("Time zone")
    label.hide()
    return label


def show_zone_notice(label: QLabel, notice: str) -> None:
    """Show ``notice`` (``""``: hide the label)."""
    show_status(label, notice, AMBER)
    label.setVisible(bool(notice))
