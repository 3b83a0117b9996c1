"""The station's working copy of an open pack session, so a scan costs a row lock and one
insert instead of re-reading the whole order.

Invariants:

* The database stays the truth. A memo is built from it (``memo_for``), changed only after
  the transaction that recorded the same change committed, and dropped (``forget``) by every
  other action on the session (box, package, ship, cancel). Another process never needs it.
* One memo per (database, session), guarded by its own lock: scans of one session are
  decided one at a time even when the window fires them from several worker threads.
* Reference data (box types, weight tolerance) is read at most every ``REFERENCE_TTL_S``.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import BoxType, PackSession, ProductBarcode, ScanEvent
from fulfilstation.domain.box_fit import BoxOption, ItemSize, suggest_box
from fulfilstation.domain.enums import ScanResult
from fulfilstation.domain.weight_check import ExpectedWeight, Tolerance
from fulfilstation.services.packing.loading import awaiting_second_scan, build_view, load_state, site_tolerance
from fulfilstation.services.packing.views import LineView, PackView

REFERENCE_TTL_S = 30.0


@dataclass
class LineMemo:
    line_id: int
    product_id: int
    sku: str
    name: str
    ordered: int
    serial_tracked: bool
    lot_tracked: bool
    weight_g: int
    size: tuple[int, int, int]
    image_path: str | None
    kit: str | None = None  # a kit's component: "part of KIT ×N"


@dataclass
class PendingMemo:
    kind: str  # "serial" or "lot"
    line_id: int
    product_id: int
    serial: str | None
    lot: str | None
    expiry: Any
    take: str | None = None  # awaiting a lot: which lot and bin to take


@dataclass
class PackMemo:
    station_id: int
    user_id: int
    scan_count: int  # the session row's version this memo matches
    view: PackView  # as of the last commit
    lines: dict[int, LineMemo]  # by order line id
    barcodes: dict[str, tuple[int, int]]  # code -> (product id, pack quantity), the order's products only
    scanned: dict[int, int]
    in_package: dict[int, int]
    pending: PendingMemo | None
    box: BoxOption | None  # chosen by the packer
    serials: set[tuple[int, str]] = field(default_factory=set)  # (product, serial) accepted in this session
    lots: dict[int, list[str]] = field(default_factory=dict)  # order line id -> lots accepted, first first
    kit_refusals: dict[int, str] = field(default_factory=dict)  # a kit's product id -> "scan its components: …"
    lock: threading.Lock = field(default_factory=threading.Lock)

    def line_for_product(self, product_id: int) -> LineMemo | None:
        """The product's first line still short of its units, else its first line (a product
        may be on several lines: a kit's component and a line of its own, or two kits)."""
        lines = [line for line in self.lines.values() if line.product_id == product_id]
        return next((line for line in lines if self.scanned.get(line.line_id, 0) < line.ordered),
                    lines[0] if lines else None)


@dataclass
class _Reference:
    boxes: list[BoxOption]
    tolerance: Tolerance
    loaded_at: float


class _Store:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.memos: dict[int, PackMemo] = {}
        self.reference: _Reference | None = None


_stores: weakref.WeakKeyDictionary[Database, _Store] = weakref.WeakKeyDictionary()
_stores_lock = threading.Lock()


def _store(database: Database) -> _Store:
    with _stores_lock:
        store = _stores.get(database)
        if store is None:
            store = _stores[database] = _Store()
        return store


def forget(database: Database, session_id: int) -> None:
    store = _store(database)
    with store.lock:
        store.memos.pop(session_id, None)


def memo_for(database: Database, session_id: int) -> PackMemo | None:
    """This process's memo of the session, built from the database if there is none yet;
    None when the session does not exist."""
    store = _store(database)
    with store.lock:
        memo = store.memos.get(session_id)
    if memo is not None:
        return memo
    with database.unit_of_work() as session:
        pack = session.get(PackSession, session_id)
        if pack is None:
            return None
        memo = _build(session, pack)
    with store.lock:
        return store.memos.setdefault(session_id, memo)


def reference(database: Database, session: Session) -> tuple[list[BoxOption], Tolerance]:
    store = _store(database)
    now = time.monotonic()
    with store.lock:
        cached = store.reference
    if cached is None or now - cached.loaded_at > REFERENCE_TTL_S:
        boxes = [box_option(box) for box in session.scalars(select(BoxType).where(BoxType.active.is_(True))).all()]
        cached = _Reference(boxes, site_tolerance(session), now)
        with store.lock:
            store.reference = cached
    return cached.boxes, cached.tolerance


def box_option(box: BoxType) -> BoxOption:
    return BoxOption(box.code, box.inner_length_mm, box.inner_width_mm, box.inner_height_mm, box.max_weight_g,
                     box.tare_weight_g)


def _build(session: Session, pack: PackSession) -> PackMemo:
    state = load_state(session, pack)
    lines = {line.id: LineMemo(line.id, p.id, p.sku, p.name, line.quantity, p.serial_tracked, p.lot_tracked,
                               p.weight_g, (p.length_mm, p.width_mm, p.height_mm), p.image_path,
                               state.kits.part_of.get(line.id))
             for line, p in state.lines}
    product_ids = [line.product_id for line in lines.values()]
    barcodes = {code: (product_id, quantity) for code, product_id, quantity in session.execute(
        select(ProductBarcode.code, ProductBarcode.product_id, ProductBarcode.pack_quantity)
        .where(ProductBarcode.product_id.in_(product_ids)))}
    view = build_view(session, state)
    pending = None
    if awaiting_second_scan(state) and state.last_event is not None:
        event = state.last_event
        pending = PendingMemo(awaiting_second_scan(state) or "serial", event.order_line_id or 0,
                              event.product_id or 0, event.serial_number, event.lot_code, event.expiry_date,
                              view.take)
    box = session.get(BoxType, pack.box_type_id) if pack.box_type_id else None
    serials = {(product_id, serial) for product_id, serial in session.execute(
        select(ScanEvent.product_id, ScanEvent.serial_number).where(
            ScanEvent.pack_session_id == pack.id, ScanEvent.result == ScanResult.ACCEPTED.value,
            ScanEvent.serial_number.is_not(None))) if product_id is not None and serial is not None}
    return PackMemo(pack.station_id, pack.user_id, pack.scan_count, view, lines, barcodes,
                    dict(state.scanned), dict(state.in_package), pending, box_option(box) if box else None, serials,
                    {line_id: list(lots) for line_id, lots in state.lots.items()}, dict(state.kits.refusals))


def refresh_view(memo: PackMemo, boxes: list[BoxOption], tolerance: Tolerance) -> PackView:
    """The view after an in-memory change (a scan), computed without the database."""
    view = memo.view
    remaining = [ItemSize(*line.size, line.weight_g,
                          line.ordered - (memo.scanned.get(line.line_id, 0) - memo.in_package.get(line.line_id, 0)))
                 for line in memo.lines.values()]
    suggestion = suggest_box([item for item in remaining if item.quantity > 0], boxes) if remaining else None
    box = memo.box or suggestion
    contents = sum(line.weight_g * memo.in_package.get(line.line_id, 0) for line in memo.lines.values())
    expected = ExpectedWeight.of(contents, box.tare_weight_g if box else 0, tolerance) if memo.in_package else None
    lines = tuple(LineView(line.line_id, line.sku, line.name, line.ordered, memo.scanned.get(line.line_id, 0),
                           line.serial_tracked, line.lot_tracked, line.image_path,
                           tuple(memo.lots.get(line.line_id, ())), line.kit) for line in memo.lines.values())
    memo.view = PackView(
        view.session_id, view.order_id, view.order_number, view.customer, view.destination, view.ship_by,
        view.service, view.gift_message, lines, memo.box.code if memo.box else None,
        suggestion.code if suggestion else None,
        view.package_sequence, view.closed_packages,
        expected.expected_g if expected else None, expected.min_g if expected else None,
        expected.max_g if expected else None, memo.pending.kind if memo.pending else None,
        memo.pending.take if memo.pending else None, split=view.split)
    return memo.view
