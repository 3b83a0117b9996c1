"""The rules for a bin's own fields: one home for the editor, the CLI and the CSV import.

Each ``check_*`` returns the value as stored or raises ``BinFieldInvalid`` whose ``str()`` is
a reason a person can act on. Pure: no I/O.

Invariants: a bin code is printable ASCII without spaces at its ends, at most 32
characters — exactly what its label's Code 128 carries and a scanner types back; a zone is
at most 32 characters, aisle / bay / level at most 16 (blank is None); a pick sequence is a
whole number from 0 to 1,000,000,000; a kind is one of ``BinKind``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fulfilstation.domain.enums import BinKind
from fulfilstation.services.product_files.values import CellInvalid, read_whole

CODE_MAX = 32
ZONE_MAX = 32
PLACE_MAX = 16
SEQUENCE_MAX = 1_000_000_000
KINDS = tuple(kind.value for kind in BinKind)
_CODE = re.compile(r"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$")


class BinFieldInvalid(ValueError):
    """A field's value is not acceptable; ``field`` names it, ``str()`` says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field


@dataclass(frozen=True)
class BinFields:
    """What a bin is, as typed or read from a file (checked by :func:`checked`)."""

    code: str
    zone: str = ""
    aisle: str | None = None
    bay: str | None = None
    level: str | None = None
    pick_sequence: int = 0
    kind: str = BinKind.PICKABLE.value


def check_code(value: str) -> str:
    code = value.strip()
    if not code:
        raise BinFieldInvalid("code", "the bin code is blank")
    if len(code) > CODE_MAX:
        raise BinFieldInvalid("code", f"a bin code is at most {CODE_MAX} characters; {code[:20]}… has {len(code)}")
    if not _CODE.match(code):
        raise BinFieldInvalid("code", f"bin code {code!r} may hold only letters, digits, spaces and ASCII "
                              "punctuation (its label's barcode carries it)")
    return code


def check_zone(value: str | None) -> str:
    zone = " ".join((value or "").split())
    if len(zone) > ZONE_MAX:
        raise BinFieldInvalid("zone", f"a zone is at most {ZONE_MAX} characters; {zone[:20]}… has {len(zone)}")
    return zone


def check_place(value: str | None, field: str) -> str | None:
    """An aisle, bay or level: free text (warehouses number them their own way); blank is None."""
    text = " ".join((value or "").split())
    if len(text) > PLACE_MAX:
        raise BinFieldInvalid(field, f"a bin's {field} is at most {PLACE_MAX} characters; {text!r} has {len(text)}")
    return text or None


def check_sequence(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= SEQUENCE_MAX:
        raise BinFieldInvalid("pick_sequence", f"the pick sequence must be a whole number from 0 to {SEQUENCE_MAX}, "
                              f"not {value!r}")
    return value


def parse_sequence(text: str) -> int:
    """A pick sequence as typed in a file (``"120"``)."""
    cleaned = text.strip()
    try:  # as spreadsheets write numbers: 1000, 1,000 or 1000.0 (never '²', a digit to isdigit() only)
        value = read_whole(cleaned, "pick_sequence")
    except CellInvalid:
        raise BinFieldInvalid("pick_sequence", f"pick_sequence {cleaned!r} is not a whole number (0, 10, 120 …)") \
            from None
    return check_sequence(value)


def check_kind(value: str) -> str:
    kind = value.strip().lower()
    if kind not in KINDS:
        raise BinFieldInvalid("kind", f"kind {value.strip()!r} is not a bin kind: use one of {', '.join(KINDS)}")
    return kind


def checked(fields: BinFields) -> BinFields:
    """``fields`` as stored; BinFieldInvalid for the first field that is not acceptable."""
    return BinFields(check_code(fields.code), check_zone(fields.zone), check_place(fields.aisle, "aisle"),
                     check_place(fields.bay, "bay"), check_place(fields.level, "level"),
                     check_sequence(fields.pick_sequence), check_kind(fields.kind))


_YES = {"yes", "y", "true", "1", "active"}
_NO = {"no", "n", "false", "0", "inactive"}


def parse_active(text: str) -> bool:
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise BinFieldInvalid("active", f"active {text.strip()!r} must be yes or no")
