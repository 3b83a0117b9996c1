"""The Zebra ``~HS`` host status reply: parser (bytes -> PrinterStatus) and encoder.

The printer answers ``~HS`` with three ``\\x02…\\x03\\r\\n`` strings of comma-separated
decimal fields. String 1: comm settings, **paper out**, **pause**, label length, formats
in buffer, **buffer full**, diagnostic mode, partial format, unused, RAM corrupt, under
temperature, over temperature. String 2: function settings, unused, **head up**,
**ribbon out**, thermal transfer, print mode, width mode, label waiting, labels
remaining, 1, graphics stored. String 3: password, static RAM.

Invariant: only a complete, well-formed reply can be ready. Anything short, garbled or
missing is ``NO_ANSWER`` (a fault), never "ok". Pure functions; any thread.
"""

from __future__ import annotations

import re

from fulfilstation.ports import PrinterCondition, PrinterStatus

HS_COMMAND = b"~HS"

_STRING_RE = re.compile(rb"\x02([^\x02\x03]*)\x03")
_FLAG_FIELDS: dict[tuple[int, int], PrinterCondition] = {
    (0, 1): PrinterCondition.PAPER_OUT,
    (0, 2): PrinterCondition.PAUSED,
    (0, 5): PrinterCondition.BUFFER_FULL,
    (1, 2): PrinterCondition.HEAD_OPEN,
    (1, 3): PrinterCondition.RIBBON_OUT,
}
_MIN_FIELDS = (6, 4, 1)  # enough to read every flag above, per string

HEALTHY_REPLY = (
    b"\x02030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n"
    b"\x02001,0,0,0,1,2,4,0,00000000,1,000\x03\r\n"
    b"\x021234,0\x03\r\n"
)


def no_answer(raw: bytes = b"") -> PrinterStatus:
    """The status of a printer that did not answer (or answered nonsense)."""
    return PrinterStatus(conditions=frozenset({PrinterCondition.NO_ANSWER}), raw=raw)


def reply_complete(buffer: bytes) -> bool:
    """True once ``buffer`` holds three ``\\x02…\\x03`` strings (stop reading then)."""
    return len(_STRING_RE.findall(buffer)) >= 3


def _fields(buffer: bytes) -> list[list[str]] | None:
    strings = _STRING_RE.findall(buffer)[:3]
    if len(strings) < 3:
        return None
    try:
        fields = [s.decode("ascii").strip().split(",") for s in strings]
    except UnicodeDecodeError:
        return None
    for values, minimum in zip(fields, _MIN_FIELDS, strict=True):
        if len(values) < minimum or not all(v.strip().isdigit() for v in values):
            return None
    return fields


def parse_host_status(reply: bytes) -> PrinterStatus:
    """Parse a ``~HS`` reply. Never raises; garbled or short -> ``NO_ANSWER``."""
    fields = _fields(reply)
    if fields is None:
        return no_answer(reply)
    conditions = set()
    for (string, index), condition in _FLAG_FIELDS.items():
        flag = fields[string][index].strip()
        if flag not in ("0", "1"):
            return no_answer(reply)
        if flag == "1":
            conditions.add(condition)
    return PrinterStatus(conditions=frozenset(conditions), two_way=True, raw=reply)


def build_host_status(
    *,
    paper_out: bool = False,
    paused: bool = False,
    head_open: bool = False,
    ribbon_out: bool = False,
    buffer_full: bool = False,
) -> bytes:
    """A ``~HS`` reply in the shape of the spec's healthy example with these flags set
    (for simulators and tests)."""
    flag = {True: "1", False: "0"}
    string1 = ["030", flag[paper_out], flag[paused], "1218", "000", flag[buffer_full]]
    string1 += ["0", "0", "000", "0", "0", "0"]
    string2 = ["001", "0", flag[head_open], flag[ribbon_out], "1", "2", "4", "0"]
    string2 += ["00000000", "1", "000"]
    parts = (",".join(string1), ",".join(string2), "1234,0")
    return b"".join(b"\x02" + p.encode("ascii") + b"\x03\r\n" for p in parts)
