"""Split a ZPL byte stream into labels (``^XA…^XZ``) and tilde commands (``~HS``).

Used by the printer simulators to see the stream as a printer does. Rules: outside
a label, bytes other than ``^XA`` and ``~`` + two letters are ignored (line breaks,
noise); ``~`` commands are reported by their three-character name (upper case) and their
parameters, if any, are skipped as noise; inside a label everything up to and including
the first ``^XZ`` belongs to it. Commands are case-insensitive. Custom prefix characters
(``^CC``/``~CT``) are not supported. Pure state; one splitter per connection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_START_OR_TILDE = re.compile(rb"\^XA|~", re.IGNORECASE)
_END = re.compile(rb"\^XZ", re.IGNORECASE)
MAX_LABEL = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Label:
    """One complete label format, ``^XA`` to ``^XZ`` inclusive."""

    data: bytes


@dataclass(frozen=True, slots=True)
class TildeCommand:
    """An immediate command such as ``~HS`` (name upper-cased, with the ``~``)."""

    name: str


ZplEvent = Label | TildeCommand


class ZplStreamSplitter:
    """Feed received bytes in any chunking; get labels and tilde commands in order."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._in_label = False
        self._search_from = 0

    def feed(self, data: bytes) -> list[ZplEvent]:
        self._buffer += data
        events: list[ZplEvent] = []
        while True:
            event = self._next_label() if self._in_label else self._next_outside()
            if event is None:
                return events
            if isinstance(event, Label | TildeCommand):
                events.append(event)

    def _next_outside(self) -> ZplEvent | bool | None:
        """Consume up to the next label start or tilde command (None: need more)."""
        match = _START_OR_TILDE.search(self._buffer)
        if match is None:
            del self._buffer[: max(0, len(self._buffer) - 2)]  # may hold "^X"
            return None
        if match.group() == b"~":
            name = bytes(self._buffer[match.start() : match.start() + 3])
            if len(name) < 3:
                del self._buffer[: match.start()]
                return None
            del self._buffer[: match.start() + 3]
            return TildeCommand(name.decode("latin-1").upper())
        del self._buffer[: match.start()]
        self._in_label, self._search_from = True, 3
        return True

    def _next_label(self) -> ZplEvent | None:
        match = _END.search(self._buffer, self._search_from)
        if match is None:
            self._search_from = max(3, len(self._buffer) - 2)
            if len(self._buffer) > MAX_LABEL:
                self._buffer.clear()
                self._in_label = False
            return None
        label = Label(bytes(self._buffer[: match.end()]))
        del self._buffer[: match.end()]
        self._in_label = False
        return label
