"""HID POS scanner reports (usage page 0x8C): the pure parser and assembler."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from drivers.scanner.hid_pos import (
    REPORT_SIZE,
    HidPosAssembler,
    HidPosReport,
    choose_path,
    parse_report,
)
from drivers.scanner.scan_text import decode_data
from drivers.sim.scanner import hid_pos_reports
from fulfilstation.domain.aim import is_aim_id
from fulfilstation.ports import ScanValue

GS1 = b"0109501101530008\x1d10ABC123"


def pad(body: bytes, last: int = 0) -> bytes:
    """A 64-byte report: ``body``, zero padding, then the continuation byte."""
    return body.ljust(REPORT_SIZE - 1, b"\x00") + bytes([last])


def test_honeywell_report_with_length_byte() -> None:
    report = pad(b"\x02\x0d]E0" + b"0012345678905")
    assert parse_report(report) == HidPosReport(b"0012345678905", "]E0", more=False)


def test_report_without_length_byte_finds_the_aim_bracket() -> None:
    report = pad(b"\x02]C1" + GS1)
    assert parse_report(report) == HidPosReport(GS1, "]C1", more=False)


def test_length_byte_counts_data_only_and_ignores_trailing_bytes() -> None:
    report = pad(b"\x02\x05]C0" + b"ABCDE" + b"XYZ")  # vendor bytes after the data
    assert parse_report(report) == HidPosReport(b"ABCDE", "]C0", more=False)


def test_stray_leading_zero_is_skipped() -> None:
    report = b"\x00" + pad(b"\x02\x04]C0ABCD")
    assert parse_report(report) == HidPosReport(b"ABCD", "]C0", more=False)


def test_continuation_bit() -> None:
    assert parse_report(pad(b"\x02\x02]C0AB", last=1)) == HidPosReport(
        b"AB", "]C0", True
    )


def test_no_aim_id_with_length_byte() -> None:
    report = pad(b"\x02\x03\x00\x00\x00123")
    assert parse_report(report) == HidPosReport(b"123", None, more=False)


@pytest.mark.parametrize(
    "report",
    [
        b"",
        b"\x02",
        pad(b"\x03\x04]C0ABCD"),  # another report id
        pad(b"\x02\x00]C0"),  # empty
        pad(b"\x02\x7f]C0ABCD"),  # length past the report
        pad(b"\x02\x04]!!ABCD"),  # bad AIM id
        pad(b"\x02]"),  # no data
    ],
)
def test_not_a_scan(report: bytes) -> None:
    assert parse_report(report) is None


def test_assembler_joins_continuation_reports_with_gs_kept() -> None:
    data = GS1 * 6  # 156 bytes: three reports
    for with_length in (True, False):
        reports = hid_pos_reports(data, "]C1", with_length=with_length)
        assert len(reports) == 3 and all(len(r) == REPORT_SIZE for r in reports)
        assembler = HidPosAssembler()
        results = [assembler.feed(r) for r in reports]
        assert results[:2] == [None, None]
        assert results[2] == ScanValue(data.decode(), "]C1", b"".join(reports))


def test_assembler_ignores_foreign_reports_between_pieces() -> None:
    first, second = hid_pos_reports(b"X" * 70, "]C0")
    assembler = HidPosAssembler()
    assert assembler.feed(first) is None
    assert assembler.feed(pad(b"\x05junk")) is None
    value = assembler.feed(second)
    assert value is not None and value.text == "X" * 70


def test_non_utf8_data_decodes_as_latin1() -> None:
    value = HidPosAssembler().feed(pad(b"\x02\x03]C0\xe9\xff\x41"))
    assert value is not None and value.text == "\xe9\xffA"


def test_choose_path_prefers_usage_page_and_product_id() -> None:
    entries = [
        {"path": b"kbd", "product_id": 0x0B61, "usage_page": 0x01, "usage": 6},
        {"path": b"other", "product_id": 0x0B6A, "usage_page": 0x8C, "usage": 2},
        {"path": b"pos", "product_id": 0x0B61, "usage_page": 0x8C, "usage": 2},
    ]
    assert choose_path(entries, 0x0B61, None) == b"pos"
    assert (
        choose_path(entries, 0x9999, None) == b"other"
    )  # the pid changed with the mode
    assert choose_path(entries[:1], 0x0B61, None) is None
    entries[2]["serial_number"] = "A1"
    assert choose_path(entries, 0x0B61, "A1") == b"pos"


@given(st.binary(max_size=130))
def test_parser_never_raises_on_noise(report: bytes) -> None:
    part = parse_report(report)
    if part is not None:
        assert part.data and len(part.data) < len(report)
        assert part.symbology is None or is_aim_id(part.symbology)


@given(st.lists(st.binary(min_size=1, max_size=70), max_size=20))
def test_assembler_never_raises_on_noise(reports: list[bytes]) -> None:
    assembler = HidPosAssembler()
    for report in reports:
        value = assembler.feed(report)
        assert value is None or isinstance(value.text, str)


@given(
    st.binary(min_size=1, max_size=300),
    st.sampled_from(["]C0", "]C1", "]E0", "]d2", "]Q3"]),
    st.booleans(),
)
def test_simulator_reports_round_trip(data: bytes, aim: str, with_length: bool) -> None:
    assume(with_length or b"\x00" not in data)  # zero padding hides trailing zeros
    assembler = HidPosAssembler()
    reports = hid_pos_reports(data, aim, with_length=with_length)
    values = [assembler.feed(r) for r in reports]
    assert all(v is None for v in values[:-1])
    assert values[-1] == ScanValue(decode_data(data), aim, b"".join(reports))
