"""Scale drivers: one pure parser per protocol, transports, and :func:`open_scale`.

* parsers/encoders (bytes in, ``WeightReading`` out, no I/O): :mod:`.mt_sics`,
  :mod:`.nci`, :mod:`.toledo`, :mod:`.hid_pos`;
* transports: :mod:`.serial_scale` (pyserial), :mod:`.hid_scale` (hidapi);
* the worker thread shared by all: :mod:`.reader`.
"""

from __future__ import annotations

from drivers.uri import parse_device_uri
from fulfilstation.ports import DeviceUriError, Scale


def open_scale(uri: str) -> Scale:
    """The scale named by ``uri``, not yet started (``start`` opens the device).

    ``serial:///PORT?protocol=mt-sics|nci|toledo&...``, ``hid://VID:PID[?serial=...]``
    or ``sim:[?protocol=...&weight=...]`` (an in-process simulated scale, see
    :class:`drivers.sim.simulated_scale.SimulatedScale`). Raises DeviceUriError for
    anything else. Opening a device never happens here, so this does not block or fail
    for a device that is unplugged: the scale reports DISCONNECTED until it appears.
    """
    parsed = parse_device_uri(uri)
    if parsed.scheme == "serial":
        from drivers.scale.serial_scale import open_serial_scale

        return open_serial_scale(uri)
    if parsed.scheme == "hid":
        from drivers.scale.hid_scale import open_hid_scale

        return open_hid_scale(uri)
    if parsed.scheme == "sim":
        from drivers.sim.simulated_scale import SimulatedScale

        return SimulatedScale.from_uri(uri)
    raise DeviceUriError(
        f"{uri!r} is not a scale address: use serial:///PORT?protocol=..., "
        "hid://VID:PID or sim:",
        user_message=f"The scale address {uri!r} is not understood.",
    )
