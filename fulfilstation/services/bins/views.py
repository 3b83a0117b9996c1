"""What the Bins area returns: frozen plain data, never ORM objects (safe in any thread)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fulfilstation.services.refused import Refused


class BinsRefused(Refused):
    """A change to the bins that cannot be made (``code``: ``no-bin``, ``bad-field``,
    ``code-taken``, ``holds-stock``, ``unreadable``, ``changed-meanwhile``); the message says
    why and what to do."""


@dataclass(frozen=True)
class BinInfo:
    """A bin as the Bins screen and ``bins list`` show it; ``units`` is what it holds on hand."""

    code: str
    zone: str
    aisle: str | None
    bay: str | None
    level: str | None
    pick_sequence: int
    kind: str
    active: bool
    units: int = 0

    @property
    def place(self) -> str:
        """``aisle A, bay 03, level 2`` (the parts that are set), or ``""``."""
        parts = (("aisle", self.aisle), ("bay", self.bay), ("level", self.level))
        return ", ".join(f"{name} {value}" for name, value in parts if value)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "zone": self.zone, "aisle": self.aisle, "bay": self.bay, "level": self.level,
                "pick_sequence": self.pick_sequence, "kind": self.kind, "active": self.active, "units": self.units}


@dataclass(frozen=True)
class BinStock:
    """Units of one product (and lot) in a bin."""

    sku: str
    name: str
    lot: str
    expiry: dt.date | None
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    def as_json(self) -> dict[str, Any]:
        return {"sku": self.sku, "name": self.name, "lot": self.lot,
                "expiry": self.expiry.isoformat() if self.expiry else None, "on_hand": self.on_hand,
                "reserved": self.reserved, "available": self.available}


@dataclass(frozen=True)
class BinDetail:
    bin: BinInfo
    stock: tuple[BinStock, ...]

    def as_json(self) -> dict[str, Any]:
        return {**self.bin.as_json(), "stock": [line.as_json() for line in self.stock]}
