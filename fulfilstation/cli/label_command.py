"""``fulfilstation label REF``: a shipment's package labels rendered again from the database.

REF is an order number (its latest shipment) or a tracking number (of the shipment or of
one of its packages). The labels are rebuilt (``app.shipping.labels``) with the same code the
ship transaction uses, so the output is deterministic — same data, same bytes — and ZPL at
203 dpi equals the stored labels unless the ship-from address, the order's address or the
service name changed since (then a note says so; the station's Reprint always sends the
stored label). ZPL formats are concatenated in package order; PDF is a
4 × 6 in page per label, or two labels per Letter/A4 page. A label bought from a carrier
API is written as the carrier sent it (ZPL only).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.documents.labels import render_pdf, render_zpl_many
from fulfilstation.domain.words import plural


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    label = commands.add_parser("label", parents=[common], help="write a shipment's labels (ZPL or PDF) to a file")
    label.add_argument("reference", metavar="ORDER_OR_TRACKING", help="order number or tracking number")
    label.add_argument("--format", choices=("zpl", "pdf"), default="zpl", help="zpl (default) or pdf")
    label.add_argument("--dpi", type=int, choices=(203, 300), default=203, help="ZPL resolution (default 203)")
    label.add_argument("--size", choices=("4x6", "letter", "a4"), default="4x6",
                       help="PDF page: a 4x6 in page per label (default), or two labels per letter/a4 page")
    label.add_argument("--out", required=True, type=Path, metavar="FILE", help="file to write")
    label.set_defaults(handler=write_labels)


def write_labels(args: argparse.Namespace, context: CliContext) -> int:
    if args.format == "zpl" and args.size != "4x6":
        raise CommandError("ZPL labels are 4x6 in: --size letter or a4 is for --format pdf.")
    found = context.app().shipping.labels(args.reference)
    if found is None:
        raise CommandError(f"No shipment found for {args.reference!r}: give an order number or a tracking number.",
                           code=1)
    if found.voided:
        raise CommandError(f"The shipment of order {found.order_number} is void: its labels must not be used.",
                           code=1)
    descriptions = list(found.descriptions)
    if not descriptions and args.format != "zpl":
        raise CommandError(f"The labels of order {found.order_number} were bought from the carrier in ZPL: "
                               "write them with --format zpl.", code=1)
    if args.format == "zpl":
        stored = b"".join(found.stored_zpl)
        data = render_zpl_many(descriptions, args.dpi) if descriptions else stored
        if descriptions and args.dpi == 203 and data != stored:
            print("Note: the order, ship-from address or service changed since the labels were recorded, so this "
                  "file differs from them; Reprint at the station sends the recorded labels.", file=sys.stderr)
    else:
        sheet = "label" if args.size == "4x6" else args.size
        data = render_pdf(descriptions, sheet=sheet, title=f"Labels {found.order_number}")
    try:
        args.out.write_bytes(data)
    except OSError as exc:
        raise CommandError(f"Cannot write {args.out}: {exc.strerror or exc}") from exc
    count = len(found.stored_zpl)
    print(f"Wrote {plural(count, 'label')} of order {found.order_number} to {args.out}")
    return 0
