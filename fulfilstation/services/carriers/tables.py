"""Rate, zone and transit tables from CSV files in the shapes carriers publish them.

Reading (every table):

* UTF-8 (with or without BOM) or Windows-1252; comma, semicolon or tab separated. Blank
  lines are skipped; lines before the header row (a chart's title) are skipped too.
* Every line is checked before anything is written: a table with a broken line imports
  nothing, and ``TableRefused`` lists each broken line by its number in the file with the
  reason. An import is one transaction; ``replace`` swaps the old rows in that same one.

Rates (one service): the header's first cell names the weight unit (``weight_lb``,
``Lbs``, ``Weight (kg)``, ``weight_g``, ``oz``); each further cell is a zone (``Zone 2``,
``2``, ``zone_2``, ``Zone 002``). Each line is a weight break (the most a parcel may weigh
for that price) and its price per zone: ``8.42``, ``$8.42``, ``1,234.50``; an empty cell
(or ``-``) means no rate. Weights become whole grams (rounded half up: 1 lb = 454 g),
prices minor units of the service's currency. A service that has rates keeps them unless
``replace``.

Zones (one carrier): a header row with a destination column, either one holding ranges of
ZIP prefixes (``Dest. ZIP``: ``004-005`` or ``006``) or ``dest_from`` and ``dest_to``; a
``zone`` column, or the column ``column`` names (a UPS chart's ``Ground``); an ``origin``
column, or ``origin`` for the whole file (a chart is made for one origin ZIP prefix). A zone
cell ``-`` or empty means no service there. Ranges of one origin may not overlap. Zones of
an origin the carrier already has are kept unless ``replace``.

Transit (one service): a ``zone`` column and a ``days`` column (business days).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from fulfilstation.carriers.rating import normalise_postal_code
from fulfilstation.db.database import Database
from fulfilstation.db.models import ServiceRate, ServiceTransit, ZoneRule
from fulfilstation.domain.money import parse_money_minor
from fulfilstation.domain.units import GRAMS_PER_UNIT, UNIT_WORDS
from fulfilstation.domain.words import noun
from fulfilstation.imports.csv_table import plain_csv_error
from fulfilstation.services.actor import Actor
from fulfilstation.services.audit import record
from fulfilstation.services.carriers.setup import CarrierSetupRefused, find_carrier, find_service

Row = tuple[int, list[str]]  # (line number in the file, cells)
_ZONE = re.compile(r"(?:zones?)?[\s_.#-]*(\d{1,3})", re.IGNORECASE)
_NONE = {"", "-", "--", "—", "–", "n/a", "na", "none"}
_MAX_LISTED = 25


class TableRefused(CarrierSetupRefused):
    """A table with broken lines; nothing was imported. ``problems``: (line, reason)."""

    def __init__(self, problems: Sequence[tuple[int, str]]) -> None:
        listed = [f"  line {line}: {reason}" if line else f"  {reason}" for line, reason in problems[:_MAX_LISTED]]
        if len(problems) > _MAX_LISTED:
            listed.append(f"  … and {len(problems) - _MAX_LISTED} more")
        super().__init__("Nothing was imported. Fix these lines of the file and run the command again:\n"
                         + "\n".join(listed))
        self.problems = list(problems)


@dataclass(frozen=True)
class ImportResult:
    target: str  # ``carrier/service`` or carrier code
    rows: int  # rows written
    replaced: int  # rows removed first
    zones: tuple[int, ...]
    notes: tuple[str, ...] = ()


# -- reading files ------------------------------------------------------------------------

def read_rows(data: bytes) -> list[Row]:
    """The non-blank lines of a CSV file with their line numbers; TableRefused when the csv
    module cannot read a line (a field longer than its limit)."""
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = data.decode("cp1252", errors="replace")
    head = content.splitlines()[:20]
    delimiter = max((",", ";", "\t"), key=lambda d: sum(line.count(d) for line in head))
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as error:  # a field over the csv module's limit: refused, not a crash
            raise TableRefused([(line, plain_csv_error(error))]) from None
        cleaned = [cell.strip() for cell in cells]
        if any(cleaned):
            rows.append((line, cleaned))
        line = reader.line_num + 1


def _header(rows: list[Row], found: str, wanted: str) -> int:
    """The index of the first row where ``found`` matches a cell's plain form."""
    for index, (_line, cells) in enumerate(rows):
        if any(re.match(found, _plain(cell)) for cell in cells):
            return index
    raise TableRefused([(0, f"No header row found: {wanted}.")])


def _plain(cell: str) -> str:
    return re.sub(r"[^a-z0-9]", "", cell.lower())


def zone_number(cell: str) -> int | None:
    match = _ZONE.fullmatch(cell.strip())
    return int(match.group(1)) if match else None


# -- rates --------------------------------------------------------------------------------

def parse_rates(rows: list[Row], currency: str) -> list[tuple[int, int, int, int]]:
    """(line, zone, max_weight_g, price_minor) of every priced cell."""
    index = next((i for i, (_l, cells) in enumerate(rows) if _unit(cells[0]) is not None), None)
    if index is None:
        raise TableRefused([(rows[0][0] if rows else 0, "The first column's header must name the weight unit: "
                             "weight_lb, weight_kg, weight_g, weight_oz or Lbs.")])
    header_line, header = rows[index]
    factor = _unit(header[0]) or Decimal(1)
    while header and not header[-1]:
        header.pop()
    problems: list[tuple[int, str]] = []
    zones = [zone_number(cell) for cell in header[1:]]
    for cell, zone in zip(header[1:], zones, strict=True):
        if zone is None:
            problems.append((header_line, f"column header {cell!r} is not a zone: write it like Zone 2, 2 or zone_2"))
    repeated = sorted({z for z in zones if z is not None and zones.count(z) > 1})
    if repeated:
        problems.append((header_line, f"zone {repeated[0]} has two columns"))
    if not zones:
        problems.append((header_line, "there are no zone columns after the weight column"))
    found: list[tuple[int, int, int, int]] = []
    weights: dict[int, int] = {}
    for line, cells in rows[index + 1:]:
        problems += _rate_line(line, cells, header, zones, factor, currency, weights, found)
    if problems:
        raise TableRefused(problems)
    return found


def _rate_line(line: int, cells: list[str], header: list[str], zones: list[int | None], factor: Decimal,
               currency: str, weights: dict[int, int], found: list[tuple[int, int, int, int]]) -> list[tuple[int, str]]:
    if any(cells[len(header):]):
        return [(line, f"{len(cells)} cells, but the header has {len(header)} columns")]
    grams = _grams(cells[0], factor)
    if grams is None:
        return [(line, f"{cells[0]!r} is not a weight: write a number, like 1 or 0.5")]
    if grams in weights:
        return [(line, f"the weight {cells[0]} is already on line {weights[grams]}")]
    weights[grams] = line
    problems = []
    for cell, zone, name in zip(cells[1:], zones, header[1:], strict=False):
        if cell.lower() in _NONE or zone is None:
            continue
        price = parse_money_minor(cell, currency)
        if price is None:
            problems.append((line, f"{name}: {cell!r} is not a price: write it like 8.42 or $8.42"))
        else:
            found.append((line, zone, grams, price))
    return problems


def _unit(cell: str) -> Decimal | None:
    words = re.findall(r"[a-z]+", cell.lower())
    units = [GRAMS_PER_UNIT[UNIT_WORDS[word]] for word in words if word in UNIT_WORDS]
    return units[0] if len(units) == 1 else None


def _grams(cell: str, factor: Decimal) -> int | None:
    try:
        value = Decimal(cell.replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or value <= 0:
        return None
    grams = int((value * factor).to_integral_value(ROUND_HALF_UP))
    return grams if grams > 0 else None


def import_rates(database: Database, actor: Actor,
                 service_key: str, data: bytes, replace: bool = False) -> ImportResult:
    """Import a service's rate table (see the module docstring)."""
    rows = read_rows(data)
    with database.unit_of_work() as session:
        service, carrier = find_service(session, service_key)
        found = parse_rates(rows, service.currency)
        if not found:
            raise TableRefused([(0, "The file holds no prices.")])
        replaced = _clear(session, ServiceRate, ServiceRate.service_id == service.id, replace,
                          f"Service {carrier.code}/{service.code} already has rates")
        session.add_all(ServiceRate(service_id=service.id, zone=zone, max_weight_g=grams, price_minor=price)
                        for _line, zone, grams, price in found)
        zones = tuple(sorted({zone for _l, zone, _g, _p in found}))
        known = set(session.scalars(select(ZoneRule.zone).where(ZoneRule.carrier_id == carrier.id)))
        missing = [str(z) for z in zones if z not in known]
        zone_words = f"{noun(len(missing), 'zone')} {', '.join(missing)}"
        notes = (f"No zone rules of {carrier.code} lead to {zone_words} yet: import the carrier's "
                 f"zone chart with 'fulfilstation carriers import-zones {carrier.code} FILE.csv'.",) if missing else ()
        key = f"{carrier.code}/{service.code}"
        record(session, actor, "carrier.rates_imported", "carrier_service", service.id,
              {"service": key, "rows": len(found), "replaced": replaced})
        return ImportResult(key, len(found), replaced, zones, notes)


def _clear(session: Session, model: type[ServiceRate | ServiceTransit | ZoneRule], where: ColumnElement[bool],
           replace: bool, what: str) -> int:
    held = int(session.scalar(select(func.count()).select_from(model).where(where)) or 0)
    if held and not replace:
        raise CarrierSetupRefused(f"{what} ({held} rows): nothing was imported. Add --replace to replace them "
                                  "with this file's.")
    if held:
        session.execute(delete(model).where(where))
    return held


# -- zones --------------------------------------------------------------------------------

def parse_zones(rows: list[Row], origin: str | None, column: str | None) -> list[tuple[int, str, str, str, int]]:
    """(line, origin prefix, dest prefix from, dest prefix to, zone) of every zoned line."""
    index = _header(rows, r"dest", "a header row with a destination column (Dest. ZIP, or dest_from and dest_to)")
    header_line, header = rows[index]
    columns = _zone_columns(header_line, header, origin, column)
    problems: list[tuple[int, str]] = []
    found: list[tuple[int, str, str, str, int]] = []
    for line, cells in rows[index + 1:]:
        row = _zone_line(line, cells, columns, origin)
        if isinstance(row, str):
            problems.append((line, row))
        elif row is not None:
            found.append(row)
    problems += _overlaps(found)
    if problems:
        raise TableRefused(problems)
    return found


@dataclass(frozen=True)
class _ZoneColumns:
    zone: int
    dest: int | None  # ``004-005`` ranges
    dest_from: int | None
    dest_to: int | None
    origin: int | None


def _zone_columns(line: int, header: list[str], origin: str | None, column: str | None) -> _ZoneColumns:
    plain = [_plain(cell) for cell in header]
    dest = [i for i, p in enumerate(plain) if p.startswith("dest")]
    dest_from = next((i for i in dest if "from" in plain[i]), None)
    dest_to = next((i for i in dest if plain[i].endswith("to") and i != dest_from), None)
    dest_range = next((i for i in dest if i not in (dest_from, dest_to)), None)
    origin_col = next((i for i, p in enumerate(plain) if p.startswith("origin")), None)
    others = [i for i, p in enumerate(plain) if p and i not in dest and i != origin_col]
    if column is not None:
        zone = next((i for i, p in enumerate(plain) if p == _plain(column)), None)
    else:
        zone = next((i for i in others if plain[i] == "zone"), others[0] if len(others) == 1 else None)
    problems = []
    if zone is None:
        names = ", ".join(header[i] for i in others) or "none"
        problems.append((line, f"say which column holds the zones with --column (columns: {names})"
                         if column is None else f"there is no column {column!r} (columns: {names})"))
    if dest_range is None and dest_from is None:
        problems.append((line, "no destination column: name it Dest. ZIP (ranges like 004-005), or give "
                               "dest_from and dest_to columns"))
    if origin_col is None and origin is None:
        problems.append((0, "This file has no origin column: say which origin ZIP prefix it is for with --origin "
                            "(e.g. --origin 432, the first digits of the ZIP you ship from)."))
    if origin_col is not None and origin is not None:
        problems.append((line, "the file has an origin column: leave out --origin"))
    if problems or zone is None:
        raise TableRefused(problems)
    return _ZoneColumns(zone, dest_range, dest_from, dest_to, origin_col)


def _zone_line(line: int, cells: list[str], columns: _ZoneColumns,
               origin: str | None) -> tuple[int, str, str, str, int] | str | None:
    def cell(index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""

    zone_cell = cell(columns.zone)
    if zone_cell.lower() in _NONE or _plain(cell(columns.dest)).startswith("dest"):
        return None  # no service to those ZIPs, a footnote, or the header repeated
    zone = zone_number(zone_cell)
    if zone is None:
        return f"{zone_cell!r} is not a zone: write it like 5, 005 or Zone 5 (- for no service)"
    if columns.dest is not None:
        low, _, high = cell(columns.dest).partition("-")
    else:
        low, high = cell(columns.dest_from), cell(columns.dest_to)
    low, high = normalise_postal_code(low), normalise_postal_code(high or low)
    if not low or len(low) > 10 or len(low) != len(high) or low > high:
        return (f"{cell(columns.dest) or low + '–' + high!r} is not a range of ZIP prefixes: write it like 004-005 "
                "or 006 (both ends as long)")
    row_origin = normalise_postal_code(cell(columns.origin) if columns.origin is not None else origin or "")
    if len(row_origin) > 10:
        return f"the origin {row_origin!r} is longer than 10 characters"
    return line, row_origin, low, high, zone


def _overlaps(found: list[tuple[int, str, str, str, int]]) -> list[tuple[int, str]]:
    problems = []
    ordered = sorted(found, key=lambda r: (r[1], len(r[2]), r[2], r[0]))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before[1] == after[1] and len(before[2]) == len(after[2]) and after[2] <= before[3]:
            problems.append((after[0], f"ZIP prefixes {after[2]}–{after[3]} overlap {before[2]}–{before[3]} on "
                                       f"line {before[0]}"))
    return sorted(problems)


def import_zones(database: Database, actor: Actor, carrier_code: str, data: bytes, origin: str | None = None,
                 column: str | None = None, replace: bool = False) -> ImportResult:
    """Import a carrier's zone chart (see the module docstring)."""
    rows = read_rows(data)
    with database.unit_of_work() as session:
        carrier = find_carrier(session, carrier_code)
        found = parse_zones(rows, origin, column)
        if not found:
            raise TableRefused([(0, "The file holds no zones.")])
        origins = sorted({row[1] for row in found})
        shown = ", ".join(o or "(every origin)" for o in origins)
        replaced = _clear(session, ZoneRule, (ZoneRule.carrier_id == carrier.id) & ZoneRule.origin_prefix.in_(origins),
                          replace, f"Carrier {carrier.code} already has zone rules from origin {shown}")
        session.add_all(ZoneRule(carrier_id=carrier.id, origin_prefix=o, dest_prefix_from=low, dest_prefix_to=high,
                                 zone=zone) for _line, o, low, high, zone in found)
        record(session, actor, "carrier.zones_imported", "carrier", carrier.id,
              {"carrier": carrier.code, "origins": origins, "rows": len(found), "replaced": replaced})
        return ImportResult(carrier.code, len(found), replaced, tuple(sorted({row[4] for row in found})),
                            (f"Origin ZIP prefix: {shown}.",))


# -- transit ------------------------------------------------------------------------------

def parse_transit(rows: list[Row]) -> list[tuple[int, int, int]]:
    """(line, zone, business days) of every line."""
    index = _header(rows, r"zone", "a header row with a zone column and a days column")
    header_line, header = rows[index]
    plain = [_plain(cell) for cell in header]
    zone_col = next(i for i, p in enumerate(plain) if p.startswith("zone"))
    days_col = next((i for i, p in enumerate(plain) if "day" in p or "transit" in p), None)
    if days_col is None:
        raise TableRefused([(header_line, "no days column: name it days or transit_days")])
    problems: list[tuple[int, str]] = []
    found: list[tuple[int, int, int]] = []
    seen: dict[int, int] = {}
    for line, cells in rows[index + 1:]:
        zone_cell = cells[zone_col] if zone_col < len(cells) else ""
        days_cell = cells[days_col] if days_col < len(cells) else ""
        zone = zone_number(zone_cell)
        days = re.fullmatch(r"(\d{1,2})(\s*(business\s*)?days?)?", days_cell, re.IGNORECASE)
        if zone is None:
            problems.append((line, f"{zone_cell!r} is not a zone: write it like 5, 005 or Zone 5"))
        elif days is None:
            problems.append((line, f"{days_cell!r} is not a number of business days: write a whole number"))
        elif zone in seen:
            problems.append((line, f"zone {zone} is already on line {seen[zone]}"))
        else:
            seen[zone] = line
            found.append((line, zone, int(days.group(1))))
    if problems:
        raise TableRefused(problems)
    return found


def import_transit(database: Database, actor: Actor,
                   service_key: str, data: bytes, replace: bool = False) -> ImportResult:
    """Import a service's business days in transit per zone."""
    rows = read_rows(data)
    with database.unit_of_work() as session:
        service, carrier = find_service(session, service_key)
        found = parse_transit(rows)
        if not found:
            raise TableRefused([(0, "The file holds no zones.")])
        key = f"{carrier.code}/{service.code}"
        replaced = _clear(session, ServiceTransit, ServiceTransit.service_id == service.id, replace,
                          f"Service {key} already has transit days")
        session.add_all(ServiceTransit(service_id=service.id, zone=zone, days=days) for _l, zone, days in found)
        record(session, actor, "carrier.transit_imported", "carrier_service", service.id,
              {"service": key, "rows": len(found), "replaced": replaced})
        return ImportResult(key, len(found), replaced, tuple(sorted(zone for _l, zone, _d in found)))
