"""An expiry date as typed or scanned at the receiving bench (``domain.expiry_text``)."""

from __future__ import annotations

import datetime as dt

import pytest

from fulfilstation.domain.expiry_text import ExpiryUnreadable, read_expiry


@pytest.mark.parametrize(("text", "date"), [
    ("2027-12-31", dt.date(2027, 12, 31)),
    (" 271231 ", dt.date(2027, 12, 31)),
    ("270200", dt.date(2027, 2, 28)),  # GS1: day 00 is the month's last day
    ("280200", dt.date(2028, 2, 29)),
    ("31/12/2027", dt.date(2027, 12, 31)),
    ("1.2.2028", dt.date(2028, 2, 1)),
    ("none", None),
    ("-", None),
    ("NONE", None),
])
def test_the_forms_people_use(text: str, date: dt.date | None) -> None:
    assert read_expiry(text) == date


@pytest.mark.parametrize("text", ["next spring", "2027-13-01", "271332", "31/02/2027", "", "20271231"])
def test_anything_else_says_how_to_write_it(text: str) -> None:
    with pytest.raises(ExpiryUnreadable, match="YYYY-MM-DD"):
        read_expiry(text)
