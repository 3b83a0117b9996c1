"""``import_orders``: an order file through the one intake door (``write_incoming``).

The file is read (``csv_table``), its format told from its header (Shopify's order export,
the generic file) or read through a saved mapping, parsed into ``IncomingOrder``s (broken
orders rejected with all their lines), then written by ``write_incoming``: each order whole
or not at all, keyed by channel and the shop's id, so a re-import creates no duplicates.
The report joins the parser's problems and the write's counts; ``rejected`` counts orders.

Threading: blocking (database); call from worker threads or the CLI.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from fulfilstation.db.database import Database
from fulfilstation.domain.words import plural
from fulfilstation.imports import CsvUnreadable, ImportProgress, ImportReport, read_csv_bytes
from fulfilstation.integrations.ports import AddressCheck
from fulfilstation.services.actor import Actor
from fulfilstation.services.order_files import generic, mappings, shopify
from fulfilstation.services.order_files.refusals import OrderFileRefused
from fulfilstation.services.order_files.rows import OrderFileFormat, ParsedOrders
from fulfilstation.services.orders.intake.write import write_incoming

DEFAULT_CHANNEL = {OrderFileFormat.SHOPIFY: "shopify-csv", OrderFileFormat.GENERIC: "csv"}


def read(database: Database, data: bytes, *, channel: str | None, mapping: str | None,
         file_format: OrderFileFormat | str | None) -> tuple[ParsedOrders, tuple[str, ...]]:
    """The file parsed; OrderFileRefused when it cannot be read as an order file."""
    if file_format is not None and file_format not in {f.value for f in OrderFileFormat}:
        raise OrderFileRefused("format", f"{file_format!r} is not an order file format: use shopify or generic.")
    try:
        table = read_csv_bytes(data)
    except CsvUnreadable as unreadable:
        raise OrderFileRefused("unreadable", f"The file cannot be imported: {unreadable}.") from unreadable
    if mapping is not None:
        with database.unit_of_work() as session:
            columns = mappings.find(session, mapping)
        absent = [column for column in columns.values() if not table.has_column(column)]
        if absent:
            raise OrderFileRefused("mapping-mismatch", f"The file has no column {', '.join(map(repr, absent))}, "
                                   f"which mapping {mapping!r} reads: is it the right file, or the right mapping?")
        table = generic.through(table, columns)
        chosen = OrderFileFormat.GENERIC
    elif file_format is not None:
        chosen = OrderFileFormat(file_format)
    elif shopify.is_shopify(table):
        chosen = OrderFileFormat.SHOPIFY
    elif generic.is_generic(table):
        chosen = OrderFileFormat.GENERIC
    else:
        shown = ", ".join(header for header in table.headers[:6] if header)
        raise OrderFileRefused("format-unknown", f"The file cannot be imported: its header ({shown}"
                               f"{', …' if len(table.headers) > 6 else ''}) is neither Shopify's order export (Name, "
                               "Lineitem quantity, Lineitem sku) nor the generic order file (order_id, sku, "
                               "quantity): import it through a column mapping (--mapping NAME).")
    if chosen is OrderFileFormat.SHOPIFY and not shopify.is_shopify(table):
        raise OrderFileRefused("format", "This is not a Shopify order export: it needs Name, Lineitem quantity and "
                               "Lineitem sku columns.")
    if chosen is OrderFileFormat.GENERIC and not generic.is_generic(table):
        raise OrderFileRefused("format", "This is not a generic order file: it needs order_id, sku and quantity "
                               "columns (see docs/import-formats.md).")
    name = (channel or "").strip() or DEFAULT_CHANNEL[chosen]
    if len(name) > 32:
        raise OrderFileRefused("channel", "A channel's name is at most 32 characters.")
    parsed = shopify.parse(table, name) if chosen is OrderFileFormat.SHOPIFY else generic.parse(table, name)
    described = "Shopify order export" if chosen is OrderFileFormat.SHOPIFY else (
        f"order file through mapping {mapping!r}" if mapping else "generic order file")
    article = "an" if described[0] in "aeiou" else "a"
    about = f"read as {article} {described}: {plural(parsed.lines, 'line')}, {plural(len(parsed.orders), 'order')} " \
            f"for channel {name}"
    return parsed, (*table.notes, about)


def import_orders(database: Database, actor: Actor, data: bytes, *, channel: str | None, mapping: str | None,
                  file_format: OrderFileFormat | str | None, dry_run: bool, progress: ImportProgress | None,
                  file_name: str | None, today: dt.date, address_check: AddressCheck | None = None) -> ImportReport:
    parsed, notes = read(database, data, channel=channel, mapping=mapping, file_format=file_format)
    written = write_incoming(database, actor, parsed.orders, today=today, source=f"file:{file_name or 'orders.csv'}",
                             dry_run=dry_run, progress=progress, address_check=address_check)
    problems = tuple(sorted((*parsed.problems, *written.problems), key=lambda problem: problem.line))
    return replace(written, problems=problems, notes=(*notes, *written.notes),
                   rejected=len({problem.line for problem in problems if problem.rejects}))
