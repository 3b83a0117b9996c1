"""An expiry date as a person types or scans it at the receiving bench (one home for the rule).

Accepted: ``YYYY-MM-DD`` (ISO), ``DD/MM/YYYY`` and ``DD.MM.YYYY`` (as printed on most
European packs), ``YYMMDD`` (GS1 AI 17, where day ``00`` means the last day of the month),
and ``none`` / ``-`` for goods that do not expire. Pure: no I/O.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

NO_EXPIRY = frozenset({"none", "-", "no", "n/a", "na"})
_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")


class ExpiryUnreadable(ValueError):
    """``str()`` says what was given and the forms that are understood."""


def read_expiry(text: str) -> dt.date | None:
    """The date ``text`` gives, or None for "no expiry"; ExpiryUnreadable otherwise."""
    value = text.strip()
    if value.casefold() in NO_EXPIRY:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
        if re.fullmatch(r"\d{6}", value):
            year, month, day = 2000 + int(value[:2]), int(value[2:4]), int(value[4:])
            if day == 0 and 1 <= month <= 12:
                day = calendar.monthrange(year, month)[1]
            return dt.date(year, month, day)
        match = _DMY.match(value)
        if match:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        pass
    raise ExpiryUnreadable(f"{value!r} is not a date: type it as YYYY-MM-DD (e.g. 2027-12-31), DD/MM/YYYY or "
                           "YYMMDD, or 'none' when it does not expire")
