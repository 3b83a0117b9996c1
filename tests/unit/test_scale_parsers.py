"""Scale protocol parsers against the exact byte strings of specs/devices.md, plus
hypothesis streams of noise, partial and interleaved frames."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from drivers.scale import hid_pos, mt_sics, nci, toledo
from drivers.scale.common import CommandReply, FrameParser, Reply
from drivers.serial_port import SEVEN_BIT, strip_parity
from fulfilstation.domain.units import parse_weight_and_unit, to_grams
from fulfilstation.ports import ScaleState, WeightReading

STABLE, MOTION, ZERO = ScaleState.STABLE, ScaleState.MOTION, ScaleState.ZERO
UNDER, OVER, FAULT = ScaleState.UNDER_ZERO, ScaleState.OVER_CAPACITY, ScaleState.FAULT


def readings(replies: Sequence[Reply]) -> list[tuple[int | None, ScaleState]]:
    return [(r.grams, r.state) for r in replies if isinstance(r, WeightReading)]


def weights(replies: Sequence[Reply]) -> list[int]:
    return [g for g, _ in readings(replies) if g is not None]


def with_even_parity(data: bytes) -> bytes:
    """What a 7E1 device looks like on an 8N1 port: parity in bit 7."""
    return bytes(b | (b.bit_count() & 1) << 7 for b in data)


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("value", "unit", "grams"),
    [
        ("1", "lb", 454),
        ("1.25", "lb", 567),
        ("1", "oz", 28),
        ("35.6", "oz", 1009),
        ("1.250", "kg", 1250),
        ("100.00", "g", 100),
        ("0.5", "g", 1),  # half away from zero
        ("1500", "mg", 2),
        ("10", "ct", 2),
        ("1", "ozt", 31),
    ],
)
def test_unit_conversion(value: str, unit: str, grams: int) -> None:
    assert to_grams(Decimal(value), unit) == grams


def test_parse_weight_text() -> None:
    assert parse_weight_and_unit("1.25lb") == (567, "lb")
    assert parse_weight_and_unit(" 2 kg ") == (2000, "kg")
    assert parse_weight_and_unit("16OZ") == (454, "oz")
    with pytest.raises(ValueError, match=r"unit \(g, kg, lb or oz\)"):
        parse_weight_and_unit("1.25 stone")


# --------------------------------------------------------------------------- HID


@pytest.mark.parametrize(
    ("report", "grams", "state"),
    [
        ("03 04 0B FF 64 01", 1009, STABLE),  # 35.6 oz
        ("03 02 0B FF 00 00", 0, ZERO),  # 0 oz, stable at zero
        ("03 04 02 00 E8 03", 1000, STABLE),  # 1000 g
        ("03 03 0C FE 7D 00", 567, MOTION),  # 1.25 lb in motion (not usable)
        ("00 03 04 0B FF 64 01", 1009, STABLE),  # stray leading 0x00
        ("04 04 02 00 E8 03", 1000, STABLE),  # report id 0x04
        ("03 04 03 FD E2 04", 1250, STABLE),  # 1.250 kg
        ("03 04 02 01 64 00", 1000, STABLE),  # positive exponent: 100 × 10 g
        ("03 04 01 00 10 27", 10, STABLE),  # 10000 mg
        ("03 04 04 00 0A 00", 2, STABLE),  # 10 ct
        ("03 04 0A 00 01 00", 31, STABLE),  # 1 troy oz
        ("03 04 0C FE 7D 00 00 00", 567, STABLE),  # longer read, padded
        ("03 01 0B FF 00 00", None, FAULT),
        ("03 05 0B FF 0A 00", None, UNDER),
        ("03 06 0C FF FF FF", None, OVER),
        ("03 07 02 00 00 00", None, FAULT),  # needs calibration
        ("03 08 02 00 00 00", None, FAULT),  # needs re-zeroing
    ],
)
def test_hid_reports(report: str, grams: int | None, state: ScaleState) -> None:
    reading = hid_pos.parse_report(bytes.fromhex(report))
    assert reading is not None
    assert (reading.grams, reading.state) == (grams, state)
    assert reading.usable == (state in (STABLE, ZERO))


def test_hid_report_as_list_of_ints_like_hidapi_returns() -> None:
    reading = hid_pos.parse_report([3, 4, 2, 0, 0xE8, 3])
    assert reading is not None and reading.grams == 1000


@pytest.mark.parametrize(
    "report",
    [
        "",
        "03 04 02 00 E8",
        "02 04 02 00 E8 03",
        "03 00 02 00 E8 03",
        "03 09 02 00 E8 03",
        "03 04 05 00 E8 03",
        "03 04 FF 00 E8 03",
        "00 00 04 02 00 E8 03",
    ],
)
def test_hid_reports_that_are_not_readings(report: str) -> None:
    assert hid_pos.parse_report(bytes.fromhex(report)) is None


@given(st.binary(max_size=16))
def test_hid_random_reports_never_raise_and_weights_need_a_valid_layout(
    data: bytes,
) -> None:
    reading = hid_pos.parse_report(data)
    if reading is not None and reading.grams is not None:
        report = data[1:] if data[:1] == b"\x00" and len(data) > 6 else data
        assert (
            report[0] in (3, 4)
            and report[1] in (2, 3, 4)
            and report[2] in hid_pos.UNITS
        )


@given(
    st.sampled_from([2, 3, 4]),
    st.sampled_from(sorted(hid_pos.UNITS.values())),
    st.integers(-4, 2),
    st.integers(0, 0xFFFF),
)
def test_hid_encode_parse_round_trip(
    status: int, unit: str, exponent: int, raw: int
) -> None:
    reading = hid_pos.parse_report(hid_pos.encode_report(status, unit, exponent, raw))
    assert reading is not None
    assert reading.grams == to_grams(Decimal(raw).scaleb(exponent), unit)


# --------------------------------------------------------------------------- MT-SICS


@pytest.mark.parametrize(
    ("line", "grams", "state"),
    [
        (b"S S     100.00 g\r\n", 100, STABLE),
        (b"S D     100.02 g\r\n", 100, MOTION),
        (b"S S 100.00 g\r\n", 100, STABLE),  # columns do not matter
        (b"S\tS\t  1.250\tkg\r\n", 1250, STABLE),
        (b"S S       1.25 lb\r\n", 567, STABLE),
        (b"S S      35.60 oz\r\n", 1009, STABLE),
        (b"S S       0.00 g\r\n", 0, ZERO),
        (b"S S     -12.50 g\r\n", None, UNDER),  # negative net: not a weight
        (b"S S     100.00 g\n", 100, STABLE),  # lone LF
        (b"S I\r\n", None, MOTION),  # cannot execute now
        (b"S +\r\n", None, OVER),
        (b"S -\r\n", None, UNDER),
    ],
)
def test_mt_sics_replies(line: bytes, grams: int | None, state: ScaleState) -> None:
    assert readings(mt_sics.Parser().feed(line)) == [(grams, state)]


@pytest.mark.parametrize(
    ("line", "command", "ok"),
    [
        (b"Z A\r\n", "Z", True),
        (b"Z I\r\n", "Z", False),
        (b"Z +\r\n", "Z", False),
        (b"Z -\r\n", "Z", False),
        (b"ES\r\n", "E", False),
        (b"ET\r\n", "E", False),
        (b"EL\r\n", "E", False),
    ],
)
def test_mt_sics_command_replies(line: bytes, command: str, ok: bool) -> None:
    (reply,) = mt_sics.Parser().feed(line)
    assert isinstance(reply, CommandReply)
    assert (reply.command, reply.ok) == (command, ok)
    assert mt_sics.zero_outcome(reply) is ok


@pytest.mark.parametrize(
    "line",
    [
        b"S S     100.00 mg\r\n",
        b"S S     abc g\r\n",
        b"S X 100 g\r\n",
        b"S S 100.00\r\n",
        b'I4 A "0123"\r\n',
        b"\r\n",
        b"S S     100.00 g",
    ],
)
def test_mt_sics_non_weights(line: bytes) -> None:
    assert weights(mt_sics.Parser().feed(line)) == []


def test_mt_sics_7e1_on_8n1() -> None:
    assert weights(
        mt_sics.Parser().feed(with_even_parity(b"S S     100.00 g\r\n"))
    ) == [100]


# --------------------------------------------------------------------------- NCI

S_OK, S_MOTION, S_ZERO = b"00", b"10", b"20"  # '1' = 0x31 bit0; '2' = 0x32 bit1


@pytest.mark.parametrize(
    ("frame", "grams", "state"),
    [
        (b"\n001.25lb\r\n00\r\x03", 567, STABLE),
        (b"\n001.25lb\r\n10\r\x03", 567, MOTION),
        (b"\n000.00lb\r\n20\r\x03", 0, ZERO),
        (b"\n01.250kg\r\n00\r\x03", 1250, STABLE),
        (b"\n0.570kg\r\n00\r\x03", 570, STABLE),
        (b"\n0020.0oz\r\n00\r\x03", 567, STABLE),
        (b"\n  1.25 LB\r\n00\r\x03", 567, STABLE),
        (b"\n 1lb 4.0oz\r\n00\r\x03", 567, STABLE),
        (b"\n001250g\r\n00\r\x03", 1250, STABLE),
        (b"\n--------\r\n10\r\x03", None, MOTION),
        (b"\n^^^^^^^^\r\n02\r\x03", None, OVER),
        (b"\n________\r\n01\r\x03", None, UNDER),
        (b"\n^^^^^^^^\r\n00\r\x03", None, OVER),  # marks alone tell why
        (b"\n________\r\n00\r\x03", None, UNDER),
        (b"\n--------\r\n00\r\x03", None, MOTION),
        (b"\n00\r\x03", None, STABLE),  # status only
        (b"\n10\r\x03", None, MOTION),
        (b"\n20\r\x03", None, ZERO),
        (b"\n01\r\x03", None, UNDER),
        (b"\n02\r\x03", None, OVER),
        (b"\n40\r\x03", None, FAULT),  # RAM error
        (b"\n80\r\x03", None, FAULT),  # EEPROM error
        (b"\n04\r\x03", None, FAULT),  # ROM error
        (b"\n08\r\x03", None, FAULT),  # calibration fault
        (b"\n001.25lb\r\n08\r\x03", None, FAULT),
        (b"\n001.25lb\r\n0p0\r\x03", 567, STABLE),  # third status byte follows
        (b"\n001.25lb\r\n0p8\r\x03", None, FAULT),  # initial zero error
        (b"\n001.25lb\r\n0p4\r\x03", 567, STABLE),  # net weight flag
    ],
)
def test_nci_replies(frame: bytes, grams: int | None, state: ScaleState) -> None:
    assert readings(nci.Parser().feed(frame)) == [(grams, state)]
    assert readings(nci.Parser().feed(with_even_parity(frame))) == [(grams, state)]


def test_nci_status_bytes_with_parity_bit_set() -> None:
    # '1' (0x31) has odd weight: a 7E1 device sends 0xB1 for it
    assert readings(nci.Parser().feed(b"\n001.25lb\r\n\xb10\r\x03")) == [(567, MOTION)]


def test_nci_unknown_command() -> None:
    (reply,) = nci.Parser().feed(b"\n?\r\x03")
    assert reply == CommandReply("?", ok=False, raw=b"\n?\r\x03")
    assert nci.zero_outcome(reply) is False
    (status,) = nci.Parser().feed(b"\n20\r\x03")
    assert nci.zero_outcome(status) is True
    (moving,) = nci.Parser().feed(b"\n10\r\x03")
    assert nci.zero_outcome(moving) is False


@pytest.mark.parametrize(
    ("record", "outcome"),
    [(b"\x02000.00\r", True), (b"\x02001.25\r", True), (b"\x02?a\r", False)],
)
def test_toledo_zero_outcome(record: bytes, outcome: bool) -> None:
    (reply,) = toledo.Parser().feed(record)
    assert toledo.zero_outcome(reply) is outcome


@pytest.mark.parametrize(
    "frame",
    [
        b"\n001.25\r\n00\r\x03",
        b"\nabc\r\n00\r\x03",
        b"\n001.25lb\r\n\r\x03",
        b"\n001.25lb\r\n0\r\x03",
        b"001.25lb\r\n00\r\x03",
        b"\n001.25lb\r\n00\r",
        b"\n001.25xx\r\n00\r\x03",
        b"\n1.2.3lb\r\n00\r\x03",
    ],
)
def test_nci_malformed_frames_are_not_weights(frame: bytes) -> None:
    assert weights(nci.Parser().feed(frame)) == []


# --------------------------------------------------------------------------- Toledo


@pytest.mark.parametrize(
    ("record", "grams", "state"),
    [
        (b"\x02001.25\r", 567, STABLE),
        (b"\x0201.250\r", 1250, STABLE),  # kg scale: WW.WWW
        (b"\x02001.25N\r", 567, STABLE),  # net
        (b"\x02000.00\r", 0, ZERO),
        (b"\x02?a\r", None, MOTION),
        (b"\x02?d\r", None, UNDER),
        (b"\x02?b\r", None, OVER),
        (b"\x02?p\r", None, ZERO),  # centre of zero, no weight sent
        (b"\x02?h\r", None, STABLE),  # outside zero capture only
        (b"\x02?c\r", None, OVER),  # over capacity wins over motion
    ],
)
def test_toledo_records(record: bytes, grams: int | None, state: ScaleState) -> None:
    assert readings(toledo.Parser().feed(record)) == [(grams, state)]
    assert readings(toledo.Parser().feed(with_even_parity(record))) == [(grams, state)]


def test_toledo_unit_can_be_forced() -> None:
    assert weights(toledo.Parser(unit="kg").feed(b"\x02001.25\r")) == [1250]


@pytest.mark.parametrize(
    "record",
    [
        b"\x02001.2\r",
        b"\x0212345.67\r",
        b"\x02abc\r",
        b"001.25\r",
        b"\x02001.25",
        b"\x02?\r",
        b"\x02001.25X\r",
        b"\x02001.2500\r",
    ],
)
def test_toledo_malformed_records_are_not_weights(record: bytes) -> None:
    assert weights(toledo.Parser().feed(record)) == []


# --------------------------------------------------------------------------- encoders


@pytest.mark.parametrize("unit", ["g", "kg", "lb", "oz"])
def test_mt_sics_encoder_round_trips(unit: str) -> None:
    frame = mt_sics.encode_weight(567, unit)
    assert weights(mt_sics.Parser().feed(frame)) == [567]


def test_encoders_produce_spec_bytes() -> None:
    assert mt_sics.encode_weight(100, "g") == b"S S     100.00 g\r\n"
    assert nci.encode_weight(567, "lb", nci.Status()) == b"\n001.25lb\r\n00\r\x03"
    assert toledo.encode_weight(567) == b"\x02001.25\r"
    assert toledo.encode_status(motion=True) == b"\x02?a\r"
    assert toledo.encode_status(under=True) == b"\x02?d\r"
    assert hid_pos.encode_weight(567, "lb", MOTION) == bytes.fromhex(
        "03 03 0C FE 7D 00"
    )


# --------------------------------------------------------------------------- streams

Protocol = tuple[
    Callable[[], FrameParser], re.Pattern[bytes], list[tuple[bytes, int | None]]
]

# For each protocol: a parser, a *looser* pattern than the parser's (if garbage does
# not match it, no weight can be in it), and valid frames with the grams they carry.
PROTOCOLS: dict[str, Protocol] = {
    "mt-sics": (
        mt_sics.Parser,
        re.compile(rb"S\s+[SD]\s+[-+]?[\d.]+\s+[A-Za-z]", re.DOTALL),
        [
            (b"S S     100.00 g\r\n", 100),
            (b"S D       1.25 lb\r\n", 567),
            (b"S +\r\n", None),
            (b"S S 2.5 kg\n", 2500),
        ],
    ),
    "nci": (
        nci.Parser,
        re.compile(rb"\d.*(lb|kg|g|oz)", re.DOTALL | re.IGNORECASE),
        [
            (b"\n001.25lb\r\n00\r\x03", 567),
            (b"\n01.250kg\r\n10\r\x03", 1250),
            (b"\n^^^^^^^^\r\n02\r\x03", None),
            (b"\n 1lb 4.0oz\r\n00\r\x03", 567),
            (b"\n10\r\x03", None),
        ],
    ),
    "toledo": (
        toledo.Parser,
        re.compile(rb"\x02[ ]*\d+\.\d+", re.DOTALL),
        [
            (b"\x02001.25\r", 567),
            (b"\x0201.250\r", 1250),
            (b"\x02?a\r", None),
            (b"\x02001.25N\r", 567),
        ],
    ),
}
protocol_names = st.sampled_from(sorted(PROTOCOLS))
noise = st.binary(max_size=40) | st.lists(
    st.sampled_from(
        [b"\r", b"\n", b"\x02", b"\x03", b"S", b" ", b"1", b".", b"lb", b"?", b"\xff"]
    ),
    max_size=20,
).map(b"".join)


def feed_in_chunks(parser: FrameParser, data: bytes, cuts: list[int]) -> list[Reply]:
    replies: list[Reply] = []
    start = 0
    for cut in sorted({c % (len(data) + 1) for c in cuts}) + [len(data)]:
        replies += parser.feed(data[start:cut])
        start = max(start, cut)
    return replies


@given(protocol_names, noise, st.lists(st.integers(0, 200), max_size=8))
def test_noise_never_raises_and_never_weighs(
    name: str, garbage: bytes, cuts: list[int]
) -> None:
    new_parser, could_weigh, _ = PROTOCOLS[name]
    assume(not could_weigh.search(garbage.translate(SEVEN_BIT)))
    assert weights(feed_in_chunks(new_parser(), garbage, cuts)) == []


@given(
    protocol_names, st.binary(max_size=300), st.lists(st.integers(0, 300), max_size=10)
)
def test_chunking_never_changes_the_result(
    name: str, data: bytes, cuts: list[int]
) -> None:
    new_parser = PROTOCOLS[name][0]
    whole = new_parser().feed(data)
    assert feed_in_chunks(new_parser(), data, cuts) == whole


@given(
    protocol_names, st.data(), noise, noise, st.lists(st.integers(0, 200), max_size=8)
)
def test_valid_frames_in_noise_still_parse(
    name: str, data: st.DataObject, before: bytes, between: bytes, cuts: list[int]
) -> None:
    new_parser, could_weigh, frames = PROTOCOLS[name]
    first, first_grams = data.draw(st.sampled_from(frames))
    second, second_grams = data.draw(st.sampled_from(frames))
    for garbage, frame in ((before, first), (between, second)):
        if name == "nci" and frame.count(b"\n") == 1:  # status only: a weight line
            # at the very end of the noise would be read as this frame's weight
            assume(not re.search(rb"\n[^\r\n]+\r$", garbage.translate(SEVEN_BIT)))
    replies = feed_in_chunks(new_parser(), before + first + between + second, cuts)
    got = readings(replies)
    assert parse(first) in got
    assert parse(second) in got
    if not could_weigh.search((before + between).translate(SEVEN_BIT)):
        assert set(weights(replies)) <= {first_grams, second_grams}


def parse(frame: bytes) -> tuple[int | None, ScaleState]:
    name = {b"S": "mt-sics", b"\n": "nci", b"\x02": "toledo"}[frame[:1]]
    ((grams, state),) = readings(PROTOCOLS[name][0]().feed(frame))
    return grams, state


def test_buffer_stays_bounded_under_endless_noise() -> None:
    parser = mt_sics.Parser()
    for _ in range(1000):
        parser.feed(b"x" * 100)
    assert weights(parser.feed(b"S S 5 g\r\n")) == [5]


def test_strip_parity_clears_bit_7() -> None:
    assert strip_parity(bytes([0xB1, 0x30, 0x82, 0xFF])) == bytes(
        [0x31, 0x30, 0x02, 0x7F]
    )
