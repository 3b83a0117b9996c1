"""``fulfilstation shipments …``: find, reprint and void shipments without the window.

``shipments list`` searches by tracking number (of the shipment or any package, or a
scanned label) or order number, newest first; ``--label-pending`` lists what waits for a
label at every station (``--station NAME``: at that one), oldest first, each with its id;
``--json`` prints an array with the keys in the README. ``shipments weight-overrides``
lists the packages whose weight a manager accepted out of range in shipments of the site's
last ``--days`` days (default today): order, package, measured and expected, who, why, when
(the Shipments screen's "Weight overrides" list). ``shipments reprint
TRACKING|ORDER|ID`` prints any one shipment's labels (saying which labels of which order
went to which printer; a voided shipment is refused, saying when, by whom and why) on the label printer of the
station signed in at (``--station``, default this PC's; ``--label-printer`` overrides),
buying an EasyPost label first when it never was (never twice): exit 0 printed, 3 not
printed (the reason is printed; the shipment stays label-pending). A packer may reprint.
``shipments void`` is a manager's or owner's: it prints what was done, with EasyPost's
refund. Both sign in (``--user`` with ``--pin``, ``--badge`` or ``$FULFIL_PIN``): without a
way to sign in they exit 2 with nothing changed; a refusal is ``error: …``, exit 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.cli.numbers import whole_number
from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.domain.money import format_money
from fulfilstation.domain.units import format_weight
from fulfilstation.services.shipping import PrintOutcome, ShipmentSummary, WeightOverride
from fulfilstation.services.shipping.listing import DEFAULT_LIMIT

NOT_PRINTED = 3
REFERENCE_HELP = "a tracking number (of any package, or a scanned label) or an order number"
STATUSES = [status.value for status in ShipmentStatus]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    shipments = commands.add_parser("shipments", help="find, reprint and void shipments (every station's)")
    sub = shipments.add_subparsers(dest="shipments_command", required=True, metavar="COMMAND")
    listing = sub.add_parser("list", parents=[common], help="shipments, newest first (label-pending: oldest first)")
    listing.add_argument("--search", metavar="TEXT", help="a tracking number (or a scanned label) or an order number; "
                         "from 3 characters, also numbers containing it")
    listing.add_argument("--label-pending", action="store_true",
                         help="only shipments waiting for their label, of every station, oldest first")
    listing.add_argument("--status", choices=STATUSES, help="only shipments in this state")
    listing.add_argument("--station", metavar="NAME", help="only shipments packed at this station")
    listing.add_argument("--limit", type=_positive, metavar="N", help=f"at most N rows (default {DEFAULT_LIMIT}; "
                         "every label-pending one with --label-pending)")
    listing.add_argument("--json", action="store_true", help="a JSON array (keys in the README)")
    listing.set_defaults(handler=list_command)
    overrides = sub.add_parser("weight-overrides", parents=[common],
                               help="packages whose weight a manager accepted out of range (today, or --days N)")
    overrides.add_argument("--days", type=_days, default=1, metavar="N",
                           help="the site's last N days, today included (default 1: today)")
    overrides.add_argument("--json", action="store_true", help="a JSON array, one object per package")
    overrides.set_defaults(handler=overrides_command)
    reprint = sub.add_parser("reprint", parents=[common], help="print a shipment's labels again on this "
                             "station's label printer (buys a missing EasyPost label first)")
    reprint.add_argument("reference", metavar="TRACKING|ORDER|ID",
                         help=REFERENCE_HELP + ", or the shipment's id (shipments list shows it)")
    reprint.add_argument("--station", help="print at this station (its label printer; default: this PC's)")
    reprint.add_argument("--label-printer", metavar="URI", help="print here instead of the station's label printer")
    sign_in.add_arguments(reprint, "anyone who may pack")
    reprint.set_defaults(handler=reprint_command)
    slip = sub.add_parser("slip", parents=[common], help="print a shipment's packing slip again (saved and opened "
                          "in the PDF viewer when there is no document printer)")
    slip.add_argument("reference", metavar="TRACKING|ORDER", help="a tracking number or an order number")
    slip.add_argument("--station", help="the station whose document printer prints it (default: this PC's)")
    slip.add_argument("--document-printer", metavar="URI", help="print it here instead")
    sign_in.add_arguments(slip, "anyone who may pack")
    slip.set_defaults(handler=slip_command)
    customs = sub.add_parser("customs", parents=[common], help="print a shipment's customs documents again (CN22 "
                             "or CN23 and the commercial invoice; saved when there is no document printer)")
    customs.add_argument("reference", metavar="TRACKING|ORDER", help="a tracking number or an order number")
    customs.add_argument("--station", help="the station whose document printer prints them (default: this PC's)")
    customs.add_argument("--document-printer", metavar="URI", help="print them here instead")
    sign_in.add_arguments(customs, "anyone who may pack")
    customs.set_defaults(handler=customs_command)
    void = sub.add_parser("void", parents=[common], help="void a shipment not yet on a manifest (manager or owner)")
    void.add_argument("reference", metavar="TRACKING|ORDER", help=REFERENCE_HELP)
    void.add_argument("--reason", required=True, help="why (kept with the shipment and in the audit log)")
    sign_in.add_arguments(void, "a manager or an owner", manager_alias=True)
    void.set_defaults(handler=void_command)


_positive = whole_number(1, 1_000_000)
_days = whole_number(1, 366)


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    if args.label_pending and args.status not in (None, ShipmentStatus.LABEL_PENDING.value):
        raise CommandError(f"--label-pending lists label-pending shipments; it cannot go with --status {args.status}.")
    app = context.app()
    limit = args.limit if args.limit is not None else None if args.label_pending else DEFAULT_LIMIT
    rows = app.shipping.search(args.search, label_pending=args.label_pending, status=args.status, limit=limit,
                               station=args.station)
    if args.json:
        print(json.dumps([row.as_json() for row in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        at = f" at {args.station}" if args.station else ""
        print(f"No shipment is waiting for its label{at}." if args.label_pending else "No shipment matches.")
    unit = app.site.weight_unit() if rows else "kg"
    for row in rows:
        print(_line(row, unit))
    if limit is not None and len(rows) == limit:
        print(f"(the first {limit} shown: --search, --status or --limit to see others)")
    return 0


def _line(row: ShipmentSummary, unit: str) -> str:
    tracking = ", ".join(row.tracking_numbers) or "(label not bought yet)"
    where = f"{row.station or '-'}  {row.created_by or '-'}"
    manifest = f"  manifest {row.manifest}" if row.manifest else ""
    void = f"  voided: {row.void_reason}" if row.void_reason else ""
    weight = format_weight(row.weight_g, unit)
    return (f"{row.id:>6}  {row.order_number:<12} {row.status.value:<13} {row.created_at.astimezone():%Y-%m-%d %H:%M}  "
            f"{row.service_name}  {tracking}  {row.packages} pkg {weight}  "
            f"{format_money(row.cost_minor, row.currency)}  {where}{manifest}{void}")


def overrides_command(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    today = app.reports.today()
    period = app.reports.period(today - dt.timedelta(days=args.days - 1), today)
    rows = app.shipping.weight_overrides(period.start_utc, period.end_utc)
    if args.json:
        print(json.dumps([_override_json(row) for row in rows], indent=2, ensure_ascii=False))
        return 0
    span = period.label()
    if not rows:
        print(f"No weight was accepted out of range in {span}.")
        return 0
    unit = app.site.weight_unit()
    print(f"Weights accepted out of range in {span}:")
    for row in rows:
        moment = row.accepted_at or row.shipped_at
        print(f"{row.order_number:<12} package {row.package}  {format_weight(row.measured_g, unit)} against "
              f"{format_weight(row.expected_g, unit)}  by {row.accepted_by}  {moment.astimezone():%Y-%m-%d %H:%M}  "
              f"{row.reason or '(no reason recorded)'}")
    return 0


def _override_json(row: WeightOverride) -> dict[str, object]:
    def iso(moment: dt.datetime | None) -> str | None:
        return None if moment is None else moment.astimezone(dt.UTC).isoformat()

    return {"order_number": row.order_number, "package": row.package, "tracking_number": row.tracking_number,
            "shipment_id": row.shipment_id, "measured_g": row.measured_g, "expected_g": row.expected_g,
            "min_g": row.min_g, "max_g": row.max_g, "accepted_by": row.accepted_by, "reason": row.reason,
            "accepted_at": iso(row.accepted_at), "shipped_at": iso(row.shipped_at), "station": row.station,
            "status": row.status.value}


def reprint_command(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app(label_printer=args.label_printer)
    actor = sign_in.sign_in(args, context, args.station)
    outcome = app.shipping.reprint(actor, args.reference)
    if outcome is None:  # only without a reference; the argument is required
        raise CommandError("Name the shipment: a tracking number or an order number.")
    return _report(outcome)


def _report(outcome: PrintOutcome) -> int:
    what = f"Shipment {outcome.shipment_id}, {outcome.what}"
    if outcome.simulated:
        print(f"{what}: label sent to the simulated printer ({outcome.printer}); nothing was printed on paper.")
        return 0
    if outcome.printed:
        print(f"{what}: label printed on {outcome.printer}.")
        return 0
    print(f"{what}: label NOT printed. {outcome.problem} It stays label pending.")
    return NOT_PRINTED


def slip_command(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app(document_printer=args.document_printer)
    delivery = app.shipping.print_slip(sign_in.sign_in(args, context, args.station), args.reference)
    print(delivery.message)
    return NOT_PRINTED if delivery.problem else 0


def customs_command(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app(document_printer=args.document_printer)
    delivery = app.shipping.print_customs(sign_in.sign_in(args, context, args.station), args.reference)
    print(delivery.message)
    return NOT_PRINTED if delivery.problem else 0


def void_command(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    if not args.reason.strip():
        raise CommandError("Say why the shipment is voided: --reason TEXT. Nothing changed.")
    manager = sign_in.sign_in(args, context)
    print(app.shipping.void(manager, args.reference, args.reason).message)
    return 0
