"""ZPL of the two-dimensional symbols (:mod:`.symbols2d`): ``^BD`` MaxiCode, ``^B7`` PDF417.

Invariants: the data travels escaped with ``^FH_`` — ``^``, ``~``, ``_`` and every control
character (RS, GS, EOT of an ISO/IEC 15434 message) as ``_XX`` hex — so no data can end a
field or start a command. The printer encodes the symbol; the PDF renderer encodes the same
data with zint, so both read back to the same text.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from fulfilstation.documents.labels.symbols2d import MaxiCode, Pdf417
from fulfilstation.domain.units import MM_PER_INCH

Dots = Callable[[float], int]
MIN_MODULE_DOTS = {203: 2, 300: 3}


def hex_escape(data: str) -> str:
    """``data`` for a ``^FH_`` field: specials and control characters as ``_XX``."""
    return "".join(f"_{ord(c):02X}" if c in "^~_" or ord(c) < 0x20 or ord(c) == 0x7F else c for c in data)


def maxicode_zpl(symbol: MaxiCode, dots: Dots) -> str:
    """``^BD`` mode 2 or 3: the high-priority message (class, country, postal code: 9 digits in
    mode 2, 6 characters padded with spaces in mode 3) then the secondary message."""
    primary = f"{symbol.service_class}{symbol.country}{symbol.postal_field}"
    return f"^FO{dots(symbol.x)},{dots(symbol.y)}^BD{symbol.mode},1,1^FH_^FD{primary}{hex_escape(symbol.message)}^FS"


def pdf417_zpl(symbol: Pdf417, dpi: int, dots: Dots) -> str:
    """``^B7`` with the widest module (whole dots, at most ``module``) that fits the box."""
    box = dots(symbol.width)
    wanted = max(MIN_MODULE_DOTS[dpi], math.floor(symbol.module * dpi / MM_PER_INCH))
    quiet = 4  # modules each side
    module = next((m for m in range(wanted, MIN_MODULE_DOTS[dpi] - 1, -1)
                   if (symbol.modules_wide + 2 * quiet) * m <= box), 0)
    if not module:
        raise ValueError(f"the PDF417 does not fit in {symbol.width:.1f} mm at {dpi} dpi")
    x = dots(symbol.x) + (box - symbol.modules_wide * module) // 2
    row = symbol.row_modules * module
    return (f"^FO{x},{dots(symbol.y)}^BY{module}^B7N,{row},{symbol.security},{symbol.columns},,N"
            f"^FH_^FD{hex_escape(symbol.data)}^FS")
