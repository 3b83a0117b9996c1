"""``fulfilstation labels …``: bin and product labels, to files or the station's label printer.

``labels bins [CODE…|--zone Z|--all] [--zpl-out F] [--pdf-out F] [--paper a4|letter] [--print]``
— one 2 x 1 in label per bin (the codes named, else the active bins of the zone, else every
active bin, in walking order): ZPL, a PDF sheet (a grid on A4 or Letter), and/or printed.

``labels product SKU [--lot L --expiry YYYY-MM-DD] [--size 2x1|4x4] [--copies N] [--zpl-out F]
[--pdf-out F] [--sheet label|a4|letter] [--print]`` — the product's labels with the barcode it
has (SKU or one of its barcodes names it).

Writing files needs no sign-in; ``--print`` signs in (a packer may: receiving prints labels)
and prints on the station's label printer (``--station``, default this PC's;
``--label-printer URI`` overrides). Exit 0 done, 1 refused (the message says why), 2 usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.cli.numbers import whole_number
from fulfilstation.services.app import AppServices


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    labels = commands.add_parser("labels", help="bin and product labels: ZPL, PDF or the station's label printer")
    sub = labels.add_subparsers(dest="labels_command", required=True, metavar="WHAT")
    bins = sub.add_parser("bins", parents=[common], help="2 x 1 in bin labels (Code 128 of the bin code)")
    bins.add_argument("codes", nargs="*", metavar="CODE", help="the bins to label (default: see --zone, --all)")
    chosen = bins.add_mutually_exclusive_group()
    chosen.add_argument("--zone", help="every active bin of this zone")
    chosen.add_argument("--all", action="store_true", help="every active bin")
    bins.add_argument("--paper", choices=("letter", "a4"), default="letter", help="the PDF sheet's paper")
    _outputs(bins)
    bins.set_defaults(handler=bins_command)
    product = sub.add_parser("product", parents=[common], help="product labels with the product's own barcode")
    product.add_argument("sku", help="the product's SKU (or one of its barcodes)")
    product.add_argument("--lot", help="the lot (lot-tracked products): a GS1-128 with (01), (17) and (10)")
    product.add_argument("--expiry", type=_date, metavar="YYYY-MM-DD", help="the lot's expiry date")
    product.add_argument("--size", choices=("2x1", "4x4"), default="2x1", help="label size in inches (default 2x1)")
    product.add_argument("--copies", type=whole_number(1, 500, "copies"), default=1, help="how many (default 1)")
    product.add_argument("--sheet", choices=("label", "a4", "letter"), default="label",
                         help="PDF: a page per label (default), or a grid on a4/letter paper")
    _outputs(product)
    product.set_defaults(handler=product_command)


def _outputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--zpl-out", type=Path, metavar="FILE", help="write the labels as ZPL (203 dpi)")
    parser.add_argument("--pdf-out", type=Path, metavar="FILE", help="write the labels as PDF")
    parser.add_argument("--print", action="store_true", help="print on the station's label printer (signs in)")
    parser.add_argument("--station", help="print at this station (default: this PC's)")
    parser.add_argument("--label-printer", metavar="URI", help="print here instead of the station's label printer")
    sign_in.add_arguments(parser, "anyone who receives goods (with --print)")


def _check_outputs(args: argparse.Namespace) -> None:
    if not (args.zpl_out or args.pdf_out or args.print):
        raise CommandError("Say where the labels go: --zpl-out FILE, --pdf-out FILE and/or --print.")


def bins_command(args: argparse.Namespace, context: CliContext) -> int:
    _check_outputs(args)
    if args.codes and (args.zone or args.all):
        raise CommandError("Name bins, or give --zone or --all, not both.")
    if not (args.codes or args.zone or args.all):
        raise CommandError("Which bins? Name them (CODE …), or give --zone ZONE or --all.")
    app = context.app(label_printer=args.label_printer)
    codes, zone = list(args.codes), args.zone
    if args.zpl_out:
        _write(args.zpl_out, app.labels.bin_labels_zpl(codes, zone), "bin labels (ZPL)")
    if args.pdf_out:
        _write(args.pdf_out, app.labels.bin_label_sheet(codes, zone, args.paper), f"bin label sheet ({args.paper})")
    if args.print:
        printed = app.labels.print_bin_labels(sign_in.sign_in(args, context, args.station), codes, zone)
        print(printed.message)
    return 0


def product_command(args: argparse.Namespace, context: CliContext) -> int:
    _check_outputs(args)
    app: AppServices = context.app(label_printer=args.label_printer)
    wanted = (args.sku, args.copies, args.lot, args.expiry, args.size)
    if args.zpl_out:
        _write(args.zpl_out, app.labels.product_labels_zpl(*wanted), "product labels (ZPL)")
    if args.pdf_out:
        _write(args.pdf_out, app.labels.product_label_pdf(*wanted, sheet=args.sheet), "product labels (PDF)")
    if args.print:
        printed = app.labels.print_product_labels(sign_in.sign_in(args, context, args.station), *wanted)
        print(printed.message)
    return 0


def _write(path: Path, data: bytes, what: str) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise CommandError(f"Cannot write {path}: {exc.strerror or exc}", code=1) from exc
    print(f"Wrote {what} to {path}")
