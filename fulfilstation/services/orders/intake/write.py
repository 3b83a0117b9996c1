"""``write_incoming``: THE door through which every incoming order is written — CSV files,
shop syncs and webhooks alike (issue #12).

Contract (callers rely on this much):

* each order is written whole or not at all, keyed by ``(channel, external_id)``: a new one
  is created; a known one not yet picked is updated where it changed; a shop's cancel or
  hold reaches the order;
* every order created or changed goes through ``checks.check_order``; a holding finding
  holds it with the reason;
* after the transaction commits, the valid orders reserve their stock
  (``arrival.reserve_arrivals``);
* one audit entry names the source and the counts;
* ``dry_run`` checks and counts exactly as a real run and writes nothing.

How (so 100,000 lines go in within seconds): every order is tidied first (``tidy``; one
that cannot be stored is rejected, named by its first line and listing all its lines, and
the others go on); then ONE transaction preloads the SKU map and the known orders
(``known``), decides every order in Python (``decide``) and writes the new ones with two
bulk INSERTs; the few changed ones by conditional UPDATEs (``status IN (pending, ready)``),
so an order a station claimed meanwhile is left alone and reported. A unique-key clash
with a concurrent writer (the same shop order, or the same number, inserted by another
import at the same moment) rolls the batch back and it is tried once more against the new
state; a second clash refuses the import saying so (nothing written).

Holds: intake owns a hold it set (its reason is the intake's reason: "On hold in the
shop", the checks' findings, "Cancelled in the shop: stop packing"); a manager's hold (any
other reason) is never lifted by intake.

Threading: blocking (database); call from worker threads, the CLI or the sync worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError

from fulfilstation.db.database import Database
from fulfilstation.domain.words import plural
from fulfilstation.imports import ImportProgress, ImportReport, RowProblem
from fulfilstation.integrations.ports import IncomingOrder
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders import arrival
from fulfilstation.services.orders.intake import apply, decide
from fulfilstation.services.orders.intake.known import load_catalogue, load_known, numbers_taken
from fulfilstation.services.orders.intake.tidy import Untidy, tidy
from fulfilstation.services.orders.lookup import OrderRefused


def write_incoming(database: Database, actor: Actor, orders: Sequence[IncomingOrder], *, today: dt.date,
                   source: str, dry_run: bool = False, progress: ImportProgress | None = None) -> ImportReport:
    """Write ``orders`` (from ``source``: a file's name, ``shopify:NAME`` …); the report counts
    orders (imported, updated, rejected, unchanged). OrderRefused when concurrent writers
    clashed with the batch twice (nothing written)."""
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
    for attempt in (1, 2):
        try:
            report, touched = _write_once(database, actor, tidied, problems, source=source, dry_run=dry_run,
                                          progress=progress, total=len(orders))
            break
        except IntegrityError as error:
            if attempt == 2:
                raise OrderRefused("changed-meanwhile", "Another import or sync wrote the same orders at the same "
                                   "moment, twice: nothing was imported. Import again.") from error
    if touched:
        arrival.reserve_arrivals(database, actor, touched, today)
    return report


def rejection(order: IncomingOrder, reason: str) -> RowProblem:
    """One problem per rejected order (so ``rejected`` counts orders), at its first line,
    naming every line it was read from."""
    lines = sorted({*order.source_lines, *(line.source_line for line in order.lines if line.source_line)})
    first = lines[0] if lines else 0
    where = f" (lines {', '.join(map(str, lines))})" if len(lines) > 1 else ""
    name = order.number or order.external_id
    return RowProblem(first, f"order {name}{where} was not imported: {reason}", key=name)


def _write_once(database: Database, actor: Actor, orders: list[IncomingOrder], rejected: list[RowProblem], *,
                source: str, dry_run: bool, progress: ImportProgress | None,
                total: int) -> tuple[ImportReport, list[int]]:
    problems = list(rejected)
    with database.unit_of_work() as session:
        catalogue = load_catalogue(session)
        known = load_known(session, [(order.channel, order.external_id) for order in orders])
        wanted = [decide.wanted_number(order) for order in orders if (order.channel, order.external_id) not in known]
        numbers = decide.Numbers(session, numbers_taken(session, wanted))
        plan = decide.Plan()
        for done, order in enumerate(orders, 1):
            decide.decide(session, order, known.get((order.channel, order.external_id)), catalogue, numbers, plan)
            if progress is not None and done % 500 == 0:
                progress(done, max(total, 1))
        problems.extend(plan.warnings)
        if not dry_run:
            apply.insert_new(session, actor, plan.new)
            apply.apply_changes(session, actor, plan.changes, source)
            problems.extend(apply.take_lost(plan.changes))
        problems.sort(key=lambda problem: problem.line)
        imported = len(plan.new)
        updated = sum(1 for change in plan.changes if not change.lost)
        report = ImportReport(imported=imported, updated=updated,
                              rejected=len({problem.line for problem in problems if problem.rejects}),
                              unchanged=plan.unchanged, problems=tuple(problems), dry_run=dry_run)
        if dry_run:
            session.rollback()
            return report, []
        audit.record(session, actor, "orders.imported", "order", None, {
            "source": source, "imported": imported, "updated": updated, "unchanged": plan.unchanged,
            "rejected": report.rejected, "about": plural(len(orders), "order")})
        touched = [new.id for new in plan.new if new.id is not None]
        touched += [change.known.id for change in plan.changes if change.reserve_again and not change.lost]
    if progress is not None:
        progress(max(total, 1), max(total, 1))
    return report, touched
