"""What the counts area returns: plain frozen data for the window, the CLI and the count
sheet. A count shown to someone who may not see expected figures (a packer: blind) carries
``None`` for ``expected``, ``system`` and ``variance`` — the figures never leave the service.
``as_json`` gives the stable ``--json`` shape (dates as ISO text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fulfilstation.services.orders.views import to_json


@dataclass(frozen=True)
class AbcShare:
    """One ABC class: how many products, their shipped value and its share of the total."""

    abc_class: str
    products: int
    shipped_value_minor: int
    share_percent: float


@dataclass(frozen=True)
class AbcClasses:
    window_days: int
    shares: tuple[AbcShare, ...]
    changed: int = 0  # products whose class changed (when just classified)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json(self)
        return data


@dataclass(frozen=True)
class ProposedLine:
    """A bin holding a product that is due for a count (the schedule's proposal)."""

    bin: str
    pick_sequence: int
    sku: str
    name: str
    lot: str
    abc_class: str
    last_counted: dt.datetime | None  # None: never counted


@dataclass(frozen=True)
class CountSummary:
    number: str
    status: str
    description: str
    bins: int
    lines: int
    lines_counted: int
    needs_approval: bool
    created_by: str
    created_at: dt.datetime
    completed_at: dt.datetime | None


@dataclass(frozen=True)
class CountLineView:
    """One bin × product × lot of a count. ``expected``, ``system`` and ``variance`` are None
    when the viewer counts blind (or, for ``system``/``variance``, before it is counted)."""

    bin: str
    pick_sequence: int
    sku: str
    name: str
    lot: str
    barcode: str  # the product's unit barcode ('' when it has none: its SKU is scanned)
    counted: int | None
    counted_by: str
    expected: int | None
    system: int | None
    variance: int | None
    posted: int | None


@dataclass(frozen=True)
class CountView:
    number: str
    status: str
    description: str
    blind: bool  # True: expected figures hidden from this viewer
    needs_approval: bool
    approved_by: str
    lines: tuple[CountLineView, ...]
    lines_counted: int  # lines with a counted figure (stored on completion; counted live while open)
    lines_exact: int | None  # the accuracy figures: None until the count is completed
    units_variance: int | None
    value_variance_minor: int | None
    created_at: dt.datetime
    completed_at: dt.datetime | None

    @property
    def bins(self) -> tuple[str, ...]:
        """The count's bins in walking order (each once)."""
        return tuple(dict.fromkeys(line.bin for line in self.lines))

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json(self)
        data["bins"] = list(self.bins)
        return data


@dataclass(frozen=True)
class Created:
    number: str
    bins: int
    lines: int
    skipped: tuple[str, ...] = ()  # bins or SKUs asked for that hold nothing to count


@dataclass(frozen=True)
class CountedLine:
    sku: str
    lot: str
    counted: int
    added: bool  # a product found that was not on the count


@dataclass(frozen=True)
class BinCounted:
    """What a counter recorded for a bin (blind: no expected figure, no variance)."""

    number: str
    bin: str
    lines: tuple[CountedLine, ...]


@dataclass(frozen=True)
class PostedLine:
    bin: str
    sku: str
    lot: str
    counted: int
    system: int
    variance: int
    value_minor: int


@dataclass(frozen=True)
class Completed:
    """A count completed (``status`` completed, its variances posted) or waiting for a
    manager (``needs_approval``, ``reasons`` say why). ``blind``: said to a counter — the
    reasons are one sentence naming no system figure, variance or value, and ``lines`` is empty
    while the count waits."""

    number: str
    status: str
    needs_approval: bool
    reasons: tuple[str, ...]
    lines: tuple[PostedLine, ...]
    lines_counted: int
    lines_exact: int
    units_variance: int
    value_variance_minor: int
    blind: bool = False


@dataclass(frozen=True)
class Accuracy:
    """Inventory accuracy over the counts completed from ``since`` to ``until`` (both days included)."""

    since: dt.date
    until: dt.date
    counts: int
    lines_counted: int
    lines_exact: int
    units_variance: int
    value_variance_minor: int

    @property
    def percent(self) -> float | None:
        return round(100.0 * self.lines_exact / self.lines_counted, 1) if self.lines_counted else None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json(self)
        data["percent"] = self.percent
        return data


@dataclass(frozen=True)
class ScannedItem:
    """What a code scanned while counting is: ``units`` of a product (a case counts its pack)."""

    sku: str
    name: str
    units: int
    lot: str | None
