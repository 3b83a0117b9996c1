"""Barcode scanner drivers: keyboard wedge, HID POS, serial, and the simulator.

:func:`open_scanner` turns a station's scanner URI into a :class:`Scanner`:

* ``wedge:`` (the default) -> :class:`WedgeScanner`. **It reads no device**: the
  UI's key event filter must feed it every key press (``feed``/``poll``, see
  :mod:`drivers.scanner.wedge_scanner`), and its ``on_scan`` runs on the GUI thread.
* ``hid://VID:PID[?serial=...]`` -> :class:`HidPosScanner` (hidapi, usage page 0x8C).
* ``serial:///dev/ttyACM0?baud=9600`` -> :class:`SerialScanner` (pyserial).
* ``sim:`` -> :class:`drivers.sim.scanner.SimScanner` (``inject(text)`` scans).

Opening never touches the device: the worker started by ``start`` connects, and keeps
reconnecting while the device is away (see ``connected``/``last_error``).
"""

from __future__ import annotations

from drivers.hid import Enumerate, HidDeviceFactory
from drivers.scanner.hid_pos import HidPosScanner
from drivers.scanner.serial_scanner import SerialScanner
from drivers.scanner.wedge import WedgeBurstDetector, WedgeConfig
from drivers.scanner.wedge_scanner import WedgeScanner, wedge_config_from_params
from drivers.uri import DeviceUri, parse_device_uri, serial_settings
from fulfilstation.ports import DeviceUriError, Scanner

__all__ = [
    "HidPosScanner",
    "SerialScanner",
    "WedgeBurstDetector",
    "WedgeConfig",
    "WedgeScanner",
    "open_scanner",
]

SCANNER_SCHEMES = ("wedge", "hid", "serial", "sim")


def _serial_scanner(parsed: DeviceUri, reconnect_delay: float) -> SerialScanner:
    settings = serial_settings(parsed)
    if settings.protocol is not None:
        raise DeviceUriError(
            f"scanner URI {parsed.raw!r}: 'protocol' is for scales; scanners send lines"
        )
    return SerialScanner(
        parsed.raw,
        settings.port,
        baudrate=settings.baudrate,
        bytesize=settings.bytesize,
        parity=settings.parity,
        stopbits=settings.stopbits,
        reconnect_delay=reconnect_delay,
    )


def open_scanner(
    uri: str,
    *,
    wedge_config: WedgeConfig | None = None,
    hid_device_factory: HidDeviceFactory | None = None,
    hid_enumerate: Enumerate | None = None,
    reconnect_delay: float = 1.0,
) -> Scanner:
    """Build the scanner named by ``uri``; raises DeviceUriError for a bad URI.

    ``wedge_config`` overrides the ``wedge:`` URI's parameters; the ``hid_*`` arguments
    replace hidapi (tests, simulators). Nothing is opened until ``start``.
    """
    parsed = parse_device_uri(uri)
    if parsed.scheme == "wedge":
        return WedgeScanner(
            uri, wedge_config or wedge_config_from_params(parsed.params)
        )
    if parsed.scheme == "hid" and parsed.vid is not None and parsed.pid is not None:
        return HidPosScanner(
            uri,
            parsed.vid,
            parsed.pid,
            parsed.serial_number,
            device_factory=hid_device_factory,
            enumerate_fn=hid_enumerate,
            reconnect_delay=reconnect_delay,
        )
    if parsed.scheme == "serial":
        return _serial_scanner(parsed, reconnect_delay)
    if parsed.scheme == "sim":
        from drivers.sim.scanner import SimScanner  # late: sim imports this package

        return SimScanner(uri)
    raise DeviceUriError(
        f"{uri!r} is not a scanner address: use one of "
        + ", ".join(f"{s}:" for s in SCANNER_SCHEMES),
        user_message=f"The scanner address {uri!r} is not understood.",
    )
