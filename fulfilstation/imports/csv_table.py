"""``read_csv``: a CSV file as people export it, as rows that know their line number.

What it copes with, because real exports do it:

* encodings: UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode text"), and
  Windows-1252 when the bytes are not UTF-8 (Excel's "CSV" on a Western Windows);
* delimiters ``,``, ``;`` (Excel in much of Europe) and tab, decided from the header line
  (outside quotes);
* quoted fields holding newlines, delimiters and doubled quotes: a row's ``line`` is the
  physical line it *starts* on, as a text editor numbers it, so a report's line numbers can
  be found in the file;
* blank lines (skipped) and ragged rows (``width_problem`` says so; the importer decides);
* a column named twice (``sku,name,sku``, or ``SKU`` and ``sku``): the first one is read and a
  note says which was left out, never the last one silently.

A file that cannot be read as CSV at all (a quote never closed, not text) raises
``CsvUnreadable`` with the line and a plain reason. Pure: no database, no Qt.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

DELIMITERS = (",", ";", "\t")


class CsvUnreadable(ValueError):
    """The file is not a CSV we can read; ``str()`` says why and where, for a person."""


@dataclass(frozen=True)
class CsvRow:
    """One record: ``line`` is the file line it starts on (1 is the header)."""

    line: int
    values: dict[str, str]  # header name (as in the file, stripped) -> raw cell text
    width_problem: str | None = None
    folded: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.folded:
            folded: dict[str, str] = {}
            for key, value in self.values.items():  # a column named twice: the first one counts
                folded.setdefault(key.casefold(), value)
            object.__setattr__(self, "folded", folded)

    def get(self, *names: str) -> str:
        """The stripped text of the first of ``names`` present (matched case-insensitively,
        ignoring surrounding spaces); "" when none is present or all are blank."""
        for name in names:
            value = self.folded.get(name.strip().casefold())
            if value is not None and value.strip():
                return value.strip()
        return ""

    def has(self, name: str) -> bool:
        return name.strip().casefold() in self.folded

    def is_blank(self) -> bool:
        return not any(value.strip() for value in self.values.values())


@dataclass(frozen=True)
class CsvTable:
    headers: tuple[str, ...]
    rows: tuple[CsvRow, ...]
    delimiter: str
    encoding: str
    notes: tuple[str, ...] = field(default=())  # e.g. "read as Windows-1252: the file is not UTF-8"

    def has_column(self, name: str) -> bool:
        return name.strip().casefold() in {header.casefold() for header in self.headers}


def read_csv(path: str | Path) -> CsvTable:
    """Read ``path``; ``CsvUnreadable`` when it is missing, unreadable or not CSV."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise CsvUnreadable(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CsvUnreadable(f"{path} is a folder, not a CSV file") from None
    except OSError as error:
        raise CsvUnreadable(f"{path} cannot be read: {error.strerror or error}") from None
    return read_csv_bytes(data)


def read_csv_bytes(data: bytes) -> CsvTable:
    text, encoding, notes = _decode(data)
    if "\x00" in text:
        raise CsvUnreadable("this is not a text file (it holds binary data): export the sheet as CSV")
    first_line = text.split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header_cells = next(reader)
    except StopIteration:
        raise CsvUnreadable("the file is empty: it needs a header line naming its columns") from None
    except csv.Error as error:
        raise CsvUnreadable(f"line 1: {plain_csv_error(error)}") from None
    headers = tuple(cell.strip() for cell in header_cells)
    if not any(headers):
        raise CsvUnreadable("line 1 is blank: the first line must name the columns")
    firsts, twice = _first_columns(headers)
    if twice:
        notes.append(f"{'; '.join(twice)}: only the first of each was read")
    rows: list[CsvRow] = []
    names = [headers[i] for i in firsts]
    folded_names = [name.casefold() for name in names]
    width_needed = max(firsts) + 1 if firsts else 0
    contiguous = firsts == list(range(len(firsts)))
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise CsvUnreadable(f"line {start}: {plain_csv_error(error)}") from None
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        width = None
        if len(cells) > len(headers) and any(cell.strip() for cell in cells[len(headers):]):
            width = f"has {len(cells)} fields but the header names {len(headers)}"
        if len(cells) < width_needed:
            cells = cells + [""] * (width_needed - len(cells))
        kept = cells[:len(firsts)] if contiguous else [cells[i] for i in firsts]  # shared by both dicts
        rows.append(CsvRow(line=line, values=dict(zip(names, kept, strict=True)), width_problem=width,
                           folded=dict(zip(folded_names, kept, strict=True))))
    return CsvTable(headers=headers, rows=tuple(rows), delimiter=delimiter, encoding=encoding, notes=tuple(notes))


def _first_columns(headers: tuple[str, ...]) -> tuple[list[int], list[str]]:
    """The index of each named column's first occurrence (matched ignoring case), and a
    phrase for each name given more than once."""
    seen: dict[str, int] = {}
    again: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        key = header.casefold()
        if key in seen:
            again.setdefault(key, [seen[key] + 1]).append(index + 1)
        else:
            seen[key] = index
    twice = [f"column {headers[seen[key]]!r} is named {len(columns)} times (columns "
             f"{', '.join(map(str, columns))})" for key, columns in again.items()]
    return sorted(seen.values()), twice


def _decode(data: bytes) -> tuple[str, str, list[str]]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError:
            raise CsvUnreadable("the file says it is UTF-16 but is not: save it again as CSV UTF-8") from None
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        pass
    return data.decode("cp1252", errors="replace"), "windows-1252", [
        "the file is not UTF-8, so it was read as Windows-1252 (Excel's CSV); "
        "check accented names, or save it as 'CSV UTF-8'"]


def _delimiter(header: str) -> str:
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def plain_csv_error(error: csv.Error) -> str:
    """The csv module's complaint in words a person can act on."""
    text = str(error)
    if "unexpected end of data" in text or "EOF" in text:
        return "a quoted field starts here and is never closed (a \" is missing)"
    if "field larger than field limit" in text:
        return (f"a field here is longer than {csv.field_size_limit():,} characters (a quote opened and never "
                "closed, or not a CSV file)")
    return text
