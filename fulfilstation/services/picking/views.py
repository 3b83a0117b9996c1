"""What the picking area returns: plain frozen data for the window, the CLI and the PDF.

``PickListView`` is a pick list as the picker walks it: ``rows`` merge the list's lines per
bin + product + lot (one row "bin A-01-1, SKU X, 7 units — tote 1: 3, tote 3: 4"), in the
walking order (bin pick sequence, then bin code; by zone first when the list is split by
zone). ``PickingRefused`` is every refusal of the area.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from fulfilstation.domain.words import plural
from fulfilstation.services.refused import Refused

GONE = ("shipped", "cancelled")  # order statuses whose unpicked units are left in the bin


class PickingRefused(Refused):
    """A picking use case said no; nothing changed."""


class Wave(enum.StrEnum):
    """How a wave chooses its orders."""

    CARRIER = "carrier"  # orders shipping with one carrier (``value``: its code)
    SHIP_BY = "ship-by"  # orders to ship by a date (``value``: YYYY-MM-DD, default today) and overdue
    ZONE = "zone"  # orders whose reserved stock sits in one zone (``value``: the zone)


@dataclass(frozen=True)
class Selection:
    """Which ready orders a new pick list takes: exactly one of ``orders`` (numbers),
    ``next`` (the N oldest by ship-by then order time) or ``wave`` (with ``value``; ``limit``
    caps a wave)."""

    orders: tuple[str, ...] = ()
    next: int | None = None
    wave: Wave | None = None
    value: str | None = None
    limit: int | None = None


@dataclass(frozen=True)
class ToteOrder:
    tote: str
    order: str
    ship_by: dt.date | None
    order_status: str = "ready"

    @property
    def gone(self) -> bool:
        """The order shipped or was cancelled: nothing more is picked for it."""
        return self.order_status in GONE


@dataclass(frozen=True)
class ToteShare:
    """Units of a merged row that go into one tote (``index``: the tote's number on the list)."""

    tote: str
    index: int
    order: str
    quantity: int
    picked: int
    short: int
    order_status: str = "ready"

    @property
    def gone(self) -> bool:
        """The order shipped or was cancelled: its units are left in the bin."""
        return self.order_status in GONE

    @property
    def left(self) -> int:
        return self.quantity - self.picked - self.short


@dataclass(frozen=True)
class PickRow:
    """One stop of the walk: a product (and lot) in a bin, summed over the list's lines."""

    bin: str
    zone: str
    sequence: int
    sku: str
    name: str
    barcode: str  # the product's unit barcode, or its SKU when it has none
    lot: str
    quantity: int
    picked: int
    short: int
    totes: tuple[ToteShare, ...]

    @property
    def remaining(self) -> int:
        """Units left to pick for orders still to ship (a shipped or cancelled order's are left)."""
        return sum(share.left for share in self.totes if not share.gone)

    @property
    def done(self) -> bool:
        return self.remaining == 0

    @property
    def gone_orders(self) -> tuple[str, ...]:
        """Orders of the row that shipped or were cancelled with units still unpicked here."""
        return tuple(dict.fromkeys(share.order for share in self.totes if share.gone and share.left))

    @property
    def tote_words(self) -> str:
        return ", ".join(f"tote {share.index}: {share.quantity}{_left_for(share)}" for share in self.totes)

    @property
    def tote_labels(self) -> str:
        """The totes as their labels read: "T-00002-3 (SO-10001): 2"."""
        return ", ".join(f"{share.tote} ({share.order}): {share.quantity}{_left_for(share)}" for share in self.totes)

    def as_json(self) -> dict[str, Any]:
        return {"bin": self.bin, "zone": self.zone, "sku": self.sku, "name": self.name, "lot": self.lot,
                "barcode": self.barcode, "quantity": self.quantity, "picked": self.picked, "short": self.short,
                "totes": [{"tote": s.tote, "order": s.order, "quantity": s.quantity, "order_status": s.order_status}
                          for s in self.totes]}


def _left_for(share: ToteShare) -> str:
    return f" ({share.order} {share.order_status}: leave it)" if share.gone else ""


@dataclass(frozen=True)
class PickListSummary:
    number: str
    status: str  # a PickListStatus value
    description: str
    orders: int
    units: int
    picked: int
    short: int
    created_at: dt.datetime
    created_by: str

    def as_json(self) -> dict[str, Any]:
        return {"number": self.number, "status": self.status, "description": self.description,
                "orders": self.orders, "units": self.units, "picked": self.picked, "short": self.short,
                "created_at": self.created_at.isoformat(), "created_by": self.created_by}


@dataclass(frozen=True)
class PickListView:
    number: str
    status: str
    description: str
    by_zone: bool
    created_at: dt.datetime
    totes: tuple[ToteOrder, ...]
    rows: tuple[PickRow, ...]

    @property
    def units(self) -> int:
        return sum(row.quantity for row in self.rows)

    @property
    def picked(self) -> int:
        return sum(row.picked for row in self.rows)

    @property
    def short(self) -> int:
        return sum(row.short for row in self.rows)

    @property
    def finished(self) -> bool:
        """Nothing is left to pick: every row is picked or short, or left for an order that
        shipped or was cancelled (such a list counts as done)."""
        return self.next_row is None

    @property
    def rows_done(self) -> int:
        return sum(1 for row in self.rows if row.done)

    @property
    def next_row(self) -> PickRow | None:
        """The first stop of the walk with units left to pick (None: every row picked or short)."""
        return next((row for row in self.rows if not row.done), None)

    def zones(self) -> list[str]:
        return list(dict.fromkeys(row.zone for row in self.rows))

    def as_json(self) -> dict[str, Any]:
        return {"number": self.number, "status": self.status, "description": self.description,
                "by_zone": self.by_zone, "created_at": self.created_at.isoformat(),
                "units": self.units, "picked": self.picked, "short": self.short,
                "totes": [{"tote": t.tote, "order": t.order, "order_status": t.order_status} for t in self.totes],
                "rows": [row.as_json() for row in self.rows]}


@dataclass(frozen=True)
class Created:
    """A new pick list: its number and its view (the PDF is made from the view)."""

    number: str
    view: PickListView


@dataclass(frozen=True)
class BinCheck:
    """A scanned bin that has units left to pick on the list (what to pick there)."""

    bin: str
    rows: tuple[PickRow, ...]


@dataclass(frozen=True)
class Picked:
    """What a confirmed pick did: ``quantity`` units of ``sku`` from ``bin`` into the totes."""

    number: str
    bin: str
    sku: str
    lot: str
    quantity: int
    into: tuple[tuple[str, int], ...]  # (tote, units)
    row_done: bool
    list_done: bool

    @property
    def message(self) -> str:
        totes = ", ".join(f"{units} in {tote}" for tote, units in self.into)
        tail = " Pick list done." if self.list_done else (" Row done: next bin." if self.row_done else "")
        return f"Picked {self.quantity} × {self.sku} from {self.bin}: {totes}.{tail}"


@dataclass(frozen=True)
class Shorted:
    """What a short pick did: units found missing, the stock correction, the orders affected."""

    number: str
    bin: str
    sku: str
    lot: str
    short_units: int
    on_hand_before: int
    on_hand_after: int
    re_reserved: tuple[str, ...]  # orders whose missing units were reserved elsewhere (new lines added)
    backordered: tuple[str, ...]  # orders now waiting for stock
    split: tuple[str, ...]  # "1001 → 1001-2": orders shipping what is there, the rest a backorder
    list_done: bool

    @property
    def message(self) -> str:
        written_off = self.on_hand_before - self.on_hand_after
        parts = [f"Short {self.short_units} × {self.sku} in {self.bin}: {plural(written_off, 'unit')} written off, "
                 f"stock corrected {self.on_hand_before} → {self.on_hand_after}."]
        if self.re_reserved:
            parts.append(f"Reserved elsewhere: {', '.join(self.re_reserved)}.")
        if self.backordered:
            parts.append(f"Backorder: {', '.join(self.backordered)}.")
        if self.split:
            parts.append(f"Ships what is there: {', '.join(self.split)}.")
        if self.list_done:
            parts.append("Pick list done.")
        if written_off:
            parts.append(f"Have the bin counted: fulfilstation count create --bins {self.bin}.")
        return " ".join(parts)


@dataclass(frozen=True)
class ShortPreview:
    """What a short pick of ``sku`` in ``bin`` would write off: the bin's stock comes down
    from ``on_hand`` to ``in_totes`` (the units already picked and not shipped)."""

    bin: str
    sku: str
    lot: str
    on_hand: int
    in_totes: int

    @property
    def question(self) -> str:
        return (f"Bin {self.bin} has no more {self.sku}{f' lot {self.lot}' if self.lot else ''}? Its stock of "
                f"{self.on_hand} will be written off to what is in totes ({self.in_totes}): press F8 again to "
                "confirm, any scan to cancel.")


@dataclass(frozen=True)
class Cancelled:
    number: str
    orders: int
    picked_units: int  # units already in totes: to be put back

    @property
    def message(self) -> str:
        back = f" Put the {plural(self.picked_units, 'picked unit')} back in their bins." if self.picked_units else ""
        return f"Pick list {self.number} cancelled: {plural(self.orders, 'order')} can be picked again.{back}"
