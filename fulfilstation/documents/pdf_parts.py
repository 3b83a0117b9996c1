"""Parts every PDF document shares (packing slip, manifest, command sheet): page sizes and
a Code 128 flowable that narrows its bars to fit but never below what a scanner reads.

Pure functions over reportlab objects; safe in any thread.
"""

from __future__ import annotations

from typing import Any

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm

PAGE_SIZES = {"letter": LETTER, "a4": A4}


def code128_can_encode(data: str) -> bool:
    """True when ``data`` fits Code 128 as scanners type it back: non-empty printable ASCII."""
    return bool(data) and all(" " <= char <= "~" for char in data)


def code128(data: str, *, max_width: float, bar_height: float, bar_width: float = 0.42 * mm,
            min_bar_width: float = 0.254 * mm) -> Any:
    """A Code 128 flowable of ``data``, quiet zones included, at most ``max_width`` wide.

    Bars narrow from ``bar_width`` down to ``min_bar_width`` (10 mil: 2 dots at 200 dpi) to
    fit. Raises ValueError for data Code 128 cannot carry or that will not fit."""
    if not code128_can_encode(data):
        raise ValueError(f"{data!r} cannot be a Code 128 barcode (printable ASCII only)")
    probe = Code128(data, barWidth=1, barHeight=bar_height, humanReadable=0, lquiet=10, rquiet=10)
    modules = probe.wrap(0, 0)[0]
    width = min(bar_width, max_width / modules)
    if width < min_bar_width:
        raise ValueError(f"the barcode of {data!r} does not fit in {max_width / mm:.0f} mm")
    barcode = Code128(data, barWidth=width, barHeight=bar_height, humanReadable=0, lquiet=10 * width,
                      rquiet=10 * width)
    barcode.wrap(0, 0)
    return barcode


def page_dimensions(name: str) -> tuple[float, float]:
    try:
        size: tuple[float, float] = PAGE_SIZES[name.lower()]
    except KeyError:
        raise ValueError(f"page size must be one of {', '.join(PAGE_SIZES)}, not {name!r}") from None
    return size
