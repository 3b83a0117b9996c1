"""``fulfilstation pack``: the packing services without the window, for scripts and support.

On any refusal the pack session it opened is cancelled (the order is ready again for any
station); only the scan events remain, as history.
"""

from __future__ import annotations

import argparse

from sqlalchemy import select

from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.db.database import Database
from fulfilstation.db.models import User
from fulfilstation.domain.units import parse_weight
from fulfilstation.services.packing import (
    PackRefused,
    Refusal,
    Weighing,
    cancel_pack,
    choose_box,
    print_shipment,
    scan_item,
    ship,
    start_pack,
)
from fulfilstation.services.shipping.printing import tracking_numbers
from fulfilstation.services.stations.registry import ensure_station


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    pack = commands.add_parser("pack", parents=[common], help="pack and ship one order without the window")
    pack.add_argument("order", help="order number (or pick list / tote barcode)")
    pack.add_argument("--station", required=True, help="station name (registered on first use)")
    pack.add_argument("--user", required=True, help="the packer's user name")
    pack.add_argument("--scan", action="append", default=[], metavar="CODE", help="a scanned code; repeat")
    pack.add_argument("--weight", required=True, help="the parcel's weight, e.g. 1.25lb or 567g")
    pack.add_argument("--box", help="box type code (default: the suggested box)")
    pack.add_argument("--label-printer", metavar="URI", help="also print the label there, after recording it")
    pack.set_defaults(handler=pack_order)


def pack_order(args: argparse.Namespace, context: CliContext) -> int:
    try:
        grams = parse_weight(args.weight)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    database = context.database()
    station = ensure_station(database, args.station)
    user_id = _user_id(database, args.user)
    try:
        view = start_pack(database, args.order, station.id, user_id)
    except PackRefused as refused:
        raise CommandError(refused.message, code=1) from refused
    try:
        shipment_id = _pack(database, view.session_id, args, grams)
    except PackRefused as refused:
        cancel_pack(database, view.session_id, user_id, f"pack command refused: {refused.code.value}")
        raise CommandError(refused.message, code=1) from refused
    return _finish(context, database, shipment_id, args.label_printer)


def _pack(database: Database, session_id: int, args: argparse.Namespace, grams: int) -> int:
    for code in args.scan:
        outcome = scan_item(database, session_id, code)
        if not outcome.accepted and not outcome.pending:
            raise PackRefused(outcome.refusal or Refusal.UNKNOWN_BARCODE, outcome.message)
    if args.box:
        choose_box(database, session_id, args.box)
    shipment_id, _labels = ship(database, session_id, Weighing(grams))
    return shipment_id


def _finish(context: CliContext, database: Database, shipment_id: int, printer_uri: str | None) -> int:
    printer = context.toolkit.open_label_printer(printer_uri) if printer_uri and context.toolkit else None
    if printer_uri and printer is None:
        raise CommandError("Printing needs the device drivers, which this build does not have.")
    outcome = print_shipment(database, printer, shipment_id) if printer is not None else None
    for number in (outcome.tracking_numbers if outcome else tracking_numbers(database, shipment_id)):
        print(number)
    if outcome is not None and not outcome.printed:
        print(f"Shipped, but the label was not printed: {outcome.problem} The shipment waits as label pending: "
              "reprint it at the station (Ctrl+R).")
        return 3
    return 0


def _user_id(database: Database, username: str) -> int:
    with database.unit_of_work() as session:
        user_id = session.scalar(select(User.id).where(User.username == username, User.active.is_(True)))
    if user_id is None:
        raise CommandError(f"There is no active user called {username!r}.")
    return user_id
