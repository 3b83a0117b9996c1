"""The daily report (``fulfilstation report daily``): every report over one of the site's
days, in the order the morning meeting reads them, and that day on paper.

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fulfilstation.documents.reports.daily_pdf import build_daily_pdf
from fulfilstation.services.actor import Actor
from fulfilstation.services.reports.tables import ReportSection

if TYPE_CHECKING:
    from fulfilstation.services.reports.service import ReportsService


@dataclass(frozen=True)
class DailyReport:
    day: dt.date
    site: str
    sections: tuple[str, ...]  # the sections' titles, in print order
    pdf: bytes
    zone_notice: str = ""  # the site's time zone is not set (``ReportsService.zone_notice``); also on the PDF


def daily_sections(reports: ReportsService, actor: Actor, day: dt.date) -> list[ReportSection]:
    """Each report's section for the site's ``day`` (refused, ``NotAllowed``, unless the actor
    may see the reports)."""
    period = reports.period(day, day)
    # the dashboard is now (open exceptions, backlog): it belongs on today's report only
    now: list[ReportSection] = [reports.dashboard(actor)] if day == reports.today() else []
    sections: list[ReportSection] = [
        *now,
        reports.sla(actor, period),
        reports.packers(actor, period),
        reports.costs(actor, period),
        reports.inventory(actor, period),
    ]
    return sections


def daily_report(reports: ReportsService, actor: Actor, day: dt.date, site: str, paper: str,
                 printed: dt.datetime) -> DailyReport:
    """The sections of ``day`` and their PDF (``paper``: letter or a4; ``printed``: site-local;
    the zone notice, while the site's zone is not set, under the day's line)."""
    sections = daily_sections(reports, actor, day)
    notice = reports.zone_notice()
    pdf = build_daily_pdf(site, day, sections, page_size=paper, printed=printed.strftime("%Y-%m-%d %H:%M"),
                          notice=notice)
    return DailyReport(day, site, tuple(section.title for section in sections), pdf, notice)
