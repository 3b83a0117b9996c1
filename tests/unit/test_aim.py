"""AIM symbology identifiers: one splitter (fulfilstation.domain.aim), and every scanner path
(keyboard wedge, serial, HID POS without a length byte, the scan interpreter) splits the
same prefix off the same data."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.scanner.hid_pos import REPORT_SIZE, parse_report
from drivers.scanner.serial_scanner import SerialLineSplitter
from drivers.scanner.wedge import WedgeBurstDetector
from drivers.sim.scanner import wedge_keystrokes
from fulfilstation.domain.aim import is_aim_id, split_aim, split_aim_bytes, symbology_name
from fulfilstation.domain.scan_codes import interpret
from fulfilstation.ports import ScanValue


@pytest.mark.parametrize(("text", "split"), [
    ("]C10100614141000012", ("]C1", "0100614141000012")),
    ("]E00036000291452", ("]E0", "0036000291452")),
    ("]d2data", ("]d2", "data")),
    ("]Q3", ("]Q3", "")),
    ("]z9 keeps spaces ", ("]z9", " keeps spaces ")),
    ("]CA", ("]CA", "")),  # a letter is a valid modifier character
    ("]C", (None, "]C")),  # too short
    ("]C-1", (None, "]C-1")),  # the modifier is a digit or a letter
    ("]1C2", (None, "]1C2")),  # the code character is a letter
    ("[C1x", (None, "[C1x")),
    (" ]C1x", (None, " ]C1x")),  # only at the very start
    ("]\u00e91x", (None, "]\u00e91x")),  # ASCII letters only
    ("", (None, "")),
])
def test_split_aim(text: str, split: tuple[str | None, str]) -> None:
    assert split_aim(text) == split
    aim, rest = split
    assert split_aim_bytes(text.encode()) == (aim, rest.encode())


def test_is_aim_id_and_names() -> None:
    assert is_aim_id("]C1") and not is_aim_id("]C") and not is_aim_id("[C1") and not is_aim_id("]C1x")
    assert symbology_name("]C1") == "GS1-128" and symbology_name("]z9") == "]z9" and symbology_name(None) == ""


PREFIXES = st.sampled_from(["", "]C1", "]E0", "]d2", "]Q3", "]z9", "]C", "]C-", "]1A", "[C1", "]]C1", "\u00e9"]) | \
    st.builds("]{}{}".format, st.sampled_from(string.printable[:94]), st.sampled_from(string.printable[:94]))
DATA = st.text(string.ascii_letters + string.digits + "-./ ", min_size=4, max_size=40).filter(str.strip)


@given(PREFIXES, DATA)
def test_every_scanner_path_splits_the_same_prefix(prefix: str, data: str) -> None:
    raw = prefix + data
    aim, rest = split_aim(raw)
    assert split_aim_bytes(raw.encode()) == (aim, rest.encode())
    code = interpret(raw)
    assert (code.symbology, code.text) == (aim, rest)
    assert SerialLineSplitter().feed(raw.encode() + b"\r") == [ScanValue(rest, aim, raw.encode())]
    wedge = WedgeBurstDetector()
    events = [event for key, t in wedge_keystrokes(raw) for event in wedge.feed(key, t)]
    assert [(e.symbology, e.text) for e in events if isinstance(e, ScanValue)] == [(aim, rest)]
    if raw.startswith("]") and aim is not None:  # HID POS without a length byte finds the "]"
        report = parse_report((b"\x02" + raw.encode()).ljust(REPORT_SIZE, b"\x00"))
        assert report is not None and (report.symbology, report.data) == (aim, rest.encode())


def test_a_symbology_sent_apart_is_not_looked_for_again_in_the_data() -> None:
    """HID POS sends the identifier in the report header: data that starts with ``]`` is data."""
    code = interpret("]C1abc", "]C0")
    assert (code.symbology, code.text) == ("]C0", "]C1abc")
