"""What a scanned barcode says, read with biip.

Accepts what scanners send: UPC-A, EAN-13 (also with the leading 0 a scanner adds to a
UPC-A), GTIN-14 (case labels), GS1-128 / GS1 DataMatrix / GS1 QR element strings (AI 01
GTIN, 10 lot, 17 expiry, 21 serial, 00 SSCC) with ``\\x1d`` group separators, and
an AIM symbology identifier either given separately or in front of the data (``]C1…``).
The human-readable form printed under a GS1 barcode, with the AIs in brackets
(``(01)00614141000302(10)L26660``, as a person types it), is read as the same element string:
it comes out exactly as the raw form would (``text`` is the raw element string).
Anything else (order numbers, badges, command codes, bin labels) is plain ``text``.

Pure: no I/O. ``gtin14`` is the normalised key product barcodes are stored under.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from biip import ParseConfig, ParseError, ParseResult, parse
from biip.gs1_messages import GS1Message

from fulfilstation.domain.aim import GS1_PREFIXES, split_aim

GS = "\x1d"
_CONFIG = ParseConfig(separator_chars=[GS])
_HRI = re.compile(r"\(\d{2,4}\)\S")  # "(01)0061…": a bracketed AI, then its data


@dataclass(frozen=True)
class ScannedCode:
    text: str  # the data without any AIM prefix
    symbology: str | None = None
    gtin14: str | None = None
    lot: str | None = None
    serial: str | None = None
    expiry: dt.date | None = None
    sscc: str | None = None

    @property
    def is_product_code(self) -> bool:
        return self.gtin14 is not None

    @property
    def may_be_box(self) -> bool:
        """Box barcodes are plain text: never digits only, GS1 data or an EAN/UPC."""
        symbology = self.symbology or ""
        return (not self.is_product_code and not self.text.isdigit() and GS not in self.text
                and not symbology.startswith(GS1_PREFIXES))


@functools.lru_cache(maxsize=4096)
def interpret(raw: str, symbology: str | None = None) -> ScannedCode:
    """What a scanned code means. Pure, and cached: a station scans the same few product
    codes all day, and GS1 parsing is the costliest step of a scan."""
    text, aim = raw.strip("\r\n"), symbology
    if aim is None:  # not sent apart from the data (as HID POS does): maybe in front of it
        aim, text = split_aim(text)
    text = _from_hri(text)
    if not text:
        return ScannedCode(text="", symbology=aim)
    result = _parse(text, aim)
    if result is None:
        return ScannedCode(text=text, symbology=aim)
    # A bare GTIN (8/12/13/14 digits) is not an element string, even if it could be read as one.
    bare_gtin = result.gtin is not None and text.isdigit() and len(text) in (8, 12, 13, 14)
    elements = {} if bare_gtin else _elements(result)
    return ScannedCode(
        text=text,
        symbology=aim,
        gtin14=_gtin14(result, elements),
        lot=elements.get("10"),
        serial=elements.get("21"),
        expiry=None if bare_gtin else _expiry(result),
        sscc=result.sscc.value if result.sscc else None,
    )


def _from_hri(text: str) -> str:
    """The raw element string (``\\x1d`` after variable-length fields) of a bracketed GS1
    human-readable text, or ``text`` unchanged when it is not one."""
    if not _HRI.match(text):
        return text
    try:
        return GS1Message.parse_hri(text).value
    except (ParseError, IndexError, ValueError):
        return text


def _parse(text: str, aim: str | None) -> ParseResult | None:
    candidates = [f"{aim}{text}"] if aim else []
    candidates.append(text)
    for candidate in candidates:
        try:
            result = parse(candidate, config=_CONFIG)
        except (ParseError, IndexError, ValueError):  # biip can trip over fragments such as "]"
            continue
        if result.gtin or result.gs1_message or result.sscc:
            return result
    return None


def _elements(result: ParseResult) -> dict[str, str]:
    if result.gs1_message is None:
        return {}
    return {element.ai.ai: element.value for element in result.gs1_message.element_strings}


def _gtin14(result: ParseResult, elements: dict[str, str]) -> str | None:
    if result.gtin is not None:
        return result.gtin.as_gtin_14()
    if result.gs1_message is not None:
        for element in result.gs1_message.element_strings:
            if element.ai.ai in ("01", "02") and element.gtin is not None:
                return element.gtin.as_gtin_14()
    return None


def _expiry(result: ParseResult) -> dt.date | None:
    if result.gs1_message is None:
        return None
    for element in result.gs1_message.element_strings:
        if element.ai.ai == "17" and element.date is not None:
            return element.date
    return None
