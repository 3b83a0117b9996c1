"""What a scanned or typed label code may name: the tracking numbers to look a shipment up by.

A shipping label's barcode is not always the bare tracking number. An SSCC label encodes
``00`` + the 18-digit SSCC (GS1-128); a USPS IMpb label encodes ``420`` + the destination
ZIP (5 or 9 digits), a group separator, then the tracking number. A scanner may send an AIM
identifier (``]C1``) in front, and a keyboard wedge may drop the group separator.
``tracking_candidates`` gives the code as typed and every number it may carry, for exact
look-ups (the database holds the bare numbers). Pure: no I/O.
"""

from __future__ import annotations

from fulfilstation.domain.scan_codes import GS, interpret

IMPB_ROUTING = "420"  # GS1 AI 420: ship-to postal code, in front of a USPS tracking number
_ZIP_LENGTHS = (5, 9)
_SHORTEST_TRACKING = 10


def tracking_candidates(code: str) -> tuple[str, ...]:
    """The text itself, then the numbers its barcode may carry (no duplicates, none empty)."""
    typed = code.strip()
    if not typed:
        return ()
    scanned = interpret(typed)
    text = scanned.text.strip()
    found = [typed, text]
    if scanned.sscc:
        found.append(scanned.sscc)
    if text.startswith(IMPB_ROUTING):
        found.extend(_after_routing(text[len(IMPB_ROUTING):]))
    return tuple(dict.fromkeys(candidate for candidate in found if candidate))


def _after_routing(rest: str) -> list[str]:
    if GS in rest:
        return [rest.split(GS, 1)[1]]
    return [rest[length:] for length in _ZIP_LENGTHS
            if rest[:length].isdigit() and len(rest) - length >= _SHORTEST_TRACKING]
