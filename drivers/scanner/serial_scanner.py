"""Serial (RS-232 or USB CDC-ACM "virtual COM port") barcode scanners through pyserial.

Each scan is a line ended by CR, LF or CRLF, optionally starting with an AIM id.
:class:`SerialLineSplitter` is the pure parser (bytes in, scans out; never raises);
:class:`SerialScanner` owns the port on a worker thread and reconnects when the port
goes away (a USB scanner unplugged).
"""

from __future__ import annotations

import contextlib
from typing import Any

from drivers.scanner.scan_text import decode_data
from drivers.scanner.worker import ScannerWorker
from drivers.serial_port import SerialPort, pyserial_port
from fulfilstation.domain.aim import split_aim_bytes
from fulfilstation.ports import DeviceBusy, DeviceError, DeviceNotFound, ScanValue

MAX_LINE = 8 * 1024


class SerialLineSplitter:
    """Splits a byte stream into scans. Pure state; one instance per port.

    Empty lines (the LF of a CRLF, stray terminators) are skipped. A line longer than
    ``max_line`` without a terminator is dropped. ``raw`` is the line, unterminated.
    """

    def __init__(self, *, detect_aim: bool = True, max_line: int = MAX_LINE) -> None:
        self.detect_aim = detect_aim
        self.max_line = max_line
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[ScanValue]:
        values: list[ScanValue] = []
        for byte in data:
            if byte in (0x0D, 0x0A):
                if self._buffer:
                    values.append(self._value(bytes(self._buffer)))
                self._buffer.clear()
            elif len(self._buffer) < self.max_line:
                self._buffer.append(byte)
            else:
                self._buffer.clear()
        return values

    def reset(self) -> None:
        """Forget a partial line (after a reconnect)."""
        self._buffer.clear()

    def _value(self, line: bytes) -> ScanValue:
        symbology, data = split_aim_bytes(line) if self.detect_aim else (None, line)
        return ScanValue(text=decode_data(data), symbology=symbology, raw=line)


def _open_error(port: str, exc: OSError) -> DeviceError:
    """The open failure in words a packer can act on."""
    text = str(exc)
    if isinstance(exc, PermissionError) or "Permission denied" in text:
        return DeviceBusy(
            f"{port}: {text}",
            user_message=f"FulfilStation may not open the scanner port {port}: it is "
            "in use by another program, or this user must join the 'dialout' group.",
        )
    return DeviceNotFound(
        f"{port}: {text}",
        user_message=f"The barcode scanner on {port} is not connected: check the "
        "cable.",
    )


class SerialScanner(ScannerWorker):
    """A scanner on ``port`` (``/dev/ttyACM0``, ``COM3``); see the module docstring.

    Threading: the port is opened, read and closed only on the worker thread.
    """

    def __init__(
        self,
        uri: str,
        port: str,
        *,
        baudrate: int = 9600,
        bytesize: int = 8,
        parity: str = "N",
        stopbits: float = 1,
        detect_aim: bool = True,
        reconnect_delay: float = 1.0,
    ) -> None:
        super().__init__(uri, reconnect_delay=reconnect_delay)
        self.port = port
        self._settings: dict[str, Any] = {
            "port": port,
            "baudrate": baudrate,
            "bytesize": bytesize,
            "parity": parity,
            "stopbits": stopbits,
        }
        self._splitter = SerialLineSplitter(detect_aim=detect_aim)
        self._serial: SerialPort | None = None

    def _open(self) -> None:
        self._splitter.reset()
        try:
            self._serial = pyserial_port(timeout=self.poll_interval, **self._settings)
        except OSError as exc:
            raise _open_error(self.port, exc) from exc

    def _poll(self) -> list[ScanValue]:
        if self._serial is None:
            raise OSError("serial port is not open")
        data = self._serial.read(max(1, self._serial.in_waiting))
        return self._splitter.feed(data)

    def _close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            with contextlib.suppress(Exception):  # a lost port may fail to close
                port.close()
