"""The packages whose weight was outside the range, for the packers' report: per packer and
per product.

Invariants:

* A weight mistake is a *package* (a pack session's ``package_sequence``) that the station
  refused at the scale (``weight_refusals``: over or under, not an unsteady or empty scale) or
  whose weight a manager accepted outside the range (``packages.weight_override_by_id``) —
  counted once, however often it was weighed, and once when a refusal was then accepted by a
  manager (the refusal happened; the override answers it).
* It counts in the period of its first refusal (that refusal's ``created_at``), whatever
  became of the session — completed, cancelled (``fulfilstation pack`` cancels its session on
  every refusal; Esc or a take-over in the window does too) or still open: the station
  prevented the mistake either way. A package accepted out of range with no refusal before
  (accepted at the first weighing) counts in the period its session was completed in.
* It is the packer's who weighed it first when refused (the refusal's user), else the
  session's packer (an override with no refusal recorded).
* Per product: one count per product in that package at the first refusal — the products of
  the accepted (or pending) item scans into that package of that session made up to that
  refusal; a package never refused, every product scanned into it (what was accepted).
* ``overridden``: of those packages, the ones a manager accepted (the figure shown beside),
  by the time the report is read.

Cost: three statements (refusals and overrides of the sessions open during the period —
``open_during`` —, the scans of the sessions holding a mistake: these are few).
Threading: blocking (database); read-only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.in_lists import in_batches
from fulfilstation.db.models import Package, PackSession, ScanEvent, WeightRefusal
from fulfilstation.domain.enums import PackSessionStatus, ScanResult
from fulfilstation.services.reports.open_during import open_during
from fulfilstation.services.reports.period import Period

Key = tuple[int, int]  # (pack session id, package sequence)


def _key(session_id: int | None, sequence: int) -> Key:
    assert session_id is not None  # every statement here selects by session
    return int(session_id), int(sequence)


@dataclass(frozen=True)
class WeightMistake:
    user_id: int
    refused_at: dt.datetime | None  # the first refusal (None: accepted by a manager at the first weighing)
    overridden: bool


@dataclass(frozen=True)
class WeightCounts:
    """Per packer and per product: (packages refused or accepted out of range, of which overridden)."""

    by_user: dict[int, tuple[int, int]]
    by_product: dict[int, tuple[int, int]]


def weight_counts(session: Session, period: Period) -> WeightCounts:
    """The weight mistakes of ``period`` (see the module doc), per packer and per product."""
    mistakes = _mistakes(session, period)
    users: Counter[int] = Counter()
    users_over: Counter[int] = Counter()
    for mistake in mistakes.values():
        users[mistake.user_id] += 1
        users_over[mistake.user_id] += mistake.overridden
    products: Counter[int] = Counter()
    products_over: Counter[int] = Counter()
    for key, held in _products_held(session, mistakes).items():
        for product_id in held:
            products[product_id] += 1
            products_over[product_id] += mistakes[key].overridden
    return WeightCounts({u: (n, users_over[u]) for u, n in users.items()},
                        {p: (n, products_over[p]) for p, n in products.items()})


def _mistakes(session: Session, period: Period) -> dict[Key, WeightMistake]:
    live = open_during(period)
    first: dict[Key, tuple[int, dt.datetime]] = {}  # every package refused before the period ends
    for session_id, sequence, user_id, created_at in session.execute(
            select(WeightRefusal.pack_session_id, WeightRefusal.package_sequence, WeightRefusal.user_id,
                   WeightRefusal.created_at)
            .join(PackSession, PackSession.id == WeightRefusal.pack_session_id)
            .where(*live, WeightRefusal.created_at < period.end_utc)
            .order_by(WeightRefusal.created_at, WeightRefusal.id)):
        first.setdefault((int(session_id), int(sequence)), (int(user_id), created_at))
    overridden: dict[Key, tuple[int, bool]] = {  # → (the session's packer, completed in the period)
        _key(session_id, sequence): (int(packer), status == PackSessionStatus.COMPLETED.value
                                     and ended_at is not None and period.start_utc <= ended_at < period.end_utc)
        for session_id, sequence, packer, status, ended_at in session.execute(
            select(Package.pack_session_id, Package.sequence, PackSession.user_id, PackSession.status,
                   PackSession.ended_at)
            .join(PackSession, PackSession.id == Package.pack_session_id)
            .where(*live, Package.weight_override_by_id.is_not(None)))}
    mistakes = {key: WeightMistake(user_id, at, key in overridden)
                for key, (user_id, at) in first.items() if at >= period.start_utc}
    for key, (packer, completed) in overridden.items():
        if key not in first and completed:
            mistakes[key] = WeightMistake(packer, None, True)
    return mistakes


def _products_held(session: Session, mistakes: dict[Key, WeightMistake]) -> dict[Key, set[int]]:
    held: dict[Key, set[int]] = {key: set() for key in mistakes}
    for part in in_batches(sorted({session_id for session_id, _sequence in mistakes})):
        for session_id, sequence, product_id, created_at in session.execute(
                select(ScanEvent.pack_session_id, ScanEvent.package_sequence, ScanEvent.product_id,
                       ScanEvent.created_at)
                .where(ScanEvent.pack_session_id.in_(part), ScanEvent.product_id.is_not(None),
                       ScanEvent.result.in_((ScanResult.ACCEPTED.value, ScanResult.PENDING.value)))):
            key = _key(session_id, sequence)
            mistake = mistakes.get(key)
            if mistake is not None and (mistake.refused_at is None or created_at <= mistake.refused_at):
                held[key].add(int(product_id or 0))
    return held
