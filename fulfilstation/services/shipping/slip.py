"""Packing slips of shipments: read the slip's data, print it — after the shipment commit.

``packing_slip_for`` reads everything in one unit of work and returns plain data (no ORM
object leaves it). ``deliver_packing_slip`` is called only once the shipment is committed
(as labels are): a slip that fails to print changes nothing in the database and can simply
be printed again. Without a document printer the slip is saved as a PDF instead; a
document printer that files each document instead of printing it (``pdf://``: it tells its
``last_path``) reports the file, so the packer learns where the slip is. It never
raises for a printer failure: it returns the printer's ``user_message``, in words a packer
can act on.

Threading: both block (database, then printer): call them from a worker thread.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Carrier,
    CarrierService,
    Order,
    OrderLine,
    Package,
    PackageItem,
    Product,
    Shipment,
)
from fulfilstation.documents.packing_slip import PackingSlip, SlipLine, build_packing_slip
from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.ports import DeviceError, DocumentPrinter
from fulfilstation.services.shipping.carrier_choice import ship_from, ship_to
from fulfilstation.services.shipping.slip_split import SplitFamily, family_of
from fulfilstation.services.site.settings import paper_size


class ShipmentNotFound(LookupError):
    """No shipment has this id."""


def packing_slip_for(database: Database, shipment_id: int) -> PackingSlip:
    """The slip of one shipment: its order, every order line with the quantity in *this*
    shipment (0 for a line shipped elsewhere), the lots and serials recorded for it, and the
    tracking number of each package in package order. Raises ShipmentNotFound."""
    with database.unit_of_work() as session:
        shipment = session.get(Shipment, shipment_id)
        if shipment is None:
            raise ShipmentNotFound(f"There is no shipment {shipment_id}.")
        order = session.get_one(Order, shipment.order_id)
        service = session.execute(select(Carrier.name, CarrierService.name).join(
            CarrierService, CarrierService.carrier_id == Carrier.id).where(CarrierService.id == shipment.service_id)
        ).one()
        tracking = tuple(t for t in session.scalars(select(Package.tracking_number).where(
            Package.shipment_id == shipment_id).order_by(Package.sequence)) if t)
        ordered = order.ordered_at or order.created_at
        family = family_of(session, order.id)
        return PackingSlip(
            order_number=order.number, ship_from=ship_from(session), ship_to=ship_to(order),
            order_date=ordered.astimezone().date() if ordered else None, ship_by=order.ship_by,
            service=f"{service[0]} — {service[1]}",
            tracking_numbers=tracking or ((shipment.tracking_number,) if shipment.tracking_number else ()),
            lines=_lines(session, order.id, shipment_id, family), gift_message=order.gift_message or None,
            part_note=family.note if family is not None else None)


def _lines(session: Session, order_id: int, shipment_id: int, family: SplitFamily | None) -> tuple[SlipLine, ...]:
    items = session.execute(select(PackageItem.order_line_id, PackageItem.quantity, PackageItem.lot_code,
                                   PackageItem.serial_number)
                            .join(Package, Package.id == PackageItem.package_id)
                            .where(Package.shipment_id == shipment_id)
                            .order_by(Package.sequence, PackageItem.id)).all()
    shipped: dict[int, int] = defaultdict(int)
    lots: dict[int, dict[str, None]] = defaultdict(dict)  # dicts keep first-seen order without repeats
    serials: dict[int, dict[str, None]] = defaultdict(dict)
    for line_id, quantity, lot, serial in items:
        shipped[line_id] += quantity
        if lot:
            lots[line_id][lot] = None
        if serial:
            serials[line_id][serial] = None
    found = session.execute(select(OrderLine.id, OrderLine.quantity, Product.sku, Product.name,
                                   OrderLine.kit_line_id, OrderLine.line_no)
                            .join(Product, Product.id == OrderLine.product_id)
                            .where(OrderLine.order_id == order_id).order_by(OrderLine.line_no)).all()
    line_nos = {row[0]: row[5] for row in found}
    rows = [row[:5] for row in found]
    parts: dict[int, list[SlipLine]] = defaultdict(list)  # a kit line's components, listed right after it
    for line_id, quantity, sku, name, kit_line_id in rows:
        if kit_line_id is not None:
            parts[kit_line_id].append(SlipLine(sku, name, quantity, shipped[line_id], tuple(lots[line_id]),
                                               tuple(serials[line_id]), component=True))
    slip: list[tuple[int, SlipLine]] = []  # (line number, line); a kit's components right after it
    for line_id, quantity, sku, name, kit_line_id in rows:
        if kit_line_id is not None:
            continue  # listed under its kit
        if line_id in parts:  # a kit: as many shipped as its shipped components make
            kits = min(part.shipped * quantity // part.ordered for part in parts[line_id])
            kit = SlipLine(sku, name, quantity, kits, kit=True)
            if family is not None:
                kit, components = _in_family(kit, family, line_id), parts[line_id]
                parts[line_id] = [replace(part, ordered=part.ordered // quantity * kit.ordered,
                                          to_follow=part.ordered // quantity * kit.to_follow) for part in components]
            slip += [(line_nos[line_id], kit), *((line_nos[line_id], part) for part in parts[line_id])]
        else:
            line = SlipLine(sku, name, quantity, shipped[line_id], tuple(lots[line_id]), tuple(serials[line_id]))
            slip.append((line_nos[line_id], _in_family(line, family, line_id) if family is not None else line))
    if family is not None:  # the shop's lines that moved whole to another part: none of them in this parcel
        slip += [(x.line_no, SlipLine(x.sku, x.name, family.ordered[x.key], 0,
                                      to_follow=family.to_follow.get(x.key, 0))) for x in family.elsewhere]
        slip.sort(key=lambda item: item[0])  # stable: a kit's components stay after it
    return tuple(line for _no, line in slip)


def _in_family(line: SlipLine, family: SplitFamily, line_id: int) -> SlipLine:
    """``line`` with what the customer ordered of it in the shop and the units still to follow."""
    key = family.keys[line_id]
    return replace(line, ordered=family.ordered[key], to_follow=family.to_follow.get(key, 0))


@dataclass(frozen=True)
class SlipDelivery:
    """Where a packing slip went: printed, saved to a file (no document printer), or not (``problem``)."""

    printed: bool = False
    saved_to: Path | None = None
    problem: str | None = None
    opened: bool = False  # shown in the PDF viewer, to print from there
    filed_to: Path | None = None  # the document printer files documents (pdf://): the slip is this file

    @property
    def message(self) -> str:
        if self.problem:
            return self.problem
        if self.saved_to:
            shown = " and opened: print it from the viewer" if self.opened else ""
            return f"No document printer: packing slip saved to {self.saved_to}{shown}."
        if self.filed_to:
            return f"Packing slip saved to {self.filed_to}."
        return "Packing slip printed."


def deliver_packing_slip(database: Database, printer: DocumentPrinter | None, shipment_id: int,
                         save_dir: Path) -> SlipDelivery:
    """Build the shipment's slip and print it, or, without a document printer, save it in
    ``save_dir`` (``packing-slip-<order>.pdf``). Never raises for a printer or disk failure:
    the result's ``problem`` says what went wrong in plain language. Call only after the
    commit that recorded the shipment."""
    with database.unit_of_work() as session:
        status = session.scalar(select(Shipment.status).where(Shipment.id == shipment_id))
        paper = paper_size(session)
    if status is None:
        return SlipDelivery(problem=f"There is no shipment {shipment_id}: no packing slip was made.")
    slip = packing_slip_for(database, shipment_id)
    if status == ShipmentStatus.VOIDED.value:
        return SlipDelivery(problem=f"The shipment of order {slip.order_number} is void: its packing slip was not "
                            "made.")
    pdf = build_packing_slip(slip, page_size=paper)
    if printer is None:
        return _save(pdf, slip.order_number, save_dir)
    try:
        printer.print_pdf(pdf, f"packing slip {slip.order_number}")
    except DeviceError as exc:
        return SlipDelivery(problem=f"The packing slip of order {slip.order_number} did not print. "
                            f"{exc.user_message}")
    filed = getattr(printer, "last_path", None)  # a pdf:// printer: where it filed the slip
    return SlipDelivery(printed=True, filed_to=Path(filed) if isinstance(filed, (str, Path)) else None)


def _save(pdf: bytes, order_number: str, save_dir: Path) -> SlipDelivery:
    path = save_dir / f"packing-slip-{safe_file_part(order_number)}.pdf"
    try:
        save_dir.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
    except OSError as exc:
        return SlipDelivery(problem=f"No document printer is set up and the packing slip of order {order_number} "
                            f"could not be saved to {path} ({exc.strerror or exc}). Choose a document printer in "
                            "Device settings.")
    return SlipDelivery(saved_to=path)


def safe_file_part(text: str) -> str:
    """``text`` made safe as part of a file name on every system."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "document"
