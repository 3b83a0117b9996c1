"""The generic order file (docs/import-formats.md), and any other file read through a saved
column mapping onto it.

One row per order line; ``order_id``, ``sku`` and ``quantity`` are required columns. The
order's fields may be repeated on every row or given only on its first: for each field the
first non-blank value among the order's rows counts. Rows of one order need not be next
to each other. An order with a line that cannot be read is rejected whole, named with all
its lines. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Mapping

from fulfilstation.imports import CsvRow, CsvTable, RowProblem
from fulfilstation.integrations.ports import IncomingLine, IncomingOrder
from fulfilstation.services.order_files import values
from fulfilstation.services.order_files.rows import OrderFileFormat, ParsedOrders, rejected

REQUIRED = ("order_id", "sku", "quantity")
#: Every generic column, in the order the documentation lists them (the mapping dialog too).
COLUMNS = ("order_id", "order_number", "ordered_at", "email", "ship_to_name", "ship_to_company", "ship_to_line1",
           "ship_to_line2", "ship_to_city", "ship_to_region", "ship_to_postal_code", "ship_to_country",
           "ship_to_phone", "bill_to_country", "financial_status", "status", "sku", "quantity", "unit_price",
           "line_id", "currency", "total", "shipping_charged", "note", "shipping_method")
#: The headers a file may give the shipping the customer paid under (matched ignoring case).
SHIPPING_CHARGED = ("shipping_charged", "shipping charged", "shipping", "shipping price", "shipping_price",
                    "shipping paid", "shipping total", "shipping_total")
STATUSES = {"open": "open", "cancelled": "cancelled", "canceled": "cancelled", "on-hold": "on-hold",
            "on hold": "on-hold", "hold": "on-hold", "": "open"}


def is_generic(table: CsvTable) -> bool:
    return all(table.has_column(name) for name in REQUIRED)


def through(table: CsvTable, mapping: Mapping[str, str]) -> CsvTable:
    """``table`` with its columns renamed by ``mapping`` ({generic column: file column}); the
    file's columns the mapping does not name are left out."""
    folded = {generic: column.strip().casefold() for generic, column in mapping.items() if column.strip()}
    rows = []
    for row in table.rows:
        renamed = {generic: row.folded.get(column, "") for generic, column in folded.items()}
        rows.append(CsvRow(line=row.line, values=renamed, width_problem=row.width_problem))
    return CsvTable(headers=tuple(folded), rows=tuple(rows), delimiter=table.delimiter, encoding=table.encoding,
                    notes=table.notes)


def parse(table: CsvTable, channel: str) -> ParsedOrders:
    groups: dict[str, list[CsvRow]] = {}
    problems: list[RowProblem] = []
    for row in table.rows:
        key = row.get("order_id")
        if not key:
            problems.append(RowProblem(row.line, "the row has no order_id: it belongs to no order"))
            continue
        groups.setdefault(key, []).append(row)
    orders = [order for key, rows in groups.items() if (order := _order(key, rows, channel, problems)) is not None]
    return ParsedOrders(OrderFileFormat.GENERIC, tuple(orders), tuple(problems), len(table.rows))


def _first(rows: list[CsvRow], *names: str) -> str:
    for row in rows:
        value = row.get(*names)
        if value:
            return value
    return ""


def _order(key: str, rows: list[CsvRow], channel: str, problems: list[RowProblem]) -> IncomingOrder | None:
    numbers = [row.line for row in rows]
    name = _first(rows, "order_number") or key
    lines: list[IncomingLine] = []
    for row in rows:
        if row.width_problem:
            problems.append(rejected(numbers, name, f"line {row.line} {row.width_problem}"))
            return None
        sku, count = row.get("sku"), row.get("quantity")
        quantity = values.quantity(count)
        if not sku:
            problems.append(rejected(numbers, name, f"line {row.line} has no SKU"))
            return None
        if quantity is None or quantity < 1:
            problems.append(rejected(numbers, name, f"line {row.line}: the quantity {count!r} of {sku} is not a "
                                     "whole number of at least 1"))
            return None
        price = values.money_minor(row.get("unit_price"))
        if row.get("unit_price") and price is None:
            problems.append(rejected(numbers, name, f"line {row.line}: the price {row.get('unit_price')!r} of "
                                     f"{sku} is not an amount"))
            return None
        lines.append(IncomingLine(sku=sku, quantity=quantity, unit_price_minor=max(price or 0, 0),
                                  external_line_id=row.get("line_id") or None, source_line=row.line))
    status = STATUSES.get(_first(rows, "status").casefold())
    if status is None:
        problems.append(rejected(numbers, name, f"the status {_first(rows, 'status')!r} is not open, cancelled "
                                 "or on-hold"))
        return None
    when = _first(rows, "ordered_at")
    ordered_at = values.moment(when)
    if when and ordered_at is None:
        problems.append(rejected(numbers, name, f"ordered_at {when!r} is not a date and time (use 2026-11-30 "
                                 "14:02:11 or ISO 8601)"))
        return None
    total = values.money_minor(_first(rows, "total"))
    if total is None:
        total = sum(line.quantity * line.unit_price_minor for line in lines)
    shipping_text = _first(rows, *SHIPPING_CHARGED)
    shipping = values.money_minor(shipping_text) if shipping_text else None
    if shipping_text and (shipping is None or shipping < 0):
        problems.append(rejected(numbers, name, f"the shipping charged {shipping_text!r} is not an amount"))
        return None

    def field(column: str) -> str | None:
        return _first(rows, column) or None

    return IncomingOrder(
        channel=channel, external_id=key, number=field("order_number"), ship_to_name=_first(rows, "ship_to_name"),
        ship_to_line1=_first(rows, "ship_to_line1"), ship_to_city=_first(rows, "ship_to_city"),
        ship_to_postal_code=values.postal_code(_first(rows, "ship_to_postal_code")),
        ship_to_country=_first(rows, "ship_to_country"), lines=tuple(lines),
        ship_to_company=field("ship_to_company"), ship_to_line2=field("ship_to_line2"),
        ship_to_region=field("ship_to_region"), ship_to_phone=field("ship_to_phone"), ship_to_email=field("email"),
        bill_to_country=field("bill_to_country"),
        financial_status=(field("financial_status") or "").lower() or None, shop_status=status,
        total_minor=max(total, 0), currency=field("currency") or "USD", ordered_at=ordered_at, note=field("note"),
        shipping_charged_minor=shipping,
        shipping_method=field("shipping_method"), source_lines=tuple(numbers))
