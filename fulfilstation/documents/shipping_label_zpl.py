"""A 4 x 6 in carrier label in ZPL (203 or 300 dpi), built from plain data.

The full label family (PDF and preview renderers sharing one description) grows here;
this module already prints what a carrier hub needs: ship-from, ship-to, service, package
n of m, weight, reference and the tracking barcode (GS1-128 with FNC1 where the carrier
uses one). Text is UTF-8 (``^CI28``); every field is escaped with ``^FH``.
"""

from __future__ import annotations

from dataclasses import dataclass

DOTS_PER_INCH = {203: 8, 300: 12}  # dots per mm, rounded as printers do


@dataclass(frozen=True)
class ShippingLabel:
    ship_from: tuple[str, ...]
    ship_to: tuple[str, ...]
    service: str
    package_number: int
    package_count: int
    weight_text: str
    reference: str
    tracking_number: str
    barcode_data: str  # ^BC field data, e.g. ">;>800" + SSCC for GS1-128
    barcode_caption: str


def escape(text: str) -> str:
    """Make free text safe in a ^FD field (``^``, ``~`` and ``_`` become hex escapes)."""
    return "".join(f"_{ord(c):02X}" if c in "^~_" else c for c in text.replace("\n", " "))


def render_zpl(label: ShippingLabel, dpi: int = 203) -> bytes:
    if dpi not in DOTS_PER_INCH:
        raise ValueError(f"labels print at 203 or 300 dpi, not {dpi}")
    k = dpi / 203
    width, height = round(4 * dpi), round(6 * dpi)

    def at(x: float, y: float) -> str:
        return f"^FO{round(x * k)},{round(y * k)}"

    def text(x: float, y: float, size: float, value: str, lines: int = 1, width_dots: float = 770) -> str:
        return (f"{at(x, y)}^A0N,{round(size * k)},{round(size * k)}^FB{round(width_dots * k)},{lines},0,L"
                f"^FH^FD{escape(value)}^FS")

    parts = ["^XA", "^CI28", f"^PW{width}", f"^LL{height}", "^LH0,0"]
    parts += [text(20, 20 + i * 26, 24, line) for i, line in enumerate(label.ship_from[:4])]
    parts.append(f"{at(20, 140)}^GB{round(772 * k)},{max(2, round(3 * k))},{max(2, round(3 * k))}^FS")
    parts.append(text(20, 155, 26, "SHIP TO:"))
    for i, line in enumerate(label.ship_to[:6]):
        parts.append(text(40, 190 + i * 44, 40 if i == 0 else 34, line, lines=1, width_dots=750))
    parts.append(f"{at(20, 470)}^GB{round(772 * k)},{max(2, round(3 * k))},{max(2, round(3 * k))}^FS")
    parts.append(text(20, 490, 50, label.service, width_dots=560))
    parts.append(text(600, 490, 36, f"PKG {label.package_number} OF {label.package_count}", width_dots=190))
    parts.append(text(20, 560, 32, f"WT {label.weight_text}", width_dots=360))
    parts.append(text(400, 560, 32, f"REF {label.reference}", width_dots=390))
    parts.append(f"{at(60, 640)}^BY{max(2, round(3 * k))},3,{round(250 * k)}^BCN,{round(250 * k)},N,N,N"
                 f"^FD{label.barcode_data}^FS")
    parts.append(text(20, 920, 34, label.barcode_caption))
    parts.append(text(20, 980, 28, f"TRACKING # {label.tracking_number}"))
    parts += ["^PQ1", "^XZ"]
    return ("\n".join(parts) + "\n").encode("utf-8")
