"""USB HID POS scale (usage page 0x8D): pure report parser and encoder (no I/O).

Data report, 6 bytes: ``[0]`` report id 0x03 (some send 0x04), ``[1]`` status,
``[2]`` unit, ``[3]`` signed exponent, ``[4..5]`` unsigned 16-bit little-endian raw
value; weight = raw × 10^exponent. A stray leading 0x00 (seen on some hosts) is
skipped. Status: 1 fault, 2 stable at zero, 3 in motion, 4 stable, 5 under zero,
6 over weight limit, 7 needs calibration, 8 needs re-zeroing. Units: 1 mg, 2 g, 3 kg,
4 ct, 10 troy oz, 11 oz, 12 lb.

Anything else (other report ids, unknown status or unit codes, short reports) is not
a reading: :func:`parse_report` returns None and never raises.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from drivers.scale.common import status_only, weighed
from fulfilstation.domain.units import from_grams
from fulfilstation.ports import ScaleState, WeightReading

USAGE_PAGE = 0x8D
REPORT_IDS = (0x03, 0x04)
REPORT_SIZE = 6
ZERO_REPORT = b"\x02\x02"  # control report 2, "zero scale"

UNITS = {1: "mg", 2: "g", 3: "kg", 4: "ct", 10: "ozt", 11: "oz", 12: "lb"}
UNIT_CODES = {unit: code for code, unit in UNITS.items()}

STATUS_FAULT = 1
STATUS_ZERO = 2
STATUS_MOTION = 3
STATUS_STABLE = 4
STATUS_UNDER_ZERO = 5
STATUS_OVER_LIMIT = 6
STATUS_NEEDS_CALIBRATION = 7
STATUS_NEEDS_REZERO = 8

_NO_WEIGHT = {
    STATUS_FAULT: ScaleState.FAULT,
    STATUS_UNDER_ZERO: ScaleState.UNDER_ZERO,
    STATUS_OVER_LIMIT: ScaleState.OVER_CAPACITY,
    STATUS_NEEDS_CALIBRATION: ScaleState.FAULT,
    STATUS_NEEDS_REZERO: ScaleState.FAULT,
}


def parse_report(report: bytes | Sequence[int]) -> WeightReading | None:
    """One input report (as ``hid.device.read`` returns it) → a reading, or None."""
    data = bytes(b & 0xFF for b in report)
    if len(data) > REPORT_SIZE and data[0] == 0 and data[1] in REPORT_IDS:
        data = data[1:]  # stray leading 0x00
    if len(data) < REPORT_SIZE or data[0] not in REPORT_IDS:
        return None
    raw = data[:REPORT_SIZE]
    status, unit_code, exponent = raw[1], raw[2], raw[3]
    if status in _NO_WEIGHT:
        return status_only(_NO_WEIGHT[status], raw)
    unit = UNITS.get(unit_code)
    if status not in (STATUS_ZERO, STATUS_MOTION, STATUS_STABLE) or unit is None:
        return None
    signed_exponent = exponent - 256 if exponent > 127 else exponent
    value = Decimal(int.from_bytes(raw[4:6], "little")).scaleb(signed_exponent)
    return weighed(
        value,
        unit,
        stable=status != STATUS_MOTION,
        raw=raw,
        at_zero=status == STATUS_ZERO,
    )


def encode_report(
    status: int, unit: str, exponent: int, raw_value: int, report_id: int = 0x03
) -> bytes:
    """A data report; ``exponent`` is signed (-128..127), ``raw_value`` 0..65535."""
    return bytes(
        (report_id, status, UNIT_CODES[unit], exponent & 0xFF)
    ) + raw_value.to_bytes(2, "little")


def encode_weight(grams: int, unit: str, state: ScaleState) -> bytes:
    """A report for a simulated scale showing ``grams`` in ``unit`` and ``state``."""
    code = {
        ScaleState.FAULT: STATUS_FAULT,
        ScaleState.ZERO: STATUS_ZERO,
        ScaleState.MOTION: STATUS_MOTION,
        ScaleState.UNDER_ZERO: STATUS_UNDER_ZERO,
        ScaleState.OVER_CAPACITY: STATUS_OVER_LIMIT,
    }.get(state, STATUS_STABLE)
    decimals = {"lb": 2, "oz": 1, "kg": 3}.get(unit, 0)
    value = from_grams(max(grams, 0), unit, decimals)
    raw_value = min(int(value.scaleb(decimals)), 0xFFFF)
    return encode_report(code, unit, -decimals, raw_value)
