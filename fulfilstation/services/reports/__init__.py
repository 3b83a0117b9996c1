"""Reports: the manager's dashboard and printable reports — read-only figures over a period
of the site's own days (``ReportsService``), each handed out as ``ReportTable``s for the
screen, CSV and PDF.

Threading: every query blocks on the database; call them from worker threads.
"""

from fulfilstation.services.reports.costs import CostGroup, CostsReport, OrderCost
from fulfilstation.services.reports.dashboard import Dashboard, DashboardException, SlaAlert
from fulfilstation.services.reports.packers import Mistakes, PackerFigures, PackersReport, ProductMistakes
from fulfilstation.services.reports.period import DayOutOfRange, Period, PeriodRefused, PeriodReversed
from fulfilstation.services.reports.service import ReportsService
from fulfilstation.services.reports.settings import (
    DEFAULT_TARGETS,
    MAX_LABOUR_RATE_MAJOR,
    SMALL_UNIT_MAX_LABOUR_RATE_MAJOR,
    STEP_NAMES,
    STEPS,
    ReportSettings,
)
from fulfilstation.services.reports.sla import OnTime, SlaReport, StepLevel
from fulfilstation.services.reports.tables import ReportChart, ReportSection, ReportTable, write_csv

__all__ = [
    "CostGroup",
    "CostsReport",
    "DEFAULT_TARGETS",
    "Dashboard",
    "DashboardException",
    "DayOutOfRange",
    "MAX_LABOUR_RATE_MAJOR",
    "Mistakes",
    "OnTime",
    "OrderCost",
    "PackerFigures",
    "PackersReport",
    "Period",
    "PeriodRefused",
    "PeriodReversed",
    "ProductMistakes",
    "ReportChart",
    "ReportSection",
    "ReportSettings",
    "ReportTable",
    "ReportsService",
    "SMALL_UNIT_MAX_LABOUR_RATE_MAJOR",
    "STEPS",
    "STEP_NAMES",
    "SlaAlert",
    "SlaReport",
    "StepLevel",
    "write_csv",
]
