"""Laying out bins: add, edit, deactivate and reactivate (an owner's changes).

Invariants:

* A bin code is unique: the database's unique constraint settles two stations adding the
  same code at once (the loser is refused, naming the bin that has it).
* A bin holding stock is never deactivated: one conditional UPDATE requires that no stock
  level of the bin has units on hand, so the check and the change are one statement.
* Every change is one transaction with its audit entry naming the actor.

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Bin, StockLevel
from fulfilstation.domain.words import plural
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.bins.fields import BinFieldInvalid, BinFields, checked
from fulfilstation.services.bins.queries import find_bin, info, stock_words
from fulfilstation.services.bins.views import BinInfo, BinsRefused

_EDITABLE = ("code", "zone", "aisle", "bay", "level", "pick_sequence", "kind")


def valid(fields: BinFields) -> BinFields:
    try:
        return checked(fields)
    except BinFieldInvalid as exc:
        raise BinsRefused("bad-field", f"{str(exc)[:1].upper()}{str(exc)[1:]}: nothing was saved.") from exc


def add_bin(database: Database, actor: Actor, fields: BinFields) -> BinInfo:
    new = valid(fields)
    try:
        with database.unit_of_work() as session:
            _refuse_taken(session, new.code)
            row = Bin(**asdict(new), active=True)
            session.add(row)
            session.flush()
            audit.record(session, actor, "bin.added", "bin", row.id, asdict(new))
            return info(row)
    except IntegrityError as exc:
        raise _taken(database, new.code) from exc


def edit_bin(database: Database, actor: Actor, code: str, fields: BinFields) -> BinInfo:
    """Give the bin of ``code`` the values of ``fields`` (its code too: a new code needs a new label)."""
    new = valid(fields)
    try:
        with database.unit_of_work() as session:
            row = find_bin(session, code)
            if new.code != row.code:
                _refuse_taken(session, new.code, row.id)
            before = {name: getattr(row, name) for name in _EDITABLE}
            changes = {name: [before[name], value] for name, value in asdict(new).items() if before[name] != value}
            for name, value in asdict(new).items():
                setattr(row, name, value)
            session.flush()
            if changes:
                audit.record(session, actor, "bin.edited", "bin", row.id, {"code": row.code, "changes": changes})
            return info(row, _units(session, row.id))
    except IntegrityError as exc:
        raise _taken(database, new.code) from exc


def set_active(database: Database, actor: Actor, code: str, active: bool) -> BinInfo:
    """Deactivate (``active`` False: refused while the bin holds units) or reactivate the bin."""
    with database.unit_of_work() as session:
        row = find_bin(session, code)
        condition: list[Any] = [Bin.id == row.id]
        if not active:
            condition.append(~exists().where(StockLevel.bin_id == Bin.id, StockLevel.on_hand > 0))
        if not rows_changed(session, update(Bin).where(*condition).values(active=active)
                            .execution_options(synchronize_session=False)):
            units, words = stock_words(session, row.id)
            raise BinsRefused("holds-stock", f"Bin {row.code} holds {plural(units, 'unit')} ({words}): move them to "
                              "another bin first, then deactivate it.")
        audit.record(session, actor, "bin.activated" if active else "bin.deactivated", "bin", row.id,
                     {"code": row.code})
        session.expire(row)
        return info(row, _units(session, row.id))


def _units(session: Session, bin_id: int) -> int:
    return stock_words(session, bin_id)[0]


def _refuse_taken(session: Session, code: str, own_id: int | None = None) -> None:
    """Refuse ``code`` when a bin has it, also in other upper and lower case (``z-01`` beside
    ``Z-01``): scans and look-ups match codes ignoring case, so such twins could not be told
    apart. The bin being edited (``own_id``) may change the case of its own code."""
    other = session.scalar(select(Bin).where(Bin.code == code)) or session.scalars(
        select(Bin).where(func.lower(Bin.code) == code.lower(), Bin.id != (own_id or 0)).order_by(Bin.id)).first()
    if other is not None:
        raise _taken_by(other)


def _taken(database: Database, code: str) -> BinsRefused:
    with database.unit_of_work() as session:
        other = session.scalar(select(Bin).where(Bin.code == code))
        if other is None:
            return BinsRefused("changed-meanwhile", f"Bin {code} could not be saved: the bins changed meanwhile. "
                               "Try again.")
        return _taken_by(other)


def _taken_by(other: Bin) -> BinsRefused:
    where = f" in zone {other.zone}" if other.zone else ""
    state = "" if other.active else " (inactive: reactivate it instead)"
    return BinsRefused("code-taken", f"Bin code {other.code} is already a {other.kind} bin{where}{state}: choose "
                       "another code.")
