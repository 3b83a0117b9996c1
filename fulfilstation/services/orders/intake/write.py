"""``write_incoming``: THE door through which every incoming order is written — CSV files,
shop syncs and webhooks alike (issue #12).

Contract (the intake helper fills in the body; callers rely on this much):

* each order is written whole or not at all, keyed by ``(channel, external_id)``: a new one
  is created; a known one not yet picked is updated where it changed; a shop's cancel or
  hold reaches the order;
* every order created or changed goes through ``checks.check_order``; a holding finding
  holds it with the reason;
* after the transaction commits, the valid orders reserve their stock
  (``arrival.reserve_arrivals``);
* one audit entry names the source and the counts;
* ``dry_run`` checks and counts exactly as a real run and writes nothing.

Threading: blocking (database); call from worker threads, the CLI or the sync worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from fulfilstation.db.database import Database
from fulfilstation.imports import ImportProgress, ImportReport
from fulfilstation.integrations.ports import IncomingOrder
from fulfilstation.services.actor import Actor


def write_incoming(database: Database, actor: Actor, orders: Sequence[IncomingOrder], *, today: dt.date,
                   source: str, dry_run: bool = False, progress: ImportProgress | None = None) -> ImportReport:
    """Write ``orders`` (from ``source``: a file's name, ``shopify:NAME`` …); the report counts
    orders (imported, updated, rejected, unchanged)."""
    raise NotImplementedError("write_incoming is being built (issue #12)")
