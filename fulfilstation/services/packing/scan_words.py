"""The words a scan's outcome is told in at the bench (the decisions are ``scanning``'s).

A case barcode (pack quantity above 1) is named as a case — "case of 6 × Lavender Soap" —
so the packer knows six units were counted, not one. An order's number scanned mid-pack
is named as an order, with what to do about the one open. Pure except ``order_named``,
which reads within the scan's own transaction (no writes).
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fulfilstation.db.models import Order, PickList, PickListOrder


def item_words(name: str, quantity: int) -> str:
    """``name`` for a unit, "case of 6 × name" for a case barcode of 6."""
    return f"case of {quantity} × {name}" if quantity > 1 else name


def capitalised(text: str) -> str:
    """``text`` with its first letter upper case (the rest untouched: product names keep theirs)."""
    return text[:1].upper() + text[1:]


def order_named(session: Session, text: str) -> str | None:
    """The number of the order ``text`` names (its number or shop order id), if any."""
    number = session.scalar(select(Order.number).where(or_(Order.number == text, Order.external_id == text))
                            .limit(1))
    return str(number) if number is not None else None


def list_or_tote_named(session: Session, text: str) -> str | None:
    """What a pick list or tote barcode ``text`` names, in words ("pick list PL-00001", "tote
    T-00001-2 of SO-10017"), any case; None when it is neither."""
    listed = session.scalar(select(PickList.number).where(func.upper(PickList.number) == text.upper()).limit(1))
    if listed is not None:
        return f"pick list {listed}"
    tote = session.execute(select(PickListOrder.tote_code, Order.number)
                           .join(Order, Order.id == PickListOrder.order_id)
                           .where(func.upper(PickListOrder.tote_code) == text.upper())
                           .order_by(PickListOrder.id.desc()).limit(1)).first()
    return f"tote {tote[0]} of {tote[1]}" if tote is not None else None


def list_or_tote_scanned_message(what: str, packing: str) -> str:
    """What to say when a pick list or tote (``what``) is scanned while ``packing`` is open."""
    return f"That is {what}. Finish or set aside the order being packed ({packing}) before opening another."


def order_scanned_message(scanned: str, packing: str) -> str:
    """What to say when order ``scanned`` is scanned while ``packing`` is open at the station."""
    if scanned == packing:
        return f"{scanned} is the order being packed: scan its items."
    return (f"{scanned} is an order: finish or cancel {packing} first (Esc twice cancels), "
            f"then scan {scanned}.")


def too_many_message(name: str, quantity: int, ordered: int, already: int) -> str:
    """A scan of ``quantity`` units of ``name`` would go over the ``ordered`` count."""
    if quantity > 1:
        return (f"Too many {name}: this is a {item_words(name, quantity)}, the order wants {ordered}, "
                f"{already} already scanned. Open the case and scan single units.")
    return f"Too many {name}: the order wants {ordered}, {already} already scanned. Take the extra out."
