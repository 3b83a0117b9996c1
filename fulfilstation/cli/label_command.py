"""``fulfilstation label REF``: a shipment's package labels rendered again from the database.

REF is an order number (its latest shipment) or a tracking number (of the shipment or of
one of its packages). The labels are rebuilt with the same code the ship transaction uses
(``carrier_choice.label_for``), so the output is deterministic — same data, same bytes —
and ZPL at 203 dpi equals the stored labels unless the ship-from address, the order's
address or the service name changed since (then a note says so; the station's Reprint
always sends the stored label). ZPL formats are concatenated in package order; PDF is a
4 × 6 in page per label, or two labels per Letter/A4 page.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fulfilstation.carriers.numbering import tracking_range
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.db.database import Database
from fulfilstation.db.models import Carrier, CarrierAccount, CarrierService, Order, Package, Shipment
from fulfilstation.documents.labels import ShippingLabelData, render_pdf, render_zpl_many, shipping_label
from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.services.packing.carrier_choice import CarrierChoice, label_for


@dataclass(frozen=True)
class ShipmentLabels:
    order_number: str
    labels: tuple[ShippingLabelData, ...]
    stored_zpl: bytes  # the labels recorded at ship time, concatenated


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
    found = shipment_labels(context.database(), args.reference)
    if found is None:
        raise CommandError(f"No shipment found for {args.reference!r}: give an order number or a tracking number.",
                           code=1)
    descriptions = [shipping_label(label) for label in found.labels]
    if args.format == "zpl":
        data = render_zpl_many(descriptions, args.dpi)
        if args.dpi == 203 and data != found.stored_zpl:
            print("Note: the order, ship-from address or service changed since the labels were recorded, so this "
                  "file differs from them; Reprint at the station sends the recorded labels.", file=sys.stderr)
    else:
        sheet = "label" if args.size == "4x6" else args.size
        data = render_pdf(descriptions, sheet=sheet, title=f"Labels {found.order_number}")
    try:
        args.out.write_bytes(data)
    except OSError as exc:
        raise CommandError(f"Cannot write {args.out}: {exc.strerror or exc}") from exc
    count = len(found.labels)
    print(f"Wrote {count} label{'s' if count != 1 else ''} of order {found.order_number} to {args.out}")
    return 0


def shipment_labels(database: Database, reference: str) -> ShipmentLabels | None:
    """The label data of the shipment ``reference`` names, rebuilt from the database."""
    with database.unit_of_work() as session:
        shipment = _find(session, reference.strip())
        if shipment is None:
            return None
        order = session.get_one(Order, shipment.order_id)
        if shipment.status == ShipmentStatus.VOIDED.value:
            raise CommandError(f"The shipment of order {order.number} is void: its labels must not be used.", code=1)
        account = session.get_one(CarrierAccount, shipment.carrier_account_id)
        number_range = tracking_range(session, account)
        if number_range is None:
            raise CommandError(f"The carrier account {account.name!r} no longer has a tracking number range, so "
                               "its barcode cannot be rebuilt.", code=1)
        choice = CarrierChoice(carrier=session.get_one(Carrier, account.carrier_id), account=account,
                               service=session.get_one(CarrierService, shipment.service_id),
                               number_range=number_range)
        packages = session.scalars(select(Package).where(Package.shipment_id == shipment.id)
                                   .order_by(Package.sequence)).all()
        labels = tuple(label_for(session, choice, order, package.tracking_number or "", package.sequence,
                                 len(packages), package.weight_measured_g) for package in packages)
        stored = "".join(package.label_data or "" for package in packages).encode()
        return ShipmentLabels(order.number, labels, stored)


def _find(session: Session, reference: str) -> Shipment | None:
    by_order = session.scalar(select(Shipment).join(Order, Order.id == Shipment.order_id)
                              .where(Order.number == reference)
                              .order_by(Shipment.status == ShipmentStatus.VOIDED.value, Shipment.id.desc()).limit(1))
    if by_order is not None:
        return by_order
    return session.scalar(select(Shipment).outerjoin(Package, Package.shipment_id == Shipment.id)
                          .where(or_(Shipment.tracking_number == reference, Package.tracking_number == reference))
                          .limit(1))
