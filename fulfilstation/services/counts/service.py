"""``CountsService``: cycle counts — ABC classes by shipped value, a schedule proposing
today's counts, blind count sheets, counting by scanning bin then items, variances approved
and posted as differences, inventory accuracy.

Rights: counting a bin and completing a count within the thresholds is ``COUNT`` (packers);
classifying, creating, approving, cancelling is ``MANAGE_COUNTS`` (managers); the rules
(ABC percentages, schedule, variance thresholds) are ``SITE_SETTINGS`` (the owner: the
threshold decides what a manager must approve, so a manager does not set it).

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from fulfilstation.domain.roles import Permission
from fulfilstation.paths import station_documents_dir
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.counts import abc, completing, counting, creating, queries, schedule, sheet
from fulfilstation.services.counts.refusal import CountsRefused
from fulfilstation.services.counts.rules import CountRules, read_rules, set_rules
from fulfilstation.services.counts.views import (
    AbcClasses,
    Accuracy,
    BinCounted,
    Completed,
    CountSummary,
    CountView,
    Created,
    ProposedLine,
    ScannedItem,
)
from fulfilstation.services.orders.arrival import reserve_backorders


class CountsService(AreaService):
    def _now(self) -> dt.datetime:
        return self._context.ports.clock.now()

    # -- queries

    def rules(self) -> CountRules:
        """The ABC percentages, the schedule and the variance thresholds (defaults when unset)."""
        return read_rules(self.database)

    def abc_classes(self) -> AbcClasses:
        """Products per ABC class with their shipped value over the window and its share."""
        return abc.abc_classes(self.database, self._now())

    def proposal(self) -> builtins.list[ProposedLine]:
        """Today's proposal: bins holding products whose count interval has elapsed, in walking order."""
        with self.database.unit_of_work() as session:
            return schedule.proposal(session, self._now())

    def list(self, open_only: bool = False) -> builtins.list[CountSummary]:
        return queries.list_counts(self.database, open_only)

    def show(self, number: str, viewer: Actor | None = None) -> CountView:
        """One count; blind (no expected, system or variance figure) while open unless
        ``viewer`` may manage counts."""
        return queries.show_count(self.database, number, viewer)

    def sheet_pdf(self, number: str) -> bytes:
        """The blind count sheet (PDF) of count ``number``."""
        return sheet.count_sheet_pdf(self.database, number)

    def save_sheet(self, number: str) -> Path:
        """The blind count sheet saved in this station's documents folder; its path."""
        folder = station_documents_dir(self._context.ports.documents_dir, self._context.station_name)
        return sheet.save_count_sheet(self.sheet_pdf(number), folder, number)

    def identify(self, code: str) -> ScannedItem:
        """What an item scanned while counting is (CountsRefused for a bin or an unknown code)."""
        with self.database.unit_of_work() as session:
            return counting.scanned_item(session, code)

    def accuracy(self, since: dt.date | None = None, until: dt.date | None = None) -> Accuracy:
        """Inventory accuracy of the counts completed from ``since`` to ``until``, both days
        included (UTC days; defaults: ``until`` today, ``since`` 30 days before it). A period
        starting after it ends is refused."""
        last = until or self._now().astimezone(dt.UTC).date()
        first = since or last - dt.timedelta(days=30)
        if first > last:
            raise CountsRefused("bad-period", f"The period starts on {first}, after its last day {last}: give a "
                                "first day on or before the last day.")
        return queries.accuracy(self.database, first, last)

    # -- use cases

    @use_case(Permission.SITE_SETTINGS, "set the cycle-count rules")
    def set_rules(self, actor: Actor, new: CountRules) -> CountRules:
        return set_rules(self.database, actor, new)

    @use_case(Permission.MANAGE_COUNTS, "classify products A, B and C")
    def classify(self, actor: Actor) -> AbcClasses:
        """Store every active product's ABC class by shipped value (audited ``counts.abc_classified``)."""
        return abc.classify(self.database, actor, self._now())

    @use_case(Permission.MANAGE_COUNTS, "create cycle counts")
    def create(self, actor: Actor, *, today: bool = False, bins: Sequence[str] = (),
               skus: Sequence[str] = ()) -> Created:
        """A count of today's proposal, of ``bins`` or of ``skus`` (exactly one)."""
        return creating.create_count(self.database, actor, self._now(), today=today, bins=bins, skus=skus)

    @use_case(Permission.COUNT, "count bins")
    def count_bin(self, actor: Actor, number: str, bin_code: str, scans: Sequence[str],
                  typed: Sequence[tuple[str, int]] = ()) -> BinCounted:
        """Bin done: record every line of the bin from the codes scanned (and typed figures)."""
        return counting.count_bin(self.database, actor, number, bin_code, scans, typed, self._now())

    @use_case(Permission.COUNT, "count bins")
    def count_line(self, actor: Actor, number: str, bin_code: str, sku: str, quantity: int,
                   lot: str | None = None) -> BinCounted:
        """Record one product's figure in a bin (typed), leaving the bin's other lines."""
        return counting.count_line(self.database, actor, number, bin_code, sku, quantity, lot, self._now())

    @use_case(Permission.COUNT, "complete cycle counts")
    def complete(self, actor: Actor, number: str) -> Completed:
        """Post the count's variances, or mark it for a manager's approval (over a threshold)."""
        blind = not actor.may(Permission.MANAGE_COUNTS)
        return self._posted(actor, completing.complete_count(self.database, actor, number, self._now(),
                                                            approve=False, blind=blind))

    @use_case(Permission.MANAGE_COUNTS, "approve count variances")
    def approve(self, actor: Actor, number: str) -> Completed:
        """Post the count's variances, whatever their size (a manager's approval)."""
        return self._posted(actor, completing.complete_count(self.database, actor, number, self._now(),
                                                            approve=True))

    @use_case(Permission.MANAGE_COUNTS, "send cycle counts back for a recount")
    def recount(self, actor: Actor, number: str) -> tuple[str, ...]:
        """Send a count waiting for approval back: the lines over a threshold are cleared for the
        counters to count again (the cleared figures kept in the audit entry); the bins to recount."""
        return completing.send_back(self.database, actor, number)

    @use_case(Permission.MANAGE_COUNTS, "cancel cycle counts")
    def cancel(self, actor: Actor, number: str) -> str:
        return completing.cancel_count(self.database, actor, number, self._now())

    def _posted(self, actor: Actor, done: Completed) -> Completed:
        """After a posting that found units, the backorders needing them are reserved (as after an adjust)."""
        found = sorted({line.sku for line in done.lines if line.variance > 0})
        if done.status == "completed" and found:
            reserve_backorders(self.database, actor, today=self._now().astimezone().date(), skus=found)
        return done
