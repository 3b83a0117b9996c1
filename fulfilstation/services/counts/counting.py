"""Counting a bin: the counter scans the bin (it must be on the count), then every item
(a product barcode counts one unit, a case barcode its pack quantity, a SKU label one),
or types a quantity; "bin done" records the whole bin.

Rules: ``count_bin`` records ``counted_quantity`` for every line of the bin — 0 for a
product of the bin not scanned — and adds a line for a product found that was not on the
count (expected 0). ``count_line`` records one line (a typed figure) and leaves the others.
A lot comes from the scan (GS1 AI 10) or is typed, and must be a lot the system knows for
the product (else ``unknown-lot``, naming the bin's lots); a product scanned without a lot
takes the bin's only lot of it — the count's lines and the bin's levels now — and several
lots are refused (``lot-needed``: scan the lot label or type the lot). "Bin done" covers every
level of the bin at that moment: a level that arrived after the count was created is added
(unless it is on another open count). The bin's own label among the scans is ignored (the
sheet says: scan the bin, then every item in it). Recounting overwrites (audited with the
figure it replaces: ``from`` and ``to``). A count waiting for a manager's approval is refused to
counters (``needs-approval``): the manager approves it, cancels it or sends it back. Kits hold no stock and are refused.

Invariants: one transaction per call. Its first statement holds the count's row
(``holding.hold_open``: status becomes ``counting``), so a count being completed is never
recorded into after its posting. Each line recorded stores ``system_quantity`` = the
system's figure AT THAT MOMENT — on hand less units in totes (``in_totes``) — read in ONE
statement for every level of the bin, in this transaction: the variance posted later is
counted − that figure, so moves made after the count are kept. Audit entry
``counts.bin_counted`` (counted figures only: the entry names no expected figure).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, CycleCount, CycleCountLine, Product, StockLevel, StockMove
from fulfilstation.domain.roles import Permission
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.counts.holding import OPEN_STATES, hold_open
from fulfilstation.services.counts.lookup import bin_named, product_named
from fulfilstation.services.counts.refusal import CountsRefused
from fulfilstation.services.counts.views import BinCounted, CountedLine, ScannedItem
from fulfilstation.services.stock.in_totes import system_quantity
from fulfilstation.services.stock.lookup import identify, is_kit
from fulfilstation.services.stock.refusal import StockRefused

MAX_UNITS = 1_000_000


def scanned_item(session: Session, code: str) -> ScannedItem:
    """What a code scanned while counting is (a product: never a bin); CountsRefused otherwise."""
    try:
        target = identify(session, code)
    except StockRefused as refused:
        raise CountsRefused("unknown-code", refused.message) from None
    if target.kind != "product":
        raise CountsRefused("bin-scanned", f"{target.code} is a bin: finish this bin first (bin done), then scan "
                            "the next bin.")
    return ScannedItem(target.code, target.name, target.units, target.lot)


def count_bin(database: Database, actor: Actor, number: str, bin_code: str, scans: Sequence[str],
              typed: Sequence[tuple[str, int]], now: dt.datetime) -> BinCounted:
    with database.unit_of_work() as session:
        count = _held_for(session, actor, number)
        bin_ = _bin_on_count(session, count, bin_code)
        units: dict[tuple[int, str | None], int] = {}
        for code in scans:
            if code.strip().upper() == bin_.code.upper():
                continue  # the bin's own label (scanned first, or again to say "done"): not an item
            item = scanned_item(session, code)
            product = product_named(session, item.sku)
            key = (product.id, item.lot)
            units[key] = units.get(key, 0) + item.units
        for sku, quantity in typed:
            product = product_named(session, sku)
            _check_quantity(quantity)
            units[(product.id, None)] = units.get((product.id, None), 0) + quantity
        return _record(session, actor, count, bin_, units, now, whole_bin=True)


def count_line(database: Database, actor: Actor, number: str, bin_code: str, sku: str, quantity: int,
               lot: str | None, now: dt.datetime) -> BinCounted:
    _check_quantity(quantity)
    with database.unit_of_work() as session:
        count = _held_for(session, actor, number)
        bin_ = _bin_on_count(session, count, bin_code)
        product = product_named(session, sku)
        return _record(session, actor, count, bin_, {(product.id, (lot or "").strip() or None): quantity}, now,
                       whole_bin=False)


def _held_for(session: Session, actor: Actor, number: str) -> CycleCount:
    """The open count held for recording; a count waiting for a manager's approval is refused to
    a counter (only a manager may record into it, approve it, cancel it or send it back)."""
    count = hold_open(session, number, status="counting")
    if count.needs_approval and not actor.may(Permission.MANAGE_COUNTS):
        raise CountsRefused("needs-approval", f"{count.number} is waiting for a manager: ask them to approve it or "
                            "to send it back for a recount.")
    return count


def _check_quantity(quantity: int) -> None:
    if not 0 <= quantity <= MAX_UNITS:
        raise CountsRefused("bad-quantity", f"{quantity} is not a count: give the units found, 0 or more.")


def _bin_on_count(session: Session, count: CycleCount, code: str) -> Bin:
    bin_ = bin_named(session, code)
    on_count = session.scalar(select(CycleCountLine.id).where(CycleCountLine.cycle_count_id == count.id,
                                                              CycleCountLine.bin_id == bin_.id).limit(1))
    if on_count is None:
        codes = session.scalars(select(Bin.code).join(CycleCountLine, CycleCountLine.bin_id == Bin.id)
                                .where(CycleCountLine.cycle_count_id == count.id).distinct().order_by(Bin.code))
        raise CountsRefused("bin-not-on-count", f"Bin {bin_.code} is not on count {count.number}: scan one of its "
                            f"bins ({', '.join(codes)}).")
    return bin_


def _record(session: Session, actor: Actor, count: CycleCount, bin_: Bin,
            units: Mapping[tuple[int, str | None], int], now: dt.datetime, *, whole_bin: bool) -> BinCounted:
    lines = {(line.product_id, line.lot_code): line for line in session.scalars(
        select(CycleCountLine).where(CycleCountLine.cycle_count_id == count.id, CycleCountLine.bin_id == bin_.id))}
    system = {(int(p), str(lot)): max(int(q), 0) for p, lot, q in session.execute(
        select(StockLevel.product_id, StockLevel.lot_code, system_quantity())
        .where(StockLevel.bin_id == bin_.id, StockLevel.on_hand > 0))}
    held = set(lines) | set(system)  # the bin's lots now: the count's lines and the levels holding units
    counted: dict[tuple[int, str], int] = {}
    for (product_id, lot), quantity in units.items():
        key = (product_id, _lot_of(session, bin_, product_id, held) if lot is None
               else _known_lot(session, bin_, product_id, lot, held))
        counted[key] = counted.get(key, 0) + quantity
    if whole_bin:
        for key in lines:
            counted.setdefault(key, 0)
        for key in _levels_not_on_other_counts(session, count, bin_, set(system) - set(lines)):
            counted.setdefault(key, 0)  # arrived after the count was created: bin done covers it
    skus = {int(row[0]): str(row[1]) for row in session.execute(select(Product.id, Product.sku).where(
        Product.id.in_({p for p, _l in counted})))}
    recorded, details = [], []
    for key in sorted(counted, key=lambda k: (skus[k[0]], k[1])):
        line = lines.get(key)
        added = line is None and key not in system  # found where the system holds none
        if line is None:
            if is_kit(session, key[0]):
                raise CountsRefused("kit", f"{skus[key[0]]} is a kit: a kit holds no stock. Count its components.")
            line = CycleCountLine(cycle_count_id=count.id, bin_id=bin_.id, product_id=key[0], lot_code=key[1],
                                  expected_quantity=system.get(key, 0))
            session.add(line)
        details.append({"sku": skus[key[0]], "lot": key[1], "from": line.counted_quantity, "to": counted[key],
                        **({"added": True} if added else {})})
        line.counted_quantity = counted[key]
        line.system_quantity = system.get(key, 0)
        line.counted_by_id = actor.user_id
        line.counted_at = now
        recorded.append(CountedLine(skus[key[0]], key[1], counted[key], added))
    audit.record(session, actor, "counts.bin_counted", "cycle_count", count.id,
                 {"number": count.number, "bin": bin_.code, "whole_bin": whole_bin, "lines": details})
    return BinCounted(count.number, bin_.code, tuple(recorded))


def _lot_of(session: Session, bin_: Bin, product_id: int, held: set[tuple[int, str]]) -> str:
    """The lot of a product scanned without one: the bin's only lot of it; several lots are
    refused (the counter scans the lot label or types the lot)."""
    lots = sorted(lot for p, lot in held if p == product_id)
    if len(lots) == 1:
        return lots[0]
    product = session.get(Product, product_id)
    assert product is not None
    if len(lots) > 1:
        raise CountsRefused("lot-needed", f"Scan the lot label (GS1) or type the lot: {bin_.code} holds lots "
                            f"{', '.join(lot or '(none)' for lot in lots)} of {product.sku}.")
    if product.lot_tracked:
        raise CountsRefused("lot-needed", f"{product.sku} is lot-tracked and was not expected in bin {bin_.code}: "
                            "scan its lot barcode (GS1 with its lot) or type the figure with its lot.")
    return ""


def _known_lot(session: Session, bin_: Bin, product_id: int, lot: str, held: set[tuple[int, str]]) -> str:
    """A lot given (scanned or typed) must be one the system knows for the product: in this bin,
    or in any stock level or stock move of it. An unknown lot is refused, naming the bin's lots
    (approving it would create stock of an invented lot)."""
    if (product_id, lot) in held:
        return lot
    known = session.scalar(select(StockLevel.id).where(StockLevel.product_id == product_id,
                                                       StockLevel.lot_code == lot).limit(1)) \
        or session.scalar(select(StockMove.id).where(StockMove.product_id == product_id,
                                                     StockMove.lot_code == lot).limit(1))
    if known and lot:
        return lot
    product = session.get(Product, product_id)
    assert product is not None
    lots = sorted(found for p, found in held if p == product_id and found)
    here = f"{bin_.code} holds lots {', '.join(lots)} of {product.sku}" if lots else \
        f"{bin_.code} holds no lot of {product.sku}"
    if not product.lot_tracked:
        raise CountsRefused("unknown-lot", f"{product.sku} is not lot-tracked: count it without a lot.")
    raise CountsRefused("unknown-lot", f"Lot {lot} of {product.sku} is not known: {here}. Check the lot on the "
                        "label and scan or type it again.")


def _levels_not_on_other_counts(session: Session, count: CycleCount, bin_: Bin,
                                keys: set[tuple[int, str]]) -> list[tuple[int, str]]:
    """Of the bin's levels ``keys`` (product, lot) not on this count, those on no other open count."""
    if not keys:
        return []
    taken = {(int(p), str(lot)) for p, lot in session.execute(
        select(CycleCountLine.product_id, CycleCountLine.lot_code)
        .join(CycleCount, CycleCount.id == CycleCountLine.cycle_count_id)
        .where(CycleCountLine.bin_id == bin_.id, CycleCount.id != count.id, CycleCount.status.in_(OPEN_STATES)))}
    return sorted(keys - taken)
