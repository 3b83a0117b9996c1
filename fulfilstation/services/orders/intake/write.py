"""``write_incoming``: THE door through which every incoming order is written — CSV files,
shop syncs and webhooks alike (issue #12).

Contract (callers rely on this much):

* each order is written whole or not at all, keyed by ``(channel, external_id)``: a new one
  is created; a known one not yet picked is updated where it changed; a shop's cancel or
  hold reaches the order;
* every order created or changed goes through ``checks.check_order``; a holding finding
  holds it with the reason;
* after the last chunk commits, the valid orders reserve their stock, oldest first across
  the whole batch (``arrival.reserve_arrivals``), together with any arrivals an earlier
  import stopped before reserving; then the stock a change gave back (an order cancelled
  or held by the shop, or its lines replaced) goes to the backorders waiting for it,
  oldest first (``arrival.reserve_backorders``), as after a manager's cancel;
* one audit entry names the source and the counts;
* the report's notes say how many of the file's orders (new or changed) intake holds and
  why, counted per reason (an order held for two counts under each); a dry run says
  "would be held" and that backorders are not known before the import (stock is reserved
  only once the orders are in);
* ``dry_run`` checks and counts exactly as a real run and writes nothing.

How (so 100,000 lines go in within seconds): every order is tidied first (``tidy``; one
that cannot be stored is rejected, named by its first line and listing all its lines, and
the others go on); the SKU map is loaded once; then the orders go in chunks of ``CHUNK``,
each ONE transaction that preloads the chunk's known orders (``known``), decides each order
in Python (``decide``) and writes the new ones with two bulk INSERTs, the few changed ones
by conditional UPDATEs (``status IN (pending, ready)``), so an order a station claimed
meanwhile is left alone and reported. Chunks keep each write short, so stations' scans are
not held behind one long import (SQLite has one writer at a time). A unique-key clash with
a concurrent writer (the same shop order, or the same number, inserted by another import
at the same moment) rolls the chunk back and it is tried once more against the new state;
a second clash refuses the rest of the import saying how far it got (a re-import finishes
it: what went in is found by its key). The batch's audit entry ``orders.imported`` is
written after the last chunk; each order's own changes are audited in their chunk.

Holds: intake owns a hold it set (its reason is the intake's reason: "On hold in the
shop", the checks' findings, "Cancelled in the shop: stop packing"); a manager's hold (any
other reason) is never lifted by intake.

Threading: blocking (database); call from worker threads, the CLI or the sync worker.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.exc import IntegrityError

from fulfilstation.db.database import Database
from fulfilstation.domain.words import plural
from fulfilstation.imports import ImportProgress, ImportReport, RowProblem
from fulfilstation.integrations.ports import AddressCheck, IncomingOrder
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders import arrival
from fulfilstation.services.orders.intake import apply, decide
from fulfilstation.services.orders.intake.checks import check_order
from fulfilstation.services.orders.intake.findings import held_words
from fulfilstation.services.orders.intake.known import Catalogue, chunks, load_catalogue, load_known
from fulfilstation.services.orders.intake.tidy import Untidy, tidy
from fulfilstation.services.orders.lookup import OrderRefused
from fulfilstation.services.orders.reserve import ReserveOutcome
from fulfilstation.services.site.customs import ship_from_country_of
from fulfilstation.services.site.order_review import order_review_of

CHUNK = 1000  # orders per transaction: a write holds SQLite's one writer lock well under a second
NO_BACKORDERS_YET = ("Stock is reserved once the orders are in: which of them wait for stock (backorders) is "
                     "known after the import, not in this preview.")


def write_incoming(database: Database, actor: Actor, orders: Sequence[IncomingOrder], *, today: dt.date,
                   source: str, dry_run: bool = False, progress: ImportProgress | None = None,
                   address_check: AddressCheck | None = None) -> ImportReport:
    """Write ``orders`` (from ``source``: a file's name, ``shopify:NAME`` …); the report counts
    orders (imported, updated, rejected, unchanged). ``address_check``: the site's
    (``Ports.address_check``; None: the offline format checks). OrderRefused when concurrent
    writers clashed with the batch twice (nothing written)."""
    problems: list[RowProblem] = []
    tidied: list[IncomingOrder] = []
    seen: set[tuple[str, str]] = set()
    for order in orders:
        try:
            clean = tidy(order)
        except Untidy as untidy:
            problems.append(rejection(order, str(untidy)))
            continue
        key = (clean.channel, clean.external_id)
        if key in seen:
            problems.append(rejection(order, f"order {clean.external_id} of {clean.channel} is in this batch "
                                             "twice: only its first occurrence was taken"))
            continue
        seen.add(key)
        tidied.append(clean)
    with database.unit_of_work() as session:
        catalogue = load_catalogue(session)
    numbers = decide.Numbers({})
    totals = Totals(problems)
    total = max(len(orders), 1)
    stranded = [] if dry_run else arrival.stranded_arrivals(database)  # before this import writes anything
    for part in chunks(tidied, CHUNK):
        taken = numbers.snapshot()
        for attempt in (1, 2):
            try:
                totals.add(_write_chunk(database, actor, part, catalogue, numbers, source=source, dry_run=dry_run,
                                        address_check=address_check))
                break
            except IntegrityError as error:
                numbers.restore(taken)
                if attempt == 2:
                    raise OrderRefused("changed-meanwhile", "Another import or sync wrote the same orders at the "
                                       f"same moment, twice: {totals.done_words()}the rest was not imported. Import "
                                       "again (what went in is not imported twice).") from error
        if progress is not None:
            progress(min(totals.seen + len(problems), total), total)
    report = totals.report(dry_run)
    if not dry_run:
        with database.unit_of_work() as session:
            audit.record(session, actor, "orders.imported", "order", None, {
                "source": source, "imported": report.imported, "updated": report.updated,
                "unchanged": report.unchanged, "rejected": report.rejected, "about": plural(len(orders), "order")})
        # The bar starts again (reserving a big file's orders takes a few seconds); arrivals an
        # earlier import left unreserved (stopped half-way) take their turn with these.
        outcomes = arrival.reserve_arrivals(database, actor, [*totals.touched, *stranded], today, progress)
        if totals.freed:
            arrival.reserve_backorders(database, actor, today=today, skus=sorted(totals.freed))
        report = replace(report, notes=(*report.notes, *reserved_words(outcomes, len(stranded))))
    if progress is not None:
        progress(total, total)
    return report


def reserved_words(outcomes: Sequence[ReserveOutcome], stranded: int) -> tuple[str, ...]:
    """The report's note on what reserving on arrival did (nothing when nothing was tried)."""
    ready = sum(1 for outcome in outcomes if outcome.result == "ready")
    waiting = sum(1 for outcome in outcomes if outcome.result == "short")
    if not (ready or waiting):
        return ()
    earlier = (f" ({plural(stranded, 'order')} an earlier import left unreserved took their turn too)"
               if stranded else "")
    return (f"Reserved on arrival: {plural(ready, 'order')} ready to pack, {waiting} waiting for stock as "
            f"backorders{earlier}.",)


def rejection(order: IncomingOrder, reason: str) -> RowProblem:
    """One problem per rejected order (so ``rejected`` counts orders), at its first line,
    naming every line it was read from."""
    lines = sorted({*order.source_lines, *(line.source_line for line in order.lines if line.source_line)})
    first = lines[0] if lines else 0
    where = f" (lines {', '.join(map(str, lines))})" if len(lines) > 1 else ""
    name = order.number or order.external_id
    return RowProblem(first, f"order {name}{where} was not imported: {reason}", key=name)


class Totals:
    """The counts of the chunks written so far."""

    def __init__(self, rejected: list[RowProblem]) -> None:
        self.problems = list(rejected)
        self.imported = self.updated = self.unchanged = self.seen = 0
        self.touched: list[int] = []
        self.freed: set[str] = set()  # SKUs whose reserved units a change gave back
        self.held = 0  # orders intake holds (new, or changed and held by intake)
        self.held_for: Counter[str] = Counter()  # reason code → orders

    def add(self, plan: decide.Plan) -> None:
        self.problems += plan.warnings
        self.imported += len(plan.new)
        self.updated += sum(1 for change in plan.changes if not change.lost)
        self.unchanged += plan.unchanged
        self.seen += len(plan.new) + len(plan.changes) + plan.unchanged + len(plan.warnings)
        self.touched += [new.id for new in plan.new if new.id is not None]
        self.touched += [change.known.id for change in plan.changes if change.reserve_again and not change.lost]
        self.freed.update(sku for change in plan.changes for sku in change.freed)
        for held_for in [new.held_for for new in plan.new] + [change.held_for for change in plan.changes
                                                                 if not change.lost]:
            if held_for:
                self.held += 1
                self.held_for.update(held_for)

    def done_words(self) -> str:
        if not (self.imported or self.updated):
            return "nothing was imported; "
        return f"{self.imported} orders were imported and {self.updated} updated before it; "

    def report(self, dry_run: bool) -> ImportReport:
        problems = sorted(self.problems, key=lambda problem: problem.line)
        notes = [held_words(self.held, self.held_for, would=dry_run)] if self.held else []
        if dry_run and (self.imported or self.updated):
            notes.append(NO_BACKORDERS_YET)
        return ImportReport(imported=self.imported, updated=self.updated,
                            rejected=len({problem.line for problem in problems if problem.rejects}),
                            unchanged=self.unchanged, problems=tuple(problems), notes=tuple(notes), dry_run=dry_run)


def _write_chunk(database: Database, actor: Actor, orders: Sequence[IncomingOrder], catalogue: Catalogue,
                 numbers: decide.Numbers, *, source: str, dry_run: bool,
                 address_check: AddressCheck | None) -> decide.Plan:
    """One transaction: decide and write ``orders``; the plan says what was done."""
    with database.unit_of_work() as session:
        check = functools.partial(check_order, address_check=address_check, rules=order_review_of(session),
                                  ship_from_country=ship_from_country_of(session))
        known = load_known(session, [(order.channel, order.external_id) for order in orders])
        numbers.preload(session, [decide.wanted_number(order) for order in orders
                                  if (order.channel, order.external_id) not in known])
        plan = decide.Plan()
        for order in orders:
            decide.decide(session, order, known.get((order.channel, order.external_id)), catalogue, numbers, plan,
                          check)
        if dry_run:
            session.rollback()
            return plan
        apply.insert_new(session, actor, plan.new)
        apply.apply_changes(session, actor, plan.changes, source)
        plan.warnings.extend(apply.take_lost(plan.changes))
    return plan
