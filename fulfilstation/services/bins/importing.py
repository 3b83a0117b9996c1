"""Bins from a CSV file: the valid rows in, each broken row reported, nothing half-written.

Columns (header names, any order, case-insensitive): ``code`` (required), ``zone``,
``aisle``, ``bay``, ``level``, ``pick_sequence``, ``kind``, ``active``. The code is the
key: a row whose code is a bin already updates that bin's fields the file gives (a missing
column or a blank cell leaves the bin's value as it is); a new code adds a bin (defaults:
zone blank, kind pickable, pick sequence 0, active). A second row with the same code is
rejected (it names the line of the first). A code that differs from a bin's (or an earlier
line's) only in upper and lower case is rejected, naming it: scans and look-ups match codes
ignoring case, so such twins could not be told apart. ``active`` = no on a bin holding stock
is rejected (one conditional UPDATE, as in the editor).

Invariants: every accepted row is written in ONE transaction, or none is (a race lost on
the unique code rolls it all back and the import is refused); a dry run does the same work
and rolls back; re-importing the same file adds nothing and updates nothing. The report
keeps ``rejected == number of lines with a rejecting problem``.

Threading: blocking (database); ``progress`` is called from the importing thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Bin, StockLevel
from fulfilstation.domain.words import plural
from fulfilstation.imports import CsvRow, CsvUnreadable, ImportProgress, ImportReport, RowProblem, read_csv_bytes
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.bins.fields import (
    BinFieldInvalid,
    check_code,
    check_kind,
    check_place,
    check_zone,
    parse_active,
    parse_sequence,
)
from fulfilstation.services.bins.queries import stock_words
from fulfilstation.services.bins.views import BinsRefused

COLUMNS = ("code", "zone", "aisle", "bay", "level", "pick_sequence", "kind", "active")
DEFAULTS: dict[str, Any] = {"zone": "", "aisle": None, "bay": None, "level": None, "pick_sequence": 0,
                            "kind": "pickable", "active": True}
_PARSERS: dict[str, Any] = {"zone": check_zone, "aisle": lambda v: check_place(v, "aisle"),
                            "bay": lambda v: check_place(v, "bay"), "level": lambda v: check_place(v, "level"),
                            "pick_sequence": parse_sequence, "kind": check_kind, "active": parse_active}


class _DryRun(Exception):
    """Raised inside the unit of work to roll a dry run back."""


@dataclass(frozen=True)
class BinRow:
    line: int
    code: str
    values: dict[str, Any]  # only the fields the row gives


@dataclass
class _Tally:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def import_bins(database: Database, actor: Actor, data: bytes, dry_run: bool = False,
                progress: ImportProgress | None = None) -> ImportReport:
    try:
        table = read_csv_bytes(data)
    except CsvUnreadable as exc:
        raise BinsRefused("unreadable", f"The bins file cannot be read: {exc}. Nothing was imported.") from exc
    if not table.has_column("code"):
        raise BinsRefused("unreadable", "The bins file has no 'code' column: its first line must name the columns "
                          f"({', '.join(COLUMNS)}). Nothing was imported.")
    notes = list(table.notes)
    unknown = [h for h in table.headers if h and h.casefold() not in COLUMNS]
    if unknown:
        notes.append(f"ignored {plural(len(unknown), 'column')} that bins do not have: {', '.join(unknown)}")
    tally = _Tally()
    rows = _parse(table.rows, tally.problems)
    total = len(table.rows)
    try:
        with database.unit_of_work() as session:
            existing = {row.code: row for row in session.scalars(select(Bin))}
            folded = {code.casefold(): code for code in existing}
            for done, row in enumerate(rows, start=1):
                twin = None if row.code in existing else folded.get(row.code.casefold())
                if twin is not None:
                    tally.problems.append(RowProblem(row.line, f"bin {row.code} differs from bin {twin} only in upper "
                                                     f"and lower case: write it as {twin} to update that bin (scans "
                                                     "match bin codes ignoring case)", row.code))
                else:
                    _apply(session, row, existing.get(row.code), tally)
                if progress is not None and (done % 200 == 0 or done == len(rows)):
                    progress(done + (total - len(rows)), total)
            session.flush()
            audit.record(session, actor, "bins.imported", None, None,
                         {"imported": tally.imported, "updated": tally.updated, "rejected": _rejected(tally),
                          "dry_run": dry_run})
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except IntegrityError as exc:
        raise BinsRefused("changed-meanwhile", "Another station changed the bins while this file was imported: "
                          "nothing was imported. Import the file again.") from exc
    if progress is not None and not rows:
        progress(total, total)
    problems = tuple(sorted(tally.problems, key=lambda p: (p.line, not p.rejects)))
    return ImportReport(tally.imported, tally.updated, _rejected(tally), tally.unchanged, problems, tuple(notes),
                        dry_run)


def _rejected(tally: _Tally) -> int:
    return len({problem.line for problem in tally.problems if problem.rejects})


def _parse(rows: tuple[CsvRow, ...], problems: list[RowProblem]) -> list[BinRow]:
    """The rows that are well formed, each code once; a problem for every other row."""
    parsed: list[BinRow] = []
    first_line: dict[str, int] = {}
    folded: dict[str, str] = {}  # code ignoring case -> the code as first written
    for row in rows:
        code_text = row.get("code")
        if row.width_problem:
            problems.append(RowProblem(row.line, f"this row {row.width_problem}", code_text))
            continue
        try:
            code = check_code(code_text)
            values = {name: _PARSERS[name](row.get(name)) for name in _PARSERS if row.get(name)}
        except BinFieldInvalid as exc:
            problems.append(RowProblem(row.line, str(exc), code_text))
            continue
        if code in first_line:
            problems.append(RowProblem(row.line, f"bin {code} is already on line {first_line[code]} of this file",
                                       code))
            continue
        twin = folded.get(code.casefold())
        if twin is not None:
            problems.append(RowProblem(row.line, f"bin {code} differs from bin {twin} on line {first_line[twin]} of "
                                       "this file only in upper and lower case: keep one of the two rows", code))
            continue
        first_line[code] = row.line
        folded[code.casefold()] = code
        parsed.append(BinRow(row.line, code, values))
    return parsed


def _apply(session: Session, row: BinRow, current: Bin | None, tally: _Tally) -> None:
    if current is None:
        new = Bin(code=row.code, **{**DEFAULTS, **row.values})
        session.add(new)
        tally.imported += 1
        return
    values = dict(row.values)
    deactivate = values.get("active") is False and current.active
    if deactivate:
        session.flush()
        if not rows_changed(session, update(Bin).where(
                Bin.id == current.id, ~exists().where(StockLevel.bin_id == Bin.id, StockLevel.on_hand > 0))
                .values(active=False).execution_options(synchronize_session=False)):
            units, words = stock_words(session, current.id)
            tally.problems.append(RowProblem(row.line, f"bin {row.code} holds {plural(units, 'unit')} ({words}): "
                                             "it cannot be made inactive; move them first", row.code))
            return
        session.expire(current, ["active"])
    changed = {name: value for name, value in values.items() if getattr(current, name) != value}
    for name, value in changed.items():
        setattr(current, name, value)
    if changed or deactivate:
        tally.updated += 1
    else:
        tally.unchanged += 1

