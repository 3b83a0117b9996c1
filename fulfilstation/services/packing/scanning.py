"""Deciding what a scan during a pack is, and verifying each item against the order.

One call, one transaction decides everything a scanned code can mean at the bench: a
serial or lot number the previous item is waiting for, a box type (plain-text codes that
name an active box: the package's box is chosen), or an item (a product barcode, checked
against the order). Every scan, accepted or not, is stored as a scan event in the same
transaction as the decision (a box choice as a ``command`` event), so the history explains
every count. A serial- or lot-tracked item scanned without that data is recorded as
*pending*; the next scan is then read as its serial number or lot code (a "lot" that is not in
stock but is an item, an order, a box or a badge is refused as what it is, the lot still
awaited). The scan is the signed-in actor's: the event names them, and the pack must be open
at their station.

Cost: the decision is made on the station's memo of the session (``memo``); the
transaction is one conditional UPDATE of the session row (``scan_count`` moves on only
from the value the memo knows, so a stale memo is noticed, rebuilt and the scan decided
again) and one INSERT. Catalogue look-ups happen only for codes that are not the order's.
A lot scan also checks the lot is in stock and moves the line's reservation onto it
(``lots``: a conditional UPDATE of the lot's stock level), in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import bindparam, insert, literal, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    BoxType,
    PackSession,
    Product,
    ProductBarcode,
    ScanEvent,
    ShippedSerial,
    StockLevel,
    User,
)
from fulfilstation.domain.box_fit import BoxOption
from fulfilstation.domain.enums import PackSessionStatus, ScanResult
from fulfilstation.domain.scan_codes import ScannedCode, interpret
from fulfilstation.services.packing import serials_received
from fulfilstation.services.packing.lots import lot_to_take, take_lot
from fulfilstation.services.packing.memo import (
    LineMemo,
    PackMemo,
    PendingMemo,
    box_option,
    forget,
    memo_for,
    reference,
    refresh_view,
)
from fulfilstation.services.packing.scan_words import (
    capitalised,
    item_words,
    list_or_tote_named,
    list_or_tote_scanned_message,
    order_named,
    order_scanned_message,
    too_many_message,
)
from fulfilstation.services.packing.views import PackRefused, Refusal, ScanOutcome
from fulfilstation.services.users.badges import site_badge_digest

_CLOSED = "This pack is finished. Scan the next order."
TRACKING_CODE_MAX = 64  # the longest lot or serial number the tables hold (``lot_code``, ``serial_number``)


@dataclass(frozen=True)
class Decision:
    result: ScanResult
    message: str
    refusal: Refusal | None = None
    line: LineMemo | None = None
    product_id: int | None = None
    quantity: int = 0
    serial: str | None = None
    lot: str | None = None
    expiry: dt.date | None = None
    box: tuple[int, BoxOption] | None = None  # (box type id, box) when the scan chose the package's box
    take: str | None = None  # pending a lot: which lot and bin to take
    note: str | None = None  # accepted, with something the packer should know (a serial not checked)


class _Stale(Exception):
    """The session row moved on since the memo was made (another process scanned)."""


def scan_item(database: Database, session_id: int, raw: str, symbology: str | None = None,
              today: dt.date | None = None, *, user_id: int, station_id: int | None) -> ScanOutcome:
    """Decide and record one scan by ``user_id`` at ``station_id`` (see the module doc)."""
    code = interpret(raw, symbology)
    for _attempt in range(3):
        memo = memo_for(database, session_id)
        if memo is None:
            raise PackRefused(Refusal.SESSION_CLOSED, _CLOSED)
        if memo.station_id != station_id:
            raise PackRefused(Refusal.NOT_ALLOWED, "This pack is open at another station: scan there, or scan "
                              "the order here once it is cancelled there.")
        try:
            return _scan(database, session_id, memo, raw, code, today or dt.date.today(), user_id)
        except _Stale:
            forget(database, session_id)
    raise PackRefused(Refusal.SESSION_CLOSED, "This pack is being changed from another place; scan again.")


def _scan(database: Database, session_id: int, memo: PackMemo, raw: str, code: ScannedCode,
          today: dt.date, user_id: int) -> ScanOutcome:
    with memo.lock:
        with database.unit_of_work() as session:
            _lock_session(database, session, session_id, memo.scan_count)
            decision = decide(session, memo, code, today)
            if decision.box is not None:
                session.connection().execute(_SET_BOX, {"session_id": session_id, "box_id": decision.box[0]})
            session.connection().execute(_INSERT_EVENT, _event(session_id, memo, raw, code, decision, user_id))
            boxes, tolerance = reference(database, session)
        memo.scan_count += 1
        _apply(memo, decision)
        view = refresh_view(memo, boxes, tolerance)
    accepted = decision.result in (ScanResult.ACCEPTED, ScanResult.COMMAND)
    return ScanOutcome(accepted, decision.message, decision.refusal, decision.result is ScanResult.PENDING, view,
                       box=decision.box[1].code if decision.box else None, note=decision.note)


# Built once: a scan is on the packer's critical path, and building SQL expressions costs
# more Python time than executing these two cached statements.
_LOCK_SESSION = update(PackSession).where(
    PackSession.id == bindparam("session_id"), PackSession.status == PackSessionStatus.OPEN.value,
    PackSession.scan_count == bindparam("expected_count")).values(scan_count=PackSession.scan_count + 1)
_INSERT_EVENT = insert(ScanEvent)
_SET_BOX = update(PackSession).where(PackSession.id == bindparam("session_id")).values(box_type_id=bindparam("box_id"))


def _lock_session(database: Database, session: Session, session_id: int, expected_count: int) -> None:
    moved = session.connection().execute(_LOCK_SESSION, {"session_id": session_id,
                                                         "expected_count": expected_count}).rowcount
    if moved:
        return
    status = session.scalar(select(PackSession.status).where(PackSession.id == session_id))
    if status != PackSessionStatus.OPEN.value:
        forget(database, session_id)
        raise PackRefused(Refusal.SESSION_CLOSED, _CLOSED)
    raise _Stale


def decide(session: Session, memo: PackMemo, code: ScannedCode, today: dt.date) -> Decision:
    if memo.pending is not None and not code.is_product_code:
        return _second_scan(session, memo, memo.pending, code, today)
    if memo.pending is None and code.may_be_box:
        box = _box_for(session, code.text.strip())
        if box is not None:
            return Decision(ScanResult.COMMAND, f"Box {box[1].code} chosen.", box=box)
    found = _product_for(session, memo, code)
    if found is None:
        order = order_named(session, code.text.strip())
        if order is not None:
            return Decision(ScanResult.REFUSED, order_scanned_message(order, memo.view.order_number),
                            Refusal.ANOTHER_ORDER)
        listed = list_or_tote_named(session, code.text.strip())
        if listed is not None:
            return Decision(ScanResult.REFUSED, list_or_tote_scanned_message(listed, memo.view.order_number),
                            Refusal.ANOTHER_ORDER)
        return Decision(ScanResult.REFUSED, f"Unknown barcode '{code.text}': this is not one of our products. "
                        "Put the item aside and show it to a manager.", Refusal.UNKNOWN_BARCODE)
    product_id, quantity, name = found
    if memo.pending is not None:
        return _item_while_pending(memo, memo.pending, product_id, quantity, name)
    line = memo.line_for_product(product_id)
    if line is None and product_id in memo.kit_refusals:  # a kit's own barcode: its parts are packed
        return Decision(ScanResult.REFUSED, memo.kit_refusals[product_id], Refusal.KIT_BARCODE, product_id=product_id)
    if line is None:
        return Decision(ScanResult.REFUSED, f"{capitalised(item_words(name, quantity))} is not on this order: "
                        "take it out of the parcel.",
                        Refusal.NOT_ON_ORDER, product_id=product_id)
    return _item_scan(session, memo, line, quantity, code, today)


def _item_while_pending(memo: PackMemo, pending: PendingMemo, product_id: int, quantity: int,
                        name: str) -> Decision:
    """An item scanned while ``pending`` awaits its lot or serial: refused, the wait goes on."""
    waiting = memo.lines[pending.line_id].name
    what = "serial number" if pending.kind == "serial" else "lot number"
    if memo.line_for_product(product_id) is None:
        return Decision(ScanResult.REFUSED, f"{capitalised(item_words(name, quantity))} is not on this order: "
                        f"first scan the {what} of {waiting}.", Refusal.NOT_ON_ORDER, product_id=product_id)
    refusal = Refusal.SERIAL_REQUIRED if pending.kind == "serial" else Refusal.LOT_REQUIRED
    return Decision(ScanResult.REFUSED, f"First scan the {what} of {waiting}, then the next item.", refusal)


def _not_a_lot(session: Session, memo: PackMemo, pending: PendingMemo, code: ScannedCode) -> Decision | None:
    """What a scan refused as a lot really is, when it is something else the bench knows (an
    item, an order, a box, a badge): the refusal that says so, the lot still awaited. Called
    only once the scan failed as a lot, so a good lot scan costs no look-up here."""
    value = code.text.strip()
    found = _product_for(session, memo, code)
    if found is not None:
        return _item_while_pending(memo, pending, *found)
    order = order_named(session, value)
    if order is not None:
        return Decision(ScanResult.REFUSED, order_scanned_message(order, memo.view.order_number),
                        Refusal.ANOTHER_ORDER)
    waiting = memo.lines[pending.line_id].name
    if code.may_be_box and _box_for(session, value) is not None:
        return Decision(ScanResult.REFUSED, f"{value} is a box: first scan the lot number of {waiting}.",
                        Refusal.LOT_REQUIRED)
    digest = site_badge_digest(session, value)
    if session.scalar(select(User.id).where(User.badge_digest == digest, User.active.is_(True))):
        return Decision(ScanResult.REFUSED, f"{value} is a badge, not a lot number: scan the lot number of "
                        f"{waiting}.", Refusal.LOT_REQUIRED)
    return None


def _item_scan(session: Session, memo: PackMemo, line: LineMemo, quantity: int, code: ScannedCode,
               today: dt.date) -> Decision:
    already = memo.scanned.get(line.line_id, 0)
    if already + quantity > line.ordered:
        return Decision(ScanResult.REFUSED, too_many_message(line.name, quantity, line.ordered, already),
                        Refusal.OVER_QUANTITY, line, line.product_id)
    expired = _expired(session, line, code.lot, code.expiry, today)
    if expired:
        return Decision(ScanResult.REFUSED, expired, Refusal.EXPIRED_LOT, line, line.product_id)
    if line.serial_tracked and code.serial is None:
        if quantity > 1:
            return Decision(ScanResult.REFUSED, f"{line.name} has serial numbers: scan each unit, not the case.",
                            Refusal.SERIAL_REQUIRED, line, line.product_id)
        return Decision(ScanResult.PENDING, f"Now scan the serial number of {line.name}.",
                        Refusal.SERIAL_REQUIRED, line, line.product_id, expiry=code.expiry, lot=code.lot)
    if line.serial_tracked and code.serial is not None:
        problem = _serial_problem(session, memo, line, code.serial)
        if problem:
            return problem
    if line.lot_tracked and code.lot is None:
        return _lot_pending(session, memo, line, code.serial, code.expiry)
    if line.lot_tracked and code.lot is not None:
        problem = _lot_problem(session, memo, line, code.lot, quantity)
        if problem:
            return problem
    return _noted(session, line, Decision(ScanResult.ACCEPTED, f"{capitalised(item_words(line.name, quantity))} ✓ "
                                          f"({already + quantity} of {line.ordered})", None, line,
                                          line.product_id, quantity, code.serial, code.lot, code.expiry))


def _second_scan(session: Session, memo: PackMemo, pending: PendingMemo, code: ScannedCode,
                 today: dt.date) -> Decision:
    line = memo.lines[pending.line_id]
    value = code.text.strip()
    if len(value) > TRACKING_CODE_MAX:  # a stray scan (a URL, a label's data): never a lot or serial
        return Decision(ScanResult.REFUSED, f"That scan ({len(value)} characters) is not a {pending.kind} number: "
                        f"one has at most {TRACKING_CODE_MAX}. Scan the {pending.kind} number of {line.name}.",
                        Refusal.SERIAL_REQUIRED if pending.kind == "serial" else Refusal.LOT_REQUIRED,
                        line, line.product_id)
    serial, lot = pending.serial, pending.lot
    if pending.kind == "serial":
        problem = _serial_problem(session, memo, line, value)
        if problem:
            return problem
        serial = value
    else:
        lot = value
        expired = _expired(session, line, lot, pending.expiry, today)
        if expired:
            return Decision(ScanResult.REFUSED, expired, Refusal.EXPIRED_LOT, line, line.product_id)
    if line.lot_tracked and not lot:
        return _lot_pending(session, memo, line, serial, pending.expiry)
    if line.lot_tracked and lot:
        problem = _lot_problem(session, memo, line, lot, 1)
        if problem:
            return (_not_a_lot(session, memo, pending, code) if pending.kind == "lot" else None) or problem
    already = memo.scanned.get(line.line_id, 0)
    return _noted(session, line, Decision(ScanResult.ACCEPTED, f"{line.name} ✓ ({already + 1} of {line.ordered})",
                                          None, line, line.product_id, 1, serial, lot, pending.expiry))


def _serial_problem(session: Session, memo: PackMemo, line: LineMemo, serial: str) -> Decision | None:
    if (line.product_id, serial) in memo.serials:
        return Decision(ScanResult.REFUSED, f"Serial {serial} was already scanned in this order: scan the next "
                        "unit's serial.", Refusal.SERIAL_REPEATED, product_id=line.product_id)
    if session.scalar(select(ShippedSerial.id).where(ShippedSerial.product_id == line.product_id,
                                                      ShippedSerial.serial_number == serial)):
        return Decision(ScanResult.REFUSED, f"Serial {serial} of {line.name} has already shipped: this unit "
                        "cannot be sent again. Show it to a manager.", Refusal.SERIAL_ALREADY_SHIPPED,
                        product_id=line.product_id)
    never = serials_received.refusal(session, line.product_id, line.sku, serial)
    if never:
        return Decision(ScanResult.REFUSED, never, Refusal.SERIAL_NOT_RECEIVED, product_id=line.product_id)
    return None


def _noted(session: Session, line: LineMemo, decision: Decision) -> Decision:
    """An accepted serial that could not be checked against receipts: said, not blocked."""
    if not decision.serial:
        return decision
    note = serials_received.unchecked_note(session, line.product_id, line.sku, decision.serial)
    return replace(decision, message=f"{decision.message} ({note})", note=note) if note else decision


def _lot_pending(session: Session, memo: PackMemo, line: LineMemo, serial: str | None,
                 expiry: dt.date | None) -> Decision:
    """Wait for the lot; the prompt names the lot and bin to take (first expiry first)."""
    take = lot_to_take(session, memo.view.session_id, line.line_id, line.product_id)
    prompt = f"Now scan the lot number of {line.name}" + (f": take {take}." if take else ".")
    return Decision(ScanResult.PENDING, prompt, Refusal.LOT_REQUIRED, line, line.product_id, serial=serial,
                    expiry=expiry, take=take)


def _lot_problem(session: Session, memo: PackMemo, line: LineMemo, lot: str, quantity: int) -> Decision | None:
    """None when ``lot`` is in stock and the line's reservation now covers it, else the refusal."""
    problem = take_lot(session, memo.view.session_id, line.line_id, line.product_id, line.name, lot, quantity)
    if problem is None:
        return None
    return Decision(ScanResult.REFUSED, problem, Refusal.LOT_NOT_IN_STOCK, line, line.product_id, lot=lot)


def _expired(session: Session, line: LineMemo, lot: str | None, expiry: dt.date | None,
             today: dt.date) -> str | None:
    if expiry is None and lot and line.lot_tracked:
        expiry = session.scalar(select(StockLevel.expiry_date).where(
            StockLevel.product_id == line.product_id, StockLevel.lot_code == lot).limit(1))
    if expiry is not None and expiry < today:
        which = f"{line.name} lot {lot}" if lot else line.name
        return f"{which} expired on {expiry.isoformat()}: do not ship it. Take a unit from another lot."
    return None


def _product_for(session: Session, memo: PackMemo, code: ScannedCode) -> tuple[int, int, str] | None:
    """(product id, pack quantity, name): from the memo for the order's own products,
    else from the catalogue (a wrong item, or an unknown code). A product's SKU scans as one
    unit of it (the label ``labels.print_product_labels`` prints for a product that has no
    barcode carries its SKU) unless some product has it as a barcode."""
    key = code.gtin14 or code.text
    if key in memo.barcodes:
        product_id, quantity = memo.barcodes[key]
        line = memo.line_for_product(product_id)
        return product_id, quantity, line.name if line else ""
    row = session.execute(select(Product.id, ProductBarcode.pack_quantity, Product.name)
                          .join(ProductBarcode, ProductBarcode.product_id == Product.id)
                          .where(ProductBarcode.code == key)).first()
    if row is None:  # a product label printed for an item without a barcode carries its SKU (maybe all digits)
        row = session.execute(select(Product.id, literal(1), Product.name).where(Product.sku == code.text)).first()
    return (int(row[0]), int(row[1]), str(row[2])) if row else None


def _box_for(session: Session, text: str) -> tuple[int, BoxOption] | None:
    """(id, box) of the active box type ``text`` names, if any."""
    box = session.scalar(select(BoxType).where(BoxType.code == text, BoxType.active.is_(True)))
    return (box.id, box_option(box)) if box is not None else None


def _apply(memo: PackMemo, decision: Decision) -> None:
    """Bring the memo in line with what was just committed."""
    if decision.box is not None:
        memo.box = decision.box[1]
        return
    if decision.result is ScanResult.PENDING and decision.line is not None:
        kind = "serial" if decision.refusal is Refusal.SERIAL_REQUIRED else "lot"
        memo.pending = PendingMemo(kind, decision.line.line_id, decision.line.product_id, decision.serial,
                                   decision.lot, decision.expiry, decision.take)
    elif decision.result is ScanResult.ACCEPTED and decision.line is not None:
        line_id = decision.line.line_id
        memo.scanned[line_id] = memo.scanned.get(line_id, 0) + decision.quantity
        memo.in_package[line_id] = memo.in_package.get(line_id, 0) + decision.quantity
        if decision.serial:
            memo.serials.add((decision.line.product_id, decision.serial))
        if decision.lot and decision.lot not in (taken := memo.lots.setdefault(line_id, [])):
            taken.append(decision.lot)
        memo.pending = None


def _event(session_id: int, memo: PackMemo, raw: str, code: ScannedCode, decision: Decision,
           user_id: int) -> dict[str, object]:
    """The ``scan_events`` row of this scan (column defaults, e.g. ``created_at``, apply)."""
    return dict(
        pack_session_id=session_id, station_id=memo.station_id, user_id=user_id, raw=raw[:500],
        symbology=code.symbology, gtin=code.gtin14, product_id=decision.product_id,
        order_line_id=decision.line.line_id if decision.line else None, quantity=decision.quantity,
        package_sequence=memo.view.package_sequence, lot_code=decision.lot, serial_number=decision.serial,
        expiry_date=decision.expiry, result=decision.result.value,
        refusal=decision.refusal.value if decision.refusal else None, message=decision.message,
    )
