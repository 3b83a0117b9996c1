"""Device state in plain words and colours, shared by the device bar and the settings
dialog. Pure functions of plain data (no widgets), safe from any thread."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QLocale

from fulfilstation.domain.units import format_weight
from fulfilstation.ports import PrinterStatus, ScaleState, ScanValue, WeightReading
from ui.style import AMBER, GREEN, GREY, RED

_STATE_WORDS = {
    ScaleState.STABLE: ("stable", ""),
    ScaleState.ZERO: ("zero", ""),
    ScaleState.MOTION: ("motion", "Wait until the parcel is still."),
    ScaleState.UNDER_ZERO: ("under zero", "Empty the platter and zero the scale."),
    ScaleState.OVER_CAPACITY: ("over capacity", "The parcel is too heavy for this scale."),
    ScaleState.FAULT: ("fault", "The scale reports an error: switch it off and on again."),
    ScaleState.DISCONNECTED: ("disconnected", "Check the scale's cable and power; it reconnects by itself."),
}
_STATE_COLOURS = {ScaleState.STABLE: GREEN, ScaleState.ZERO: GREEN, ScaleState.MOTION: AMBER,
                  ScaleState.UNDER_ZERO: AMBER}

_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")
SYMBOLOGY_NAMES = {
    "]C0": "Code 128", "]C1": "GS1-128", "]E0": "EAN-13 / UPC-A", "]E4": "EAN-8", "]I0": "Interleaved 2 of 5",
    "]I1": "ITF-14", "]A0": "Code 39", "]d1": "DataMatrix", "]d2": "GS1 DataMatrix", "]Q1": "QR Code",
    "]Q3": "GS1 QR Code", "]e0": "GS1 DataBar",
}


@dataclass(frozen=True, slots=True)
class Described:
    """What to show: ``text`` (short), ``advice`` (what to do, may be empty), ``colour``."""

    text: str
    advice: str
    colour: str


def preferred_weight_unit() -> str:
    """``lb`` where the system locale measures in US units, else ``kg``.

    Only a first guess: the station window shows the site's unit (``app.site.weight_unit``,
    fetched in the background at start) as soon as it is known."""
    imperial = QLocale.system().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return "lb" if imperial else "kg"


def describe_scale_state(state: ScaleState) -> Described:
    """``stable`` (green), ``motion`` (amber), ``disconnected`` (red), with the advice."""
    word, advice = _STATE_WORDS[state]
    return Described(word, advice, _STATE_COLOURS.get(state, RED))


def describe_reading(reading: WeightReading, unit: str) -> Described:
    """``1.25 lb stable`` (green), ``1.30 lb motion`` (amber), ``disconnected`` (red)..."""
    state = describe_scale_state(reading.state)
    if reading.grams is None:
        return state
    return Described(f"{format_weight(reading.grams, unit)} {state.text}", state.advice, state.colour)


def describe_status(status: PrinterStatus) -> Described:
    """``status.words``, green when ready, red otherwise, the advice for the tooltip."""
    return Described(status.words, status.advice, GREEN if status.ready else RED)


def waiting(text: str) -> Described:
    return Described(text, "", GREY)


def split_aim(text: str) -> tuple[str | None, str]:
    """A leading AIM identifier (``]C1``) split off typed text: ``("]C1", rest)``."""
    if _AIM.match(text):
        return text[:3], text[3:]
    return None, text


def describe_scan(value: ScanValue) -> str:
    """``0123456789 (GS1-128, ]C1)``; group separators shown as ``<GS>``."""
    text = value.text.replace("\x1d", "<GS>")
    if value.symbology is None:
        return f"{text} (no symbology identifier sent)"
    name = SYMBOLOGY_NAMES.get(value.symbology)
    return f"{text} ({name}, {value.symbology})" if name else f"{text} ({value.symbology})"
