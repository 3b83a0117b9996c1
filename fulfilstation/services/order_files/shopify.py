"""Shopify's order export (Orders → Export → CSV) as it really comes.

One row per line item; the order's own fields (e-mail, status, addresses, totals) only on
its first row, the later rows repeat just ``Name`` and the line item's columns. Columns
are matched by name (the set grows with Shopify's export date); only ``Name``,
``Lineitem quantity`` and ``Lineitem sku`` are required. Quirks handled: a BOM, ``,`` or
``;`` (``csv_table``), zips with Excel's guard apostrophe (``'02134``) and ZIP+4, quoted
newlines in Notes, non-Latin names, ``Created at`` with its offset, ``Cancelled at``
(the order is cancelled in the shop), line items that need no shipping (skipped with a
warning) or are already fulfilled (skipped with a warning).

``Id`` is the order's id (the key, with the channel); absent: ``Name``. An order with a
line that cannot be read (quantity not a whole number, no SKU, a ragged row) is rejected
whole, named with all its lines. Pure: no database.
"""

from __future__ import annotations

from fulfilstation.imports import CsvRow, CsvTable, RowProblem
from fulfilstation.integrations.ports import IncomingLine, IncomingOrder
from fulfilstation.services.order_files import values
from fulfilstation.services.order_files.rows import OrderFileFormat, ParsedOrders, rejected

REQUIRED = ("Name", "Lineitem quantity", "Lineitem sku")


def _cell(row: CsvRow, name: str) -> str:
    """The stripped cell of column ``name`` (already casefolded): the hot path of 100,000 rows."""
    return row.folded.get(name, "").strip()


def _first(row: CsvRow, *names: str) -> str:
    """The first non-blank of the columns ``names`` (already casefolded)."""
    for name in names:
        value = _cell(row, name)
        if value:
            return value
    return ""


def is_shopify(table: CsvTable) -> bool:
    return all(table.has_column(name) for name in REQUIRED)


def parse(table: CsvTable, channel: str) -> ParsedOrders:
    groups: dict[str, list[CsvRow]] = {}
    problems: list[RowProblem] = []
    for row in table.rows:
        name = _cell(row, "name")
        if not name:
            problems.append(RowProblem(row.line, "the row has no order Name: it belongs to no order"))
            continue
        groups.setdefault(name, []).append(row)
    orders: list[IncomingOrder] = []
    for name, rows in groups.items():
        order = _order(name, rows, channel, problems)
        if order is not None:
            orders.append(order)
    return ParsedOrders(OrderFileFormat.SHOPIFY, tuple(orders), tuple(problems), len(table.rows))


def _order(name: str, rows: list[CsvRow], channel: str, problems: list[RowProblem]) -> IncomingOrder | None:
    head = rows[0]
    numbers = [row.line for row in rows]
    lines: list[IncomingLine] = []
    warnings: list[RowProblem] = []
    for row in rows:
        if row.width_problem:
            problems.append(rejected(numbers, name, f"line {row.line} {row.width_problem}"))
            return None
        sku, count = _cell(row, "lineitem sku"), _cell(row, "lineitem quantity")
        title = _cell(row, "lineitem name")
        if not (sku or count or title):
            continue  # a row of the order's own fields only
        quantity = values.quantity(count)
        if quantity is None or quantity < 1:
            problems.append(rejected(numbers, name, f"line {row.line}: the quantity {count!r} of "
                                     f"{sku or title or 'a line item'} is not a whole number of at least 1"))
            return None
        if not values.yes(_cell(row, "lineitem requires shipping")):
            warnings.append(RowProblem(row.line, f"{title or sku or 'the line item'} needs no shipping (a digital "
                                       "item or gift card): skipped", name, rejects=False))
            continue
        if _cell(row, "lineitem fulfillment status").casefold() == "fulfilled":
            warnings.append(RowProblem(row.line, f"{title or sku} was already fulfilled in the shop: skipped",
                                       name, rejects=False))
            continue
        if not sku:
            problems.append(rejected(numbers, name, f"line {row.line}: the line item {title!r} has no SKU; give "
                                     "the variant a SKU in Shopify and export again"))
            return None
        price = values.money_minor(_cell(row, "lineitem price"))
        lines.append(IncomingLine(sku=sku, quantity=quantity, unit_price_minor=max(price or 0, 0),
                                  name=title or None, source_line=row.line))
    problems.extend(warnings)
    if not lines:
        if warnings:
            problems.append(RowProblem(head.line, f"order {name} has nothing to ship: not imported", name,
                                       rejects=False))
        else:
            problems.append(rejected(numbers, name, "it has no line items"))
        return None
    ordered_at = values.moment(_cell(head, "created at"))
    if _cell(head, "created at") and ordered_at is None:
        problems.append(RowProblem(head.line, f"Created at {head.get('Created at')!r} is not a time: left blank",
                                   name, rejects=False))
    cancelled = bool(_cell(head, "cancelled at"))
    return IncomingOrder(
        channel=channel, external_id=_cell(head, "id") or name, number=name,
        ship_to_name=_cell(head, "shipping name"), ship_to_line1=_first(head, "shipping address1", "shipping street"),
        ship_to_city=_cell(head, "shipping city"), ship_to_postal_code=values.postal_code(_cell(head, "shipping zip")),
        ship_to_country=_cell(head, "shipping country"), lines=tuple(lines),
        ship_to_company=_cell(head, "shipping company") or None, ship_to_line2=_cell(head, "shipping address2") or None,
        ship_to_region=_cell(head, "shipping province") or None,
        ship_to_phone=_first(head, "shipping phone", "phone", "billing phone") or None,
        ship_to_email=_cell(head, "email") or None, bill_to_country=_cell(head, "billing country") or None,
        financial_status=_cell(head, "financial status").lower() or None,
        shop_status="cancelled" if cancelled else "open",
        total_minor=max(values.money_minor(_cell(head, "total")) or 0, 0),
        shipping_charged_minor=values.money_minor(_cell(head, "shipping")),
        currency=_cell(head, "currency") or "USD", ordered_at=ordered_at, note=_cell(head, "notes") or None,
        shipping_method=_cell(head, "shipping method") or None, source_lines=tuple(row.line for row in rows))
