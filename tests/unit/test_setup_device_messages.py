"""The set-up's refusal of a device address reads as sentences: the driver's detail, often
ending in "(got 'x')", is closed with a full stop before "Fix it"."""

from __future__ import annotations

import pytest

from drivers.toolkit import DriverToolkit
from fulfilstation.services.setup.device_checks import check_addresses
from fulfilstation.services.setup.values import SetupRefused
from fulfilstation.settings import DeviceSettings


def test_a_bad_protocol_is_refused_in_sentences() -> None:
    devices = DeviceSettings(scanner="wedge:", scale="serial:///dev/ttyUSB9?protocol=nope", label_printer="sim:",
                             document_printer="")
    with pytest.raises(SetupRefused) as refused:
        check_addresses(DriverToolkit(), devices)
    text = str(refused.value)
    assert text.startswith("The scale address is wrong: ")
    assert "(got 'nope'). Fix it (see 'fulfilstation devices list')" in text
