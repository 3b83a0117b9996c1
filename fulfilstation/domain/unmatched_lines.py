"""An order's unknown lines: the lines whose SKU was not in the catalogue when the order came
in, kept by intake as JSON in ``orders.unmatched_lines`` — the one reader every area uses
(orders' detail, list and re-check; packing's refusal; reserving).

The stored value is ``None`` or a list of ``{"line_no", "sku", "name", "quantity",
"unit_price_minor", …}`` dicts; anything else in it (a hand-edited row, JSON ``null``) is
skipped, never an error. Pure: no I/O, safe on any thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class UnmatchedLine:
    """A line the shop sent whose SKU is not in the catalogue (kept so the order can be fixed)."""

    line_no: int | None
    sku: str
    name: str | None
    quantity: int


def unmatched_items(value: Any) -> list[dict[str, Any]]:
    """The stored unknown lines as fresh dicts (a caller may change them), in stored order."""
    if not isinstance(value, list):
        return []
    return [dict(item) for item in value if isinstance(item, dict)]


def unmatched_of(value: Any) -> tuple[UnmatchedLine, ...]:
    """The stored unknown lines as ``UnmatchedLine`` values (line number, SKU, name, quantity)."""
    return tuple(UnmatchedLine(item["line_no"] if isinstance(item.get("line_no"), int) else None,
                               str(item.get("sku") or ""), item.get("name"), _quantity(item.get("quantity")))
                 for item in unmatched_items(value))


def unmatched_skus(value: Any) -> list[str]:
    """The SKUs of the stored unknown lines, in stored order (one per line)."""
    return [str(item.get("sku") or "") for item in unmatched_items(value)]


def _quantity(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0
