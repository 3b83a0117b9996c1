"""``fulfilstation manifest …``: end-of-day close-out without the window.

``manifest close`` refuses (exit 1, listing them) while shipments of that carrier account
wait for their label (label pending): reprint them (``shipments reprint ID``) or, when a
label is on its parcel already (printed on another printer), confirm that shipment with
``--confirm-printed ID`` (repeat for each; audited). It commits the manifest first and
writes the PDF (and CSV) only after; if a file cannot be written the manifest stays closed
and ``manifest reprint`` makes it again.
For an EasyPost account the scan form is asked for after the commit; its id is printed (and
shown on the PDF), or, when EasyPost failed, why and the retry: ``manifest scan-form NUMBER``
(``--id sf_…`` records a form found in the EasyPost dashboard instead).
Closing and scan forms are a manager's or owner's: they sign in (``--user`` with ``--pin``,
``--badge`` or ``$FULFIL_PIN``). Exit status: 0 done, 1 refused (nothing to close, unknown
carrier, not a manager …), 2 no way to sign in, 3 closed but a file was not written, 4
closed (files written) but the EasyPost scan form is missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.domain.units import format_weight
from fulfilstation.domain.words import noun, plural
from fulfilstation.services.app import AppServices
from fulfilstation.services.manifests import LabelsPendingRefused, ManifestInfo

FILE_NOT_WRITTEN = 3
SCAN_FORM_MISSING = 4


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    manifest = commands.add_parser("manifest", help="end-of-day close-out: manifests for the carriers' drivers")
    sub = manifest.add_subparsers(dest="manifest_command", required=True, metavar="COMMAND")
    close = sub.add_parser("close", parents=[common], help="put a carrier's open shipments on a manifest")
    close.add_argument("--carrier", required=True, metavar="CODE", help="carrier code (ups, usps, fedex, courier …)")
    close.add_argument("--account", metavar="ID", help="the carrier account (number or id) when it has several")
    close.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="the day to close (default: today)")
    close.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help="write the manifest PDF here")
    close.add_argument("--csv", type=Path, metavar="FILE.csv", help="also write its rows as CSV")
    close.add_argument("--confirm-printed", type=int, action="append", default=[], metavar="ID",
                       help="a label-pending shipment whose label is on its parcel (printed elsewhere); repeat")
    sign_in.add_arguments(close, "a manager or an owner")
    close.set_defaults(handler=close_command)
    opened = sub.add_parser("open", parents=[common], help="shipments not yet on a manifest, per carrier account")
    opened.add_argument("--carrier", metavar="CODE", help="only this carrier")
    opened.set_defaults(handler=open_command)
    listing = sub.add_parser("list", parents=[common], help="closed manifests, newest first")
    listing.add_argument("--carrier", metavar="CODE", help="only this carrier")
    listing.set_defaults(handler=list_command)
    reprint = sub.add_parser("reprint", parents=[common], help="write a closed manifest's PDF (and CSV) again")
    reprint.add_argument("number", help="the manifest number, e.g. M-UPS-20261202-1")
    reprint.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    reprint.add_argument("--csv", type=Path, metavar="FILE.csv")
    reprint.set_defaults(handler=reprint_command)
    scan = sub.add_parser("scan-form", parents=[common], help="make the missing EasyPost scan form of a closed "
                          "manifest (or record one found in the EasyPost dashboard)")
    scan.add_argument("number", help="the manifest number, e.g. M-EPUSPS-20261202-1")
    scan.add_argument("--id", dest="form_id", metavar="sf_…", help="record this scan form instead of asking "
                      "EasyPost for one (after a timeout EasyPost may have made it)")
    scan.add_argument("--url", dest="form_url", metavar="URL", help="with --id: the scan form's web address")
    sign_in.add_arguments(scan, "a manager or an owner")
    scan.set_defaults(handler=scan_form_command)


def _weight(grams: int) -> str:
    return f"{format_weight(grams, 'lb')} ({grams} g)"


def close_command(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    try:
        closed = app.manifests.close(sign_in.sign_in(args, context), args.carrier, args.account, args.date,
                                     confirmed_printed=args.confirm_printed)
    except LabelsPendingRefused as refused:
        lines = "\n".join(f"  {label.shipment_id:>6}  {label.order_number:<12} {label.tracking_number:<24} "
                          f"{label.station or '-':<10} {label.created_at.astimezone():%Y-%m-%d %H:%M}"
                          for label in refused.pending)
        confirm = " ".join(f"--confirm-printed {label.shipment_id}" for label in refused.pending)
        raise CommandError(f"{len(refused.pending)} shipment{'s' if len(refused.pending) != 1 else ''} of "
                           f"{args.carrier} {'are' if len(refused.pending) != 1 else 'is'} label pending; no manifest "
                           f"was made:\n      ID  ORDER        TRACKING                 STATION    PACKED\n{lines}\n"
                           "Reprint each (fulfilstation shipments reprint ID), or, if its label is on the parcel "
                           f"already, close again with {confirm}", code=1) from refused
    info = closed.info
    print(f"Manifest {info.number}: {plural(info.package_count, 'package')} in "
          f"{plural(info.shipment_count, 'shipment')}, "
          f"{_weight(info.total_weight_g)} — {info.carrier_name} account {info.account_number}, "
          f"{info.manifest_date:%Y-%m-%d}")
    _print_scan_form(info)
    if closed.pdf is None:
        print(closed.pdf_problem)
        return FILE_NOT_WRITTEN
    status = _write(app, info, args.out, args.csv, pdf=closed.pdf)
    return status or (SCAN_FORM_MISSING if info.scan_form_missing else 0)


def scan_form_command(args: argparse.Namespace, context: CliContext) -> int:
    if args.form_url and not args.form_id:
        raise CommandError("--url goes with --id (the scan form found in the EasyPost dashboard).", code=2)
    manifests = context.app().manifests
    info = manifests.find(args.number)
    manager = sign_in.sign_in(args, context)
    if args.form_id:
        info = manifests.record_scan_form(manager, info.id, args.form_id, args.form_url)
    else:
        info = manifests.attach_scan_form(manager, info.id)
    _print_scan_form(info)
    if info.scan_form_missing:
        return SCAN_FORM_MISSING
    print(f"Print the manifest again to show it: fulfilstation manifest reprint {info.number} --out FILE.pdf")
    return 0


def _print_scan_form(info: ManifestInfo) -> None:
    note = info.scan_form_note
    if note is None:
        return
    url = f" ({info.scan_form_url})" if info.scan_form_id and info.scan_form_url else ""
    print(f"{note}{url}")


def reprint_command(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    return _write(app, app.manifests.find(args.number), args.out, args.csv)


def _write(app: AppServices, info: ManifestInfo, pdf_path: Path, csv_path: Path | None,
           pdf: bytes | None = None) -> int:
    """Write the PDF (``pdf``, else made again from the closed manifest) and the CSV."""
    outputs: list[tuple[Path, Callable[[], bytes]]] = [
        (pdf_path, (lambda: pdf) if pdf is not None else (lambda: app.manifests.pdf(info.id)))]
    if csv_path is not None:
        outputs.append((csv_path, lambda: app.manifests.csv(info.id)))
    status = 0
    for path, build in outputs:
        try:
            path.write_bytes(build())
        except OSError as exc:
            print(f"Manifest {info.number} is closed, but {path} could not be written ({exc.strerror or exc}). "
                  f"Write it again with: fulfilstation manifest reprint {info.number} --out FILE.pdf")
            status = FILE_NOT_WRITTEN
        else:
            print(f"Wrote {path}")
    return status


def open_command(args: argparse.Namespace, context: CliContext) -> int:
    groups = context.app().manifests.open_shipments(args.carrier)
    if not groups:
        print("Nothing to close: every shipment is on a manifest (or void).")
    for group in groups:
        unprinted = f"  ({plural(group.unprinted, 'label')} not printed)" if group.unprinted else ""
        print(f"{group.carrier_code:<8} account {group.account_number:<12} (id {group.account_id}) "
              f"{group.shipments:>5} {noun(group.shipments, 'shipment'):<9} {group.packages:>5} "
              f"{noun(group.packages, 'package'):<8}  {_weight(group.weight_g)}{unprinted}")
    return 0


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    manifests = context.app().manifests.past(args.carrier)
    if not manifests:
        print("No manifest has been closed yet.")
    for info in manifests:
        by = f"  by {info.closed_by}" if info.closed_by else ""
        form = (f"  scan form {info.scan_form_id}" if info.scan_form_id else
                "  scan form MISSING (manifest scan-form)" if info.scan_form_missing else "")
        print(f"{info.number:<26} {info.manifest_date:%Y-%m-%d} {info.carrier_code:<8} {info.account_number:<12} "
              f"{info.package_count:>5} {noun(info.package_count, 'package'):<8}  "
              f"{_weight(info.total_weight_g)}  closed "
              f"{info.closed_at.astimezone():%Y-%m-%d %H:%M}{by}{form}")
    return 0
