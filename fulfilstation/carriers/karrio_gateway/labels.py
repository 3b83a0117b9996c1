"""Which of a carrier's karrio label types to ask for: ZPL at the printer's dpi when the
carrier offers it, else PDF (the label flow turns a PDF into a ^GF image at the printer's dpi).

A carrier's ``karrio.providers.NAME.units.LabelType`` names its formats (UPS: ``ZPL_6x4``,
``PDF_6x4``; USPS: ``ZPL203DPI``, ``ZPL300DPI`` …) and aliases the unified ``ZPL`` and
``PDF``. A ZPL name's dpi is the number in it (203, 300, 600, or 8/12/24 dots per mm);
a ZPL name without one is 203 dpi, the thermal labels carriers send by default.
"""

from __future__ import annotations

import enum
import re

from fulfilstation.carriers.gateway import LabelFormat
from fulfilstation.carriers.karrio_gateway.extensions import provider_units

_DPMM = {"8": 203, "12": 300, "24": 600}


def label_types(carrier: str) -> tuple[str, ...]:
    units = provider_units(carrier)
    kind = getattr(units, "LabelType", None) if units is not None else None
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return tuple(kind.__members__)
    return ("PDF", "ZPL")  # karrio's default connection config label types


def zpl_dpi(name: str) -> int | None:
    """The dpi of a ZPL label type name; None for a name that is not ZPL."""
    upper = name.upper()
    if "ZPL" not in upper:
        return None
    dpmm = re.search(r"(\d+)\s*DPMM", upper)
    if dpmm:
        return _DPMM.get(dpmm.group(1))
    dpi = re.search(r"(203|300|600)", upper)
    return int(dpi.group(1)) if dpi else 203


def label_type_for(carrier: str, wanted: LabelFormat, dpi: int) -> str:
    """The label type name to send: the unified ``ZPL`` when it is at ``dpi``, else a ZPL type
    at ``dpi``; ``PDF`` when no ZPL type is at that dpi or a PDF/PNG was asked for."""
    names = label_types(carrier)
    if wanted is LabelFormat.ZPL:
        at_dpi = [n for n in names if zpl_dpi(n) == dpi]
        if "ZPL" in at_dpi:
            return "ZPL"
        if at_dpi:
            return at_dpi[0]
        return "PDF"
    if wanted is LabelFormat.PNG and "PNG" in names:
        return "PNG"
    return "PDF"
