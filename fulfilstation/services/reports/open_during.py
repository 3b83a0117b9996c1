"""The pack sessions open at some moment of a period: the sessions that can hold a scan or a
weighing made in it, whatever became of them (completed, cancelled, taken over, still open).

Invariant: a scan (``scan_events``) or a refused weighing (``weight_refusals``) is made while
its session is open, so it lies between the session's ``started_at`` and its ``ended_at``
(none while open). The conditions below therefore keep every session that holds a refusal
of the period; they narrow the look-up of a period's refusals to the sessions' rows (those
tables have an index on ``pack_session_id``, none on ``created_at``) and are always combined
with the refusal's own ``created_at`` in the period, which decides.

Threading: builds SQL expressions only (no database).
"""

from __future__ import annotations

from sqlalchemy import or_
from sqlalchemy.sql.elements import ColumnElement

from fulfilstation.db.models import PackSession
from fulfilstation.services.reports.period import Period


def open_during(period: Period) -> tuple[ColumnElement[bool], ...]:
    """Conditions on ``PackSession``: started before the period ends, and not ended before it began."""
    return (PackSession.started_at < period.end_utc,
            or_(PackSession.ended_at.is_(None), PackSession.ended_at >= period.start_utc))
