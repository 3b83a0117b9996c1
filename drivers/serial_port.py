"""pyserial helpers shared by the serial drivers (scales, scanners).

* :func:`open_serial` opens a port with the settings of a ``serial:`` URI and turns
  every failure (pyserial's, and the ``termios.error`` it lets through while configuring
  a port) into our DeviceError family with advice a packer can act on. A port that
  refuses 7 data bits or parity (``tcsetattr`` fails with EINVAL: pseudo-terminals, some
  USB adapters) is opened 8N1 instead: a 7E1/7O1 frame has the same length, and the
  drivers clear bit 7 (:func:`strip_parity`).
* :func:`pyserial_port` is ``serial.Serial`` behind the :class:`SerialPort` type, for a
  driver that words the failures itself (the serial scanner).
* :func:`strip_parity` clears bit 7 of every byte: a 7E1/7O1 device read on a port set
  to 8N1 delivers its parity bit there, and every protocol we speak is 7-bit ASCII.

A :class:`SerialPort` belongs to one thread at a time (pyserial objects are not
thread-safe); the drivers keep each port on their worker thread. pyserial's
``SerialException`` derives from OSError: catching OSError covers a vanished port.
pyserial is imported only when a port is opened, so the pure parsers can use
:func:`strip_parity` without it.
"""

from __future__ import annotations

import errno
from typing import Any, Protocol, cast

from drivers.uri import DeviceUri, SerialSettings, serial_settings
from fulfilstation.ports import DeviceBusy, DeviceError, DeviceNotFound

SEVEN_BIT = bytes(b & 0x7F for b in range(256))


class SerialPort(Protocol):
    """The part of ``serial.Serial`` the drivers use."""

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes) -> int | None: ...

    def reset_input_buffer(self) -> None: ...

    def close(self) -> None: ...


def strip_parity(data: bytes) -> bytes:
    """``data`` with bit 7 of every byte cleared (idempotent, pure)."""
    return data.translate(SEVEN_BIT)


def open_serial(
    where: str | DeviceUri | SerialSettings,
    *,
    timeout: float = 0.05,
    write_timeout: float = 1.0,
) -> SerialPort:
    """Open a serial port. ``timeout`` bounds each ``read`` call (seconds).

    Raises DeviceNotFound when the port does not exist, DeviceBusy when another program
    holds it or we lack permission, DeviceError for anything else.
    """
    settings = where if isinstance(where, SerialSettings) else serial_settings(where)
    common = {"port": settings.port, "baudrate": settings.baudrate,
              "stopbits": settings.stopbits, "timeout": timeout,
              "write_timeout": write_timeout, "xonxoff": False, "rtscts": False}
    try:
        try:
            return pyserial_port(bytesize=settings.bytesize, parity=settings.parity, **common)
        except Exception as exc:
            if not _framing_refused(exc, settings.bytesize, settings.parity):
                raise
        return pyserial_port(bytesize=8, parity="N", **common)
    except Exception as exc:  # OSError, ValueError, termios.error: never past here
        raise _open_error(settings.port, exc) from exc


def _framing_refused(exc: Exception, bytesize: int, parity: str) -> bool:
    """Whether ``exc`` is the port refusing 7 data bits / parity (EINVAL from
    ``tcsetattr``), for a frame that 8N1 reads just as well."""
    seven_bit_frame = bytesize == 7 and parity in ("E", "O")
    code = getattr(exc, "errno", None)
    if code is None and exc.args and isinstance(exc.args[0], int):
        code = exc.args[0]  # termios.error carries (errno, text) without .errno
    return seven_bit_frame and code == errno.EINVAL


def pyserial_port(**settings: Any) -> SerialPort:
    """``serial.Serial(**settings)``, raising pyserial's own errors (OSError for a port
    that cannot be opened, ValueError for impossible settings)."""
    import serial  # type: ignore[import-untyped]  # late: parsers import this module

    return cast(SerialPort, serial.Serial(**settings))


def _open_error(port: str, exc: BaseException) -> DeviceError:
    code = getattr(exc, "errno", None)
    text = f"cannot open serial port {port}: {exc}"
    if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO) or "FileNotFound" in str(exc):
        return DeviceNotFound(
            text,
            user_message=f"The device on {port} is not connected: check its cable.",
        )
    if code in (errno.EBUSY, errno.EACCES, errno.EPERM) or "Access is denied" in str(
        exc
    ):
        return DeviceBusy(
            text,
            user_message=(
                f"{port} is in use by another program, or this user may not open it "
                "(on Linux: add the user to the 'dialout' group)."
            ),
        )
    return DeviceError(text, user_message=f"The device on {port} could not be opened.")
