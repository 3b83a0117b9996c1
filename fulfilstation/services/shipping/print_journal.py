"""The print journal: labels that came out of a station's printer but whose print state the
database has not recorded yet (it went away right after the print).

A file per station in this PC's data folder (``Ports.journal_dir``:
``printed-labels-<station>.json``). ``print_shipment`` adds an entry right after the
labels went out and before it records the print in the database; it removes the entry
once the database has it. An entry left behind (the database was gone, the process was
killed) is replayed — recorded, never printed again — by
``ShippingService.record_printed_labels`` (the window retries it in the background, the
``pack`` command at start), and a print of a journaled shipment records it instead of
printing a second label.

Invariants: written atomically (a temporary file replaced over the journal, flushed to
disk) so a crash leaves the old or the new journal, never half of one; one lock per file
for the threads of this process. Blocking (disk I/O).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()
_in_flight: set[tuple[Path, int]] = set()  # journaled by a print of this process still recording it


@dataclass(frozen=True)
class PrintedLabel:
    """The labels of ``shipment_id`` (in ``database``, its display URL) came out of
    ``printer`` at ``printed_at`` (UTC)."""

    shipment_id: int
    database: str
    printer: str | None
    printed_at: dt.datetime
    order_number: str = ""


class PrintJournal:
    """The journal of one station on this PC (see the module doc)."""

    def __init__(self, folder: Path, station: str) -> None:
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", station) or "station"
        self.path = folder / f"printed-labels-{safe}.json"
        with _locks_guard:
            self._lock = _locks.setdefault(self.path, threading.Lock())

    @classmethod
    def every(cls, folder: Path) -> list[PrintJournal]:
        """The journals of every station this PC printed for (none: no disk access beyond a listing)."""
        if not folder.is_dir():
            return []
        return [cls(folder, path.stem.removeprefix("printed-labels-"))
                for path in sorted(folder.glob("printed-labels-*.json"))]

    def entries(self) -> list[PrintedLabel]:
        with self._lock:
            return self._read()

    def replayable(self) -> list[PrintedLabel]:
        """The entries no print of this process is still recording (those are its to settle)."""
        with self._lock:
            return [entry for entry in self._read() if (self.path, entry.shipment_id) not in _in_flight]

    def add(self, label: PrintedLabel) -> None:
        """Journal ``label`` as in flight: ``replayable`` skips it until ``settle``."""
        with self._lock:
            kept = [entry for entry in self._read() if entry.shipment_id != label.shipment_id]
            self._write([*kept, label])
            _in_flight.add((self.path, label.shipment_id))

    def settle(self, shipment_id: int, recorded: bool) -> None:
        """The print that journaled ``shipment_id`` is over: drop the entry when the database
        recorded it, else leave it for the replay."""
        with self._lock:
            _in_flight.discard((self.path, shipment_id))
        if recorded:
            self.remove(shipment_id)

    def find(self, shipment_id: int) -> PrintedLabel | None:
        return next((entry for entry in self.entries() if entry.shipment_id == shipment_id), None)

    def remove(self, shipment_id: int) -> None:
        with self._lock:
            entries = self._read()
            kept = [entry for entry in entries if entry.shipment_id != shipment_id]
            if len(kept) != len(entries):
                self._write(kept)

    def _read(self) -> list[PrintedLabel]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError):  # unreadable: keep it aside rather than lose or crash on it
            self.path.replace(self.path.with_suffix(".unreadable"))
            return []
        return [PrintedLabel(int(item["shipment_id"]), str(item["database"]), item.get("printer"),
                             dt.datetime.fromisoformat(item["printed_at"]), str(item.get("order_number", "")))
                for item in raw if isinstance(item, dict)]

    def _write(self, entries: list[PrintedLabel]) -> None:
        if not entries:
            self.path.unlink(missing_ok=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as file:
            json.dump([{"shipment_id": e.shipment_id, "database": e.database, "printer": e.printer,
                        "printed_at": e.printed_at.isoformat(), "order_number": e.order_number} for e in entries],
                      file)
            file.flush()
            os.fsync(file.fileno())
        temporary.replace(self.path)
