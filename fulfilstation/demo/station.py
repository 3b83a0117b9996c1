"""The demo station's devices: what a new user trying the demo gets without setting anything up.

Besides the simulators (the defaults), the demo names a ``pdf://`` document printer — the
station's folder in the user's Documents — so the first order shipped leaves a packing slip
the user can open. Only a document printer left empty is filled in: one the user chose is
kept. Pure: nothing is written (the device settings save it if the user wants to keep it).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from fulfilstation import paths
from fulfilstation.settings import StationSettings


def pdf_printer_uri(folder: Path) -> str:
    """``pdf:///…`` naming ``folder`` (the form the device settings offer)."""
    return "pdf:///" + folder.as_posix().lstrip("/")


def demo_station(settings: StationSettings, documents: Path | None = None) -> StationSettings:
    """``settings`` with a ``pdf://`` document printer in the station's documents folder
    (under ``documents``, default the user's) when none is set."""
    if settings.devices.document_printer:
        return settings
    folder = paths.station_documents_dir(documents or paths.documents_dir(), settings.station_name)
    return replace(settings, devices=replace(settings.devices, document_printer=pdf_printer_uri(folder)))
