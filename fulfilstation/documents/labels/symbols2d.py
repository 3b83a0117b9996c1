"""Two-dimensional symbols on carrier labels: UPS MaxiCode and PDF417 (the FedEx 2D barcode).

Plain frozen data like the rest of :mod:`.description`; the ZPL renderer leaves the encoding
to the printer (``^BD``, ``^B7``), the PDF renderer encodes with zint (:mod:`.pdf_2d`).

Invariants:

* A :class:`MaxiCode` is a structured carrier message (mode 2: a US 9-digit postal code;
  mode 3: an international postal code of up to 6 letters or digits), ISO 3166 numeric
  country and 3-digit class of service in the primary message, and the secondary message
  that starts with the ISO/IEC 15434 header ``[)>`` RS ``01`` GS ``yy``. :meth:`MaxiCode.text`
  is what a reader returns: the header, then postal code, country and class, each followed
  by GS, then the rest of the secondary message. The symbol is always the standard
  28.14 × 26.91 mm; the element reserves that box.
* A :class:`Pdf417` is centred in its box; its data may hold the control characters
  RS, GS and EOT of an ISO/IEC 15434 message (the renderers escape them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RS, GS, EOT = "\x1e", "\x1d", "\x04"
MAXICODE_SIZE = (28.14, 26.91)  # mm, ISO/IEC 16023: the symbol is one size
_HEADER = re.compile(r"\[\)>\x1e01\x1d\d\d")


@dataclass(frozen=True)
class MaxiCode:
    x: float
    y: float
    mode: int  # 2: US (numeric postal code), 3: international
    postal_code: str  # mode 2: 9 digits (ZIP + 4, "0000" when there is none); mode 3: up to 6 A-Z/0-9
    country: str  # ISO 3166 numeric, 3 digits
    service_class: str  # 3 digits
    message: str  # the secondary message: "[)>" RS "01" GS "96" + fields … RS EOT

    def __post_init__(self) -> None:
        if self.mode == 2 and not re.fullmatch(r"\d{9}", self.postal_code):
            raise ValueError(f"a mode 2 MaxiCode carries a 9-digit postal code, not {self.postal_code!r}")
        if self.mode == 3 and not re.fullmatch(r"[A-Z0-9]{1,6}", self.postal_code):
            raise ValueError(f"a mode 3 MaxiCode carries up to 6 letters or digits, not {self.postal_code!r}")
        if self.mode not in (2, 3):
            raise ValueError(f"carrier labels use MaxiCode mode 2 or 3, not {self.mode}")
        if not (re.fullmatch(r"\d{3}", self.country) and re.fullmatch(r"\d{3}", self.service_class)):
            raise ValueError("the MaxiCode country and class of service are 3 digits each")
        if not _HEADER.match(self.message):
            raise ValueError("the MaxiCode secondary message starts with [)> RS 01 GS and a 2-digit year")

    @property
    def width(self) -> float:
        return MAXICODE_SIZE[0]

    @property
    def height(self) -> float:
        return MAXICODE_SIZE[1]

    @property
    def header(self) -> str:
        return self.message[:9]

    @property
    def postal_field(self) -> str:
        """The postal code as the symbol carries it: mode 3 always holds 6 characters (padded
        with spaces)."""
        return self.postal_code if self.mode == 2 else f"{self.postal_code:<6}"

    def text(self) -> str:
        """The whole message as a reader returns it: the primary fields inside the header."""
        return f"{self.header}{self.postal_field}{GS}{self.country}{GS}{self.service_class}{GS}{self.message[9:]}"


@dataclass(frozen=True)
class Pdf417:
    x: float
    y: float
    width: float  # the box: the symbol and its quiet zones stay inside it
    height: float
    data: str
    columns: int = 10  # data columns
    security: int = 5  # error correction level 0-8 (5: 64 codewords)
    module: float = 0.38  # widest module wanted, mm
    row_modules: int = 3  # row height in modules

    def __post_init__(self) -> None:
        if not self.data or not 1 <= self.columns <= 30 or not 0 <= self.security <= 8:
            raise ValueError("a PDF417 needs data, 1-30 columns and a security level 0-8")
        if any(ord(char) > 0xFF for char in self.data):
            raise ValueError("PDF417 data on our labels is Latin-1")

    @property
    def modules_wide(self) -> int:
        """Start, left row indicator, data columns, right row indicator, stop."""
        return 17 + 17 + 17 * self.columns + 17 + 18
