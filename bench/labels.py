"""Labels rendered per second: ZPL (203 and 300 dpi) and PDF (one page per label, and two
labels per Letter page), for the 4 × 6 in shipping label with a short and the demo's long
address, the 4 × 4 in product label and the 2 × 1 in bin label. Rendering only: the
description is built once per label, fonts are registered before timing starts.

    .venv/bin/python bench/labels.py [--seconds 2]

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fulfilstation.documents.fonts import document_fonts  # noqa: E402
from fulfilstation.documents.labels import (  # noqa: E402
    Code128Data,
    LabelDescription,
    ShippingLabelData,
    bin_label,
    product_label,
    render_pdf,
    render_zpl,
    shipping_label,
)

SSCC = "106141411234567897"
SHORT_TO = ("Avery Johnson", "742 Evergreen Terrace", "Springfield IL 62704", "US")
LONG_TO = ("Christopher Alexander Montgomery-Wellington III", "The Very Long Company Name Holdings International Inc",
           "12345 Extraordinarily Long Boulevard Name Northwest", "Building 7, Floor 12, Suite 1200, Mailstop 42",
           "Rancho Santa Margarita CA 92688", "US")


def shipping(ship_to: tuple[str, ...]) -> LabelDescription:
    return shipping_label(ShippingLabelData(
        ("Demo Goods Warehouse", "1200 Industrial Pkwy, Unit 4", "Columbus OH 43219", "US"), ship_to, "GROUND", 1, 1,
        "1.25 LB (567 g)", "SO-10042", SSCC, Code128Data.gs1(("00", SSCC)), f"(00) {SSCC}"))


def rate(work: Callable[[], object], seconds: float) -> tuple[float, int]:
    """(calls per second, output size of one call)."""
    size = len(work())  # type: ignore[arg-type]
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        work()
        count += 1
    return count / elapsed, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement (default 2)")
    args = parser.parse_args()
    document_fonts()
    labels = {"shipping 4x6 (short address)": shipping(SHORT_TO), "shipping 4x6 (long address)": shipping(LONG_TO),
              "product 4x4": product_label("MUG-CER-350", "Ceramic Mug 350 ml", "4006381333931"),
              "bin 2x1": bin_label("A-01-1")}
    print(f"{'label':30} {'renderer':22} {'labels/s':>10} {'ms/label':>9} {'bytes':>8}")
    for name, label in labels.items():
        cases: list[tuple[str, Callable[[], bytes], int]] = [
            ("ZPL 203 dpi", lambda label=label: render_zpl(label, 203), 1),
            ("ZPL 300 dpi", lambda label=label: render_zpl(label, 300), 1),
            ("PDF label page", lambda label=label: render_pdf([label]), 1),
        ]
        if name.startswith("shipping"):
            cases.append(("PDF letter, 20 two-up", lambda label=label: render_pdf([label] * 20, sheet="letter"), 20))
        for renderer, work, per_call in cases:
            calls, size = rate(work, args.seconds)
            per_second = calls * per_call
            print(f"{name:30} {renderer:22} {per_second:10.0f} {1000 / per_second:9.2f} {size // per_call:8d}")


if __name__ == "__main__":
    main()
