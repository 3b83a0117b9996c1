"""When an order became ready, for the reports (``orders.ready_at``).

The rule: ``ready_at`` is the FIRST time the order became ready (its stock reserved), set
once and then kept. Every path to ready — a reservation (one order, a batch, a split for a
partial shipment), a cancelled or released pack session, a voided shipment — writes
``first_ready_at()``, which keeps a value already there and fills only NULL. So giving an
order back to the queue (a failed pack attempt, a voided label) or reserving it again after
a short pick is never "becoming ready" again: that time shows in the later steps of the
service-levels report (``reports/sla.py``), where the work happened, not in "Received → ready".

Threading: builds an SQL expression; no I/O.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, literal
from sqlalchemy.sql.elements import ColumnElement

from fulfilstation.db.base import UtcDateTime, utcnow
from fulfilstation.db.models import Order


def first_ready_at() -> ColumnElement[dt.datetime]:
    """``coalesce(orders.ready_at, now)``: the value for ``ready_at`` in an UPDATE that makes
    an order ready (the row's own first time when it has one; now, in UTC, when NULL)."""
    return func.coalesce(Order.ready_at, literal(utcnow(), UtcDateTime()))
