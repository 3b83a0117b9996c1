"""Choosing the box: the smallest box type the items fit in.

An item fits when its sorted dimensions fit the box's sorted inner dimensions (any
orientation); the items together fit when their volume, divided by the fill factor (room
for packing material and imperfect stacking), is within the box's inner volume, and their
weight within the box's limit. Pure functions; dimensions in mm, weights in grams.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DEFAULT_FILL_FACTOR = 0.8


@dataclass(frozen=True)
class ItemSize:
    length_mm: int
    width_mm: int
    height_mm: int
    weight_g: int = 0
    quantity: int = 1

    @property
    def volume(self) -> int:
        return self.length_mm * self.width_mm * self.height_mm


@dataclass(frozen=True)
class BoxOption:
    code: str
    inner_length_mm: int
    inner_width_mm: int
    inner_height_mm: int
    max_weight_g: int = 0  # 0: no limit
    tare_weight_g: int = 0

    @property
    def volume(self) -> int:
        return self.inner_length_mm * self.inner_width_mm * self.inner_height_mm

    @property
    def sorted_dimensions(self) -> tuple[int, ...]:
        return tuple(sorted((self.inner_length_mm, self.inner_width_mm, self.inner_height_mm)))


def fits(items: Sequence[ItemSize], box: BoxOption, fill_factor: float = DEFAULT_FILL_FACTOR) -> bool:
    inner = box.sorted_dimensions
    for item in items:
        if any(a > b for a, b in zip(sorted((item.length_mm, item.width_mm, item.height_mm)), inner, strict=True)):
            return False
    volume = sum(item.volume * item.quantity for item in items)
    weight = sum(item.weight_g * item.quantity for item in items)
    if box.max_weight_g and weight + box.tare_weight_g > box.max_weight_g:
        return False
    return volume <= box.volume * fill_factor


def suggest_box(items: Sequence[ItemSize], boxes: Iterable[BoxOption],
                fill_factor: float = DEFAULT_FILL_FACTOR) -> BoxOption | None:
    """The smallest (by inner volume, then tare) box the items fit in; None if none does."""
    candidates = sorted(boxes, key=lambda b: (b.volume, b.tare_weight_g, b.code))
    return next((box for box in candidates if fits(items, box, fill_factor)), None)
