"""Serials at the packing bench against the serials that came in on receipts.

The rule (issue #11): a packer scans a serial of a serial-tracked product.

* The product's serials are captured on receipt (it has ``serial_numbers`` rows) and this
  serial is not among them in stock → refused (``refusal``): it never came in, or it has
  left already.
* The product's serials were never captured → accepted, but reported (``unchecked_note``):
  the scan outcome and its scan event carry the note, nothing is blocked.

When the shipment is recorded the shipped serials are marked ``shipped`` (``mark_shipped``,
called by the ship transaction); a void puts them back in stock (``mark_returned``).
All of it runs inside the caller's transaction.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfilstation.db.models import SerialNumber
from fulfilstation.domain.enums import SerialStatus


def refusal(session: Session, product_id: int, sku: str, serial: str) -> str | None:
    """Why the serial must not be packed, or None (it is in stock, or serials of this
    product are not captured on receipt)."""
    status = session.scalar(select(SerialNumber.status).where(SerialNumber.product_id == product_id,
                                                             SerialNumber.serial == serial))
    if status == SerialStatus.IN_STOCK.value:
        return None
    if status == SerialStatus.SHIPPED.value:
        return (f"Serial {serial} of {sku} has already shipped: this unit cannot be sent again. Show it to a "
                "manager.")
    if _captured(session, product_id):
        return (f"Serial {serial} of {sku} never came in on a receipt: check the serial on the unit (scan it "
                "again), or set the unit aside and show it to a manager.")
    return None


def unchecked_note(session: Session, product_id: int, sku: str, serial: str) -> str | None:
    """The note for an accepted serial that could not be checked (the product's serials
    were never captured on receipt), else None."""
    if _captured(session, product_id):
        return None
    return f"Serial {serial} not checked: serials of {sku} were never captured on a receipt."


def mark_shipped(session: Session, product_id: int, serial: str, shipment_id: int) -> None:
    session.execute(update(SerialNumber).where(
        SerialNumber.product_id == product_id, SerialNumber.serial == serial,
        SerialNumber.status == SerialStatus.IN_STOCK.value)
        .values(status=SerialStatus.SHIPPED.value, shipment_id=shipment_id))


def mark_returned(session: Session, shipment_id: int) -> None:
    """A voided shipment's serials are in stock again."""
    session.execute(update(SerialNumber).where(SerialNumber.shipment_id == shipment_id)
                    .values(status=SerialStatus.IN_STOCK.value, shipment_id=None))


def _captured(session: Session, product_id: int) -> bool:
    return session.scalar(select(SerialNumber.id).where(SerialNumber.product_id == product_id).limit(1)) is not None
