"""What every report hands to the screen, the CSV export and the PDF: ``ReportTable`` (a
title, column headings and rows of plain values: str, int, float, Decimal, date, None),
``ReportChart`` (what to draw, not how: the window draws it with QtCharts, the PDF with
reportlab) and the ``ReportSection`` protocol every report view follows.

Invariant: every row has one value per column. Money is shown in the site currency's major
units as ``Decimal`` (never float); durations in minutes as float.

Threading: immutable values; ``write_csv`` blocks on the file.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal, Protocol

Cell = str | int | float | Decimal | dt.date | None


@dataclass(frozen=True)
class ReportTable:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""  # how a figure is computed, printed under the table

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"{self.title}: a row has {len(row)} values for {len(self.columns)} columns")

    def text_rows(self) -> list[list[str]]:
        """Every row as text, as the CSV and the PDF write it (``cell_text``)."""
        return [[cell_text(value) for value in row] for row in self.rows]

    @staticmethod
    def text_of(value: Cell) -> str:
        """One cell's text (``cell_text``): what the window shows, as CSV and PDF write it."""
        return cell_text(value)


@dataclass(frozen=True)
class ReportChart:
    """A bar or line chart: one value per category for each named series (``None``: no data)."""

    title: str
    kind: Literal["bar", "line"]
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]  # (name, one value per category)
    unit: str = ""  # what the values are in ("minutes", "orders", "USD", "%")

    def __post_init__(self) -> None:
        for name, values in self.series:
            if len(values) != len(self.categories):
                raise ValueError(f"{self.title}: series {name!r} has {len(values)} values "
                                 f"for {len(self.categories)} categories")


class ReportSection(Protocol):
    """A report's result (the dashboard, service levels, packers, costs, inventory): a title,
    its tables and its charts, ready for the window, CSV and the daily PDF."""

    @property
    def title(self) -> str: ...

    def tables(self) -> list[ReportTable]: ...

    def charts(self) -> list[ReportChart]: ...


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(tables: Sequence[ReportTable] | ReportTable, path: Path) -> Path:
    """Write the table(s) to ``path`` as UTF-8 CSV with a byte-order mark (one block per table, a title line before
    each when there are several, a blank line between); the file is replaced whole, and a failed
    write (``OSError``) leaves no part of it behind."""
    chosen = [tables] if isinstance(tables, ReportTable) else list(tables)
    temporary = path.with_name(path.name + ".part")
    try:
        with temporary.open("w", newline="", encoding="utf-8-sig") as out:  # a BOM: spreadsheets then read → – €
            writer = csv.writer(out)
            for n, table in enumerate(chosen):
                if len(chosen) > 1:
                    if n:
                        writer.writerow([])
                    writer.writerow([table.title])
                writer.writerow(table.columns)
                writer.writerows([cell_text(value) for value in row] for row in table.rows)
        temporary.replace(path)
    except OSError:
        temporary.unlink(missing_ok=True)  # a failed write leaves nothing behind (the old file, if any, as it was)
        raise
    return path


def rows_of(tables: Iterable[ReportTable]) -> int:
    return sum(len(table.rows) for table in tables)
