"""What a scanned shipping label's barcode carries: the tracking numbers to look up."""

from __future__ import annotations

import pytest

from fulfilstation.domain.gs1 import with_check_digit
from fulfilstation.domain.tracking_codes import tracking_candidates

SSCC = with_check_digit("00614141000000001")
USPS = "9405590123456700000013"


@pytest.mark.parametrize(("code", "expected"), [
    (f"]C100{SSCC}", SSCC),  # GS1-128 SSCC label, AIM identifier in front
    (f"00{SSCC}", SSCC),  # the same without the identifier
    (SSCC, SSCC),  # typed
    (f"42062704\x1d{USPS}", USPS),  # USPS IMpb: 420 + ZIP, group separator, tracking number
    (f"]C142062704\x1d{USPS}", USPS),
    (f"420627041234\x1d{USPS}", USPS),  # ZIP+4
    (f"42062704{USPS}", USPS),  # a wedge that dropped the separator
    ("1Z999AA10123456784", "1Z999AA10123456784"),
    ("  T-00012 ", "T-00012"),
])
def test_the_tracking_number_is_among_the_candidates(code: str, expected: str) -> None:
    candidates = tracking_candidates(code)
    assert expected in candidates and code.strip() == candidates[0]
    assert len(candidates) == len(set(candidates)) and all(candidates)


def test_nothing_typed_looks_for_nothing() -> None:
    assert tracking_candidates("   ") == ()
