"""``ReplenishmentService``: the reorder report and purchase orders made from it.

Queries: ``report`` (the reorder report with its forecasts), ``export`` (it as a CSV
file). Use case: ``create_purchase_orders`` (``REPLENISH``: managers and owners), one PO
per supplier, audited.

Threading: blocking (database, and the forecasts: CPU); call from worker threads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.replenishment.export import write_report
from fulfilstation.services.replenishment.ordering import create_purchase_orders
from fulfilstation.services.replenishment.report import reorder_report
from fulfilstation.services.replenishment.views import (
    HISTORY_DAYS,
    REVIEW_DAYS,
    PurchaseOrdersMade,
    ReorderReport,
)


class ReplenishmentService(AreaService):
    # -- queries

    def today(self) -> dt.date:
        """The day the report is made for (UTC: the shipped history is bucketed by UTC day)."""
        return self._context.ports.clock.now().astimezone(dt.UTC).date()

    def report(self, history_days: int = HISTORY_DAYS, review_days: int = REVIEW_DAYS) -> ReorderReport:
        """Products at or below reorder point + safety stock (or running out within their lead
        time) with the forecast and the suggested quantity (``report`` module)."""
        return reorder_report(self.database, self.today(), history_days, review_days)

    def export(self, path: Path, report: ReorderReport | None = None) -> int:
        """Write ``report`` (default: a fresh one) to ``path`` as CSV; the number of rows."""
        return write_report(report if report is not None else self.report(), path)

    def export_to_documents(self, report: ReorderReport | None = None) -> Path:
        """Write the report as CSV in this station's documents folder; the file's path."""
        chosen = report if report is not None else self.report()
        folder = self._context.ports.documents_dir
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"reorder-report-{chosen.today.isoformat()}.csv"
        write_report(chosen, path)
        return path

    # -- use cases

    @use_case(Permission.REPLENISH, "create purchase orders from the reorder report")
    def create_purchase_orders(self, actor: Actor, skus: Sequence[str] | None = None,
                               review_days: int = REVIEW_DAYS) -> PurchaseOrdersMade:
        """A purchase order per supplier from the reorder report made now: the rows of
        ``skus`` (default: every row with a suggested quantity), in one transaction."""
        return create_purchase_orders(self.database, actor, self.report(review_days=review_days), skus)
