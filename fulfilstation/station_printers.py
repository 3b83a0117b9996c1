"""Implementations of the ``StationPrinters`` port: which printers a station prints on.

* ``DevicePrinters`` (the window): the station's own open devices, swapped when its device
  settings change (``use``); another station's printers are never this PC's.
* ``ConfiguredPrinters`` (the command line): ``--label-printer`` / ``--document-printer``
  when given; else, for this PC's own station, the addresses in its settings file; else
  the addresses recorded for the station in the database. Opened once per address.

Threading: ``DevicePrinters.use`` swaps one reference (atomic); ``ConfiguredPrinters``
guards its cache with a lock. Opening a printer never touches hardware.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from fulfilstation.devices import Devices
from fulfilstation.ports import DeviceError, DeviceToolkit, DocumentPrinter, LabelPrinter
from fulfilstation.settings import DeviceSettings


class DevicePrinters:
    def __init__(self, station: str, devices: Devices) -> None:
        self._station = station
        self._devices = devices

    def use(self, devices: Devices) -> None:
        self._devices = devices

    def label_printer(self, station: str, configured: str | None) -> LabelPrinter | None:
        return self._devices.label_printer if station == self._station else None

    def document_printer(self, station: str, configured: str | None) -> DocumentPrinter | None:
        return self._devices.document_printer if station == self._station else None


@dataclass
class ConfiguredPrinters:
    toolkit: DeviceToolkit | None
    local_station: str
    local: DeviceSettings
    label_override: str | None = None
    document_override: str | None = None
    _labels: dict[str, LabelPrinter] = field(default_factory=dict)
    _documents: dict[str, DocumentPrinter] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def label_printer(self, station: str, configured: str | None) -> LabelPrinter | None:
        uri = self.label_override or (self.local.label_printer if station == self.local_station else configured)
        if not uri:
            return None
        with self._lock:
            if uri not in self._labels:
                self._labels[uri] = self._toolkit(uri).open_label_printer(uri)
            return self._labels[uri]

    def document_printer(self, station: str, configured: str | None) -> DocumentPrinter | None:
        uri = self.document_override or (self.local.document_printer if station == self.local_station
                                         else configured)
        if not uri:
            return None
        with self._lock:
            if uri not in self._documents:
                self._documents[uri] = self._toolkit(uri).open_document_printer(uri)
            return self._documents[uri]

    def _toolkit(self, uri: str) -> DeviceToolkit:
        if self.toolkit is None:
            raise DeviceError(f"no device drivers to open {uri}",
                              user_message="Printing needs the device drivers, which this build does not have.")
        return self.toolkit
