"""The ~HS host status parser against the spec's byte strings, variants and noise."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.printer.zpl_status import (
    HEALTHY_REPLY,
    build_host_status,
    parse_host_status,
    reply_complete,
)
from drivers.printer.zpl_stream import Label, TildeCommand, ZplStreamSplitter
from fulfilstation.ports import PrinterCondition as C

SPEC_HEALTHY = (
    b"\x02030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n"
    b"\x02001,0,0,0,1,2,4,0,00000000,1,000\x03\r\n"
    b"\x021234,0\x03\r\n"
)


def _variant(string: int, index: int) -> bytes:
    """The spec's healthy reply with field ``index`` of string ``string`` set to 1."""
    parts = SPEC_HEALTHY.split(b"\x03\r\n")[:3]
    fields = parts[string].lstrip(b"\x02").split(b",")
    fields[index] = b"1"
    parts[string] = b"\x02" + b",".join(fields)
    return b"".join(p + b"\x03\r\n" for p in parts)


def test_spec_healthy_reply_is_ready() -> None:
    status = parse_host_status(SPEC_HEALTHY)
    assert status.ready and status.two_way
    assert status.words == "ready"
    assert status.advice == ""
    assert status.raw == SPEC_HEALTHY
    assert HEALTHY_REPLY == SPEC_HEALTHY == build_host_status()


@pytest.mark.parametrize(
    ("string", "index", "condition"),
    [
        (0, 1, C.PAPER_OUT),
        (0, 2, C.PAUSED),
        (0, 5, C.BUFFER_FULL),
        (1, 2, C.HEAD_OPEN),
        (1, 3, C.RIBBON_OUT),
    ],
)
def test_each_flag_maps_to_its_condition(string: int, index: int, condition: C) -> None:
    status = parse_host_status(_variant(string, index))
    assert status.conditions == {condition}
    assert not status.ready
    assert status.advice


def test_builder_matches_hand_made_variants() -> None:
    assert build_host_status(paper_out=True) == _variant(0, 1)
    assert build_host_status(paused=True) == _variant(0, 2)
    assert build_host_status(buffer_full=True) == _variant(0, 5)
    assert build_host_status(head_open=True) == _variant(1, 2)
    assert build_host_status(ribbon_out=True) == _variant(1, 3)


def test_several_conditions_at_once() -> None:
    reply = build_host_status(paper_out=True, paused=True, head_open=True)
    status = parse_host_status(reply)
    assert status.conditions == {C.PAPER_OUT, C.PAUSED, C.HEAD_OPEN}
    assert status.words == "paper out, head open, paused"


@pytest.mark.parametrize(
    "reply",
    [
        b"",
        SPEC_HEALTHY[:40],  # cut in string 1
        SPEC_HEALTHY.split(b"\r\n")[0] + b"\r\n",  # one string only
        b"\r\n".join(SPEC_HEALTHY.split(b"\r\n")[:2]) + b"\r\n",  # two strings
        SPEC_HEALTHY.replace(b"030,0,0", b"030,x,0"),  # not a number
        SPEC_HEALTHY.replace(b"030,0,0", b"030,2,0"),  # not a flag
        b"\x02030,0\x03\r\n\x02001,0\x03\r\n\x021234,0\x03\r\n",  # too few fields
        b"ok\r\n",
        SPEC_HEALTHY.replace(b"\x03", b""),  # no end markers
    ],
)
def test_short_or_garbled_reply_is_no_answer(reply: bytes) -> None:
    status = parse_host_status(reply)
    assert status.conditions == {C.NO_ANSWER}
    assert not status.ready
    assert status.raw == reply


def test_reply_complete_needs_three_strings_in_any_segmentation() -> None:
    last_end = SPEC_HEALTHY.rindex(b"\x03") + 1
    for cut in range(last_end):
        assert not reply_complete(SPEC_HEALTHY[:cut])
    assert reply_complete(SPEC_HEALTHY[:last_end])
    assert reply_complete(SPEC_HEALTHY)


@given(st.binary(max_size=200))
def test_noise_never_raises_and_is_never_ready(noise: bytes) -> None:
    status = parse_host_status(noise)
    assert not status.ready
    assert status.conditions == {C.NO_ANSWER}


@given(st.binary(max_size=40), st.binary(max_size=40))
def test_noise_around_a_healthy_reply_never_raises(before: bytes, after: bytes) -> None:
    status = parse_host_status(before + SPEC_HEALTHY + after)
    assert status.conditions <= set(C)


@given(st.lists(st.sampled_from(list(b"\x02\x03,01\r\n9")), max_size=120))
def test_structured_noise_is_ready_only_when_well_formed(chars: list[int]) -> None:
    reply = bytes(chars)
    status = parse_host_status(reply)
    if not reply_complete(reply):
        assert status.conditions == {C.NO_ANSWER}


# --------------------------------------------------------------------------- stream


def test_splitter_finds_labels_and_tilde_commands_in_any_chunking() -> None:
    stream = b"~HS\r\n^XA^FO10,10^FDone^FS^XZ\r\n~hs^xa^FDtwo^FS^xz junk ^XA^XZ"
    expected = [
        TildeCommand("~HS"),
        Label(b"^XA^FO10,10^FDone^FS^XZ"),
        TildeCommand("~HS"),
        Label(b"^xa^FDtwo^FS^xz"),
        Label(b"^XA^XZ"),
    ]
    for size in (1, 2, 3, 7, len(stream)):
        splitter = ZplStreamSplitter()
        events = []
        for i in range(0, len(stream), size):
            events += splitter.feed(stream[i : i + size])
        assert events == expected, size


@given(st.binary(max_size=300))
def test_splitter_never_raises_and_labels_are_whole(noise: bytes) -> None:
    for event in ZplStreamSplitter().feed(noise):
        if isinstance(event, Label):
            assert event.data[:3].upper() == b"^XA"
            assert event.data[-3:].upper() == b"^XZ"
