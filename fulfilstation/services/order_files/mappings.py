"""Saved column mappings: another system's order file read as the generic one.

A mapping is a name and ``{generic column: the file's column}``; it must name a file
column for each required generic column (``order_id``, ``sku``, ``quantity``) and only
generic columns. Saving a name that exists replaces its columns (one conditional write:
the unique name settles two people saving at once). Threading: blocking (database).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import ColumnMapping
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.order_files.generic import COLUMNS, REQUIRED
from fulfilstation.services.order_files.refusals import OrderFileRefused


@dataclass(frozen=True)
class MappingView:
    name: str
    columns: dict[str, str]  # generic column -> the file's column


def clean(name: str, columns: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    title = name.strip()
    if not title or len(title) > 64:
        raise OrderFileRefused("mapping-name", "Give the mapping a name of 1 to 64 characters.")
    unknown = sorted(set(columns) - set(COLUMNS))
    if unknown:
        raise OrderFileRefused("mapping-columns", f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} "
                               "not a column of the generic order file (see docs/import-formats.md).")
    chosen = {generic: column.strip() for generic, column in columns.items() if column and column.strip()}
    missing = [generic for generic in REQUIRED if generic not in chosen]
    if missing:
        raise OrderFileRefused("mapping-incomplete", f"Pick the file's column for {', '.join(missing)}: "
                               "every order file needs them.")
    return title, chosen


def save(database: Database, actor: Actor, name: str, columns: Mapping[str, str]) -> MappingView:
    title, chosen = clean(name, columns)
    try:
        with database.unit_of_work() as session:
            found = session.scalar(select(ColumnMapping).where(ColumnMapping.name == title))
            if found is None:
                session.add(ColumnMapping(name=title, columns=chosen))
            else:
                found.columns = chosen
            audit.record(session, actor, "orders.mapping_saved", "column_mapping", found.id if found else None,
                         {"name": title, "columns": chosen, "replaced": found is not None})
    except IntegrityError as error:
        raise OrderFileRefused("mapping-taken", f"Someone saved a mapping named {title!r} at the same moment: "
                               "save again to replace it.") from error
    return MappingView(title, chosen)


def remove(database: Database, actor: Actor, name: str) -> None:
    with database.unit_of_work() as session:
        removed = session.execute(delete(ColumnMapping).where(ColumnMapping.name == name.strip())
                                  .returning(ColumnMapping.id)).scalar()
        if removed is None:
            raise OrderFileRefused("mapping-not-found", f"There is no column mapping named {name.strip()!r}.")
        audit.record(session, actor, "orders.mapping_deleted", "column_mapping", int(removed), {"name": name.strip()})


def find(session: Session, name: str) -> dict[str, str]:
    columns = session.scalar(select(ColumnMapping.columns).where(ColumnMapping.name == name.strip()))
    if columns is None:
        known = list(session.scalars(select(ColumnMapping.name).order_by(ColumnMapping.name)))
        listed = f" (saved: {', '.join(known)})" if known else " (none is saved yet: make one in the window)"
        raise OrderFileRefused("mapping-not-found", f"There is no column mapping named {name.strip()!r}{listed}.")
    return dict(columns)


def listed(database: Database) -> tuple[MappingView, ...]:
    with database.unit_of_work() as session:
        return tuple(MappingView(name, dict(columns)) for name, columns in session.execute(
            select(ColumnMapping.name, ColumnMapping.columns).order_by(ColumnMapping.name)))
