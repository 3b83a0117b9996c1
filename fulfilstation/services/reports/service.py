"""``ReportsService``: the manager's dashboard and reports — read-only figures over a period of
the site's own days, computed from what the app already records (scan events, pack sessions,
shipments, stock moves, counts, returns, the outbox).

Queries take the signed-in actor and need ``VIEW_REPORTS`` (managers and owners): costs and
packers' figures are not for every screen. The one use case is ``set_settings`` (the
reports' site settings: time zone, service-level targets, labour rate), ``SITE_SETTINGS``.

Threading: blocking (database); call from worker threads. Queries are read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor, authorize, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.reports.costs import CostsReport, costs_report
from fulfilstation.services.reports.daily import DailyReport, daily_report
from fulfilstation.services.reports.dashboard import Dashboard, dashboard_of
from fulfilstation.services.reports.inventory_queries import inventory_report
from fulfilstation.services.reports.inventory_view import InventoryReport
from fulfilstation.services.reports.packers import PackersReport, packers_report
from fulfilstation.services.reports.period import Period, PeriodRefused, zone_named
from fulfilstation.services.reports.settings import (
    ReportSettings,
    report_settings_of,
    set_report_settings,
    zone_notice,
)
from fulfilstation.services.reports.sla import SlaReport, sla_report
from fulfilstation.services.reports.tables import ReportTable, write_csv
from fulfilstation.services.site.settings import paper_size, site_settings

SEE = "see the reports"


class ReportsService(AreaService):
    def _now(self) -> dt.datetime:
        return self._context.ports.clock.now().astimezone(dt.UTC)

    def _allowed(self, actor: Actor) -> None:
        authorize(actor, Permission.VIEW_REPORTS, SEE)

    # -- export

    def write_csv(self, tables: Sequence[ReportTable] | ReportTable, path: Path) -> Path:
        """Write report tables already in hand to ``path`` as CSV (``tables.write_csv``): the
        window's door to the one CSV writer. Blocks on the file; no database, no permission (the
        figures were allowed when they were asked for)."""
        return write_csv(tables, path)

    # -- settings

    def settings(self) -> ReportSettings:
        with self.database.unit_of_work() as session:
            return report_settings_of(session)

    def zone_notice(self) -> str:
        """While the site's time zone was never set: "Time zone not set: days are <zone> days
        (this PC's). Set it in Site settings → Reports." — every report shows it by its period
        (the window's Reports and Dashboard tabs, the CLI, the daily PDF); ``""`` once set."""
        return zone_notice(self.settings())

    @use_case(Permission.SITE_SETTINGS, "change the site settings")
    def set_settings(self, actor: Actor, settings: ReportSettings) -> ReportSettings:
        """Store the reports' settings; audited as ``site.reports_changed``."""
        return set_report_settings(self.database, actor, settings)

    # -- periods

    def _zone(self, settings: ReportSettings | None = None) -> ZoneInfo:
        """The site's zone; PeriodRefused, saying to set it again, when the stored one is not
        known on this PC (a zone this PC's zone database lacks). This PC's own is always known."""
        name = (settings or self.settings()).time_zone
        try:
            return zone_named(name)
        except PeriodRefused:
            raise PeriodRefused(f"The site's time zone {name!r} is not known on this PC: choose it again in "
                                "Site settings → Reports.") from None

    def today(self) -> dt.date:
        """The site's today (its time zone's calendar day)."""
        return self._now().astimezone(self._zone()).date()

    def period(self, first: dt.date | None = None, last: dt.date | None = None) -> Period:
        """``first``…``last`` of the site's days (either missing: today)."""
        zone = self._zone()
        today = self._now().astimezone(zone).date()
        return Period(first or last or today, last or first or today, zone)

    # -- reports

    def inventory(self, actor: Actor, period: Period) -> InventoryReport:
        """Inventory accuracy from cycle counts, ABC class sizes, stock-outs and backorders (now),
        return rate and reasons by product, return processing time over ``period``."""
        self._allowed(actor)
        return inventory_report(self.database, period, self.settings().currency)

    def daily(self, actor: Actor, day: dt.date | None = None) -> DailyReport:
        """Every report over the site's ``day`` (default: today) and that day on paper (the
        site's paper size; the title names the ship-from company or name)."""
        self._allowed(actor)
        zone = self._zone()
        with self.database.unit_of_work() as session:
            paper = paper_size(session)
        ship_from = site_settings(self.database).get("ship_from")
        site = ""
        if isinstance(ship_from, dict):
            site = str(ship_from.get("company") or ship_from.get("name") or "")
        chosen = day or self._now().astimezone(zone).date()
        return daily_report(self, actor, chosen, site or "FulfilStation", paper, self._now().astimezone(zone))

    # -- service levels and the dashboard

    def sla(self, actor: Actor, period: Period) -> SlaReport:
        """Time per step and the on-time rate of the orders first shipped in ``period``
        (``reports/sla.py`` states every rule)."""
        self._allowed(actor)
        settings = self.settings()
        with self.database.unit_of_work() as session:
            return sla_report(session, period, settings)

    def dashboard(self, actor: Actor) -> Dashboard:
        """The site's today at a glance, now (``reports/dashboard.py`` states every rule)."""
        self._allowed(actor)
        settings = self.settings()
        now = self._now()
        zone = self._zone(settings)
        return dashboard_of(self.database, settings, now, Period.day(now.astimezone(zone).date(), zone))
    # -- packers and costs

    def packers(self, actor: Actor, period: Period) -> PackersReport:
        """Per packer: orders, items, packages, packing time, per-hour rates, the complexity-adjusted
        index and the mistakes the station caught; per product: mistakes per 100 units packed."""
        self._allowed(actor)
        with self.database.unit_of_work() as session:
            return packers_report(session, period)

    def costs(self, actor: Actor, period: Period) -> CostsReport:
        """Per order shipped in the period: label + box + packing labour, by carrier, service and
        channel; label cost against the shipping the customer paid."""
        self._allowed(actor)
        with self.database.unit_of_work() as session:
            settings = report_settings_of(session)
            return costs_report(session, period, settings.currency, settings.labour_rate_minor)
