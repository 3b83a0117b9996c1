"""Fixtures of the station window tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.settings import DeviceSettings, StationSettings, save_settings
from tests.support.station_window import STATION


@pytest.fixture
def printer() -> Iterator[ZplPrinterSimulator]:
    """The ZPL printer simulator on TCP, named in this station's settings."""
    with ZplPrinterSimulator() as simulator:
        save_settings(StationSettings(station_name=STATION, devices=DeviceSettings(label_printer=simulator.uri)))
        yield simulator
