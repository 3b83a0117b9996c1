"""The Reports screen (managers and owners): the dashboard and the reports, on screen and as CSV."""

from ui.reports.screen import ReportsScreen

__all__ = ["ReportsScreen"]
