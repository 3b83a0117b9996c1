"""``AppServices`` for tests, built as the composition root builds it, and signed-in actors.

Actors come only from signing in (``app.users``), with the demo warehouse's PINs, so every
test acts as a real user at a real station, as the window and the CLI do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fulfilstation.carriers.easypost_adapter import adapter_for
from fulfilstation.db.database import Database
from fulfilstation.ports import DocumentPrinter, LabelPrinter
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices, build_services
from fulfilstation.services.context import AdapterFactory, Ports

STATION = "PACK-T"
PINS = {"packer": "1111", "packer2": "4444", "manager": "2222", "owner": "3333"}


@dataclass
class FixedPrinters:
    """``StationPrinters`` with the given printers at every station (None: no printer)."""

    label: LabelPrinter | None = None
    document: DocumentPrinter | None = None
    asked: list[tuple[str, str | None]] = field(default_factory=list)  # (station, configured label URI)

    def label_printer(self, station: str, configured: str | None) -> LabelPrinter | None:
        self.asked.append((station, configured))
        return self.label

    def document_printer(self, station: str, configured: str | None) -> DocumentPrinter | None:
        return self.document


@dataclass
class RecordingOpener:
    """A ``FileOpener`` that only remembers what it was asked to show."""

    opened: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        self.opened.append(path)


def app_for(database: Database, *, label: LabelPrinter | None = None, document: DocumentPrinter | None = None,
            adapters: AdapterFactory = adapter_for, documents_dir: Path | None = None,
            station: str = STATION, files: RecordingOpener | None = None) -> AppServices:
    """The use cases over ``database``, printing on ``label``/``document``, this PC being ``station``."""
    ports = Ports(printers=FixedPrinters(label, document), carrier_adapters=adapters, files=files,
                  **({"documents_dir": documents_dir} if documents_dir is not None else {}))
    return build_services(database, ports, station)


def sign_in(app: AppServices, username: str = "packer", station: str | None = None) -> Actor:
    """``username`` (a demo user) signed in with their PIN at ``station`` (default: the app's)."""
    return app.users.sign_in_with_pin(username, PINS[username], station)
