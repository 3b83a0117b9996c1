"""Label printers on raw TCP (port 9100, "JetDirect"): two-way, so ``~HS`` works.

Each call opens its own connection: ``send`` writes the job, half-closes, and waits
briefly for the printer to close (so no byte is lost to a reset); ``status`` sends
``~HS`` and reads until three status strings arrived or ``status_timeout`` passed
(replies may come in several TCP segments). Calls on one printer are serialised by a
lock; any thread but the GUI thread may call them (they block).
"""

from __future__ import annotations

import socket
import threading
import time

from drivers.printer.zpl_status import (
    HS_COMMAND,
    no_answer,
    parse_host_status,
    reply_complete,
)
from fulfilstation.ports import (
    DeviceError,
    DeviceNotFound,
    DeviceTimeout,
    PrinterStatus,
)


def _not_found(message: str, where: str) -> DeviceNotFound:
    return DeviceNotFound(
        message,
        user_message=f"The label printer at {where} cannot be reached: check that it "
        "is switched on and connected to the network, and that its address in the "
        "station settings is right.",
    )


class TcpLabelPrinter:
    """``tcp://HOST:PORT`` (PORT defaults to 9100 in the URI parser)."""

    def __init__(
        self,
        uri: str,
        host: str,
        port: int = 9100,
        *,
        connect_timeout: float = 3.0,
        send_timeout: float = 10.0,
        status_timeout: float = 2.0,
        close_wait: float = 0.2,
    ) -> None:
        self.uri, self.host, self.port = uri, host, port
        self.connect_timeout = connect_timeout
        self.send_timeout = send_timeout
        self.status_timeout = status_timeout
        self.close_wait = close_wait
        self._lock = threading.Lock()

    def send(self, data: bytes, job_name: str = "label") -> None:
        """Send ``data``; raises DeviceNotFound (cannot connect), DeviceTimeout (the
        printer stopped taking data) or DeviceError (connection lost)."""
        with self._lock, self._connect() as sock:
            sock.settimeout(self.send_timeout)
            try:
                sock.sendall(data)
                sock.shutdown(socket.SHUT_WR)
            except TimeoutError as exc:
                raise DeviceTimeout(
                    f"{self.uri}: sending {job_name!r} timed out",
                    user_message="The label printer stopped taking the label: check it "
                    "for a paper jam or an error light, then print again.",
                ) from exc
            except OSError as exc:
                raise DeviceError(
                    f"{self.uri}: connection lost while sending {job_name!r}: {exc}",
                    user_message="The connection to the label printer was lost while "
                    "sending: check its network cable, then print again.",
                ) from exc
            self._wait_for_close(sock)

    def status(self) -> PrinterStatus:
        """``~HS`` status; NO_ANSWER when the printer cannot be reached, stays silent
        or answers nonsense within ``status_timeout``. Never raises DeviceError."""
        with self._lock:
            try:
                with self._connect() as sock:
                    sock.sendall(HS_COMMAND)
                    reply = self._read_reply(sock)
            except (DeviceError, OSError):
                return no_answer()
        return parse_host_status(reply)

    def _connect(self) -> socket.socket:
        where = f"{self.host}:{self.port}"
        try:
            return socket.create_connection(
                (self.host, self.port), timeout=self.connect_timeout
            )
        except ConnectionRefusedError as exc:
            raise _not_found(
                f"{self.uri}: connection refused by {where}", where
            ) from exc
        except TimeoutError as exc:
            raise _not_found(f"{self.uri}: no answer from {where}", where) from exc
        except OSError as exc:  # unknown name, no route, network down
            raise _not_found(f"{self.uri}: cannot reach {where}: {exc}", where) from exc

    def _read_reply(self, sock: socket.socket) -> bytes:
        deadline = time.monotonic() + self.status_timeout
        reply = b""
        while not reply_complete(reply):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            try:
                chunk = sock.recv(4096)
            except TimeoutError:
                break
            if not chunk:
                break
            reply += chunk
        return reply

    def _wait_for_close(self, sock: socket.socket) -> None:
        """Drain until the printer closes (or ``close_wait``), so that closing our end
        never resets the connection while the last bytes are in flight."""
        deadline = time.monotonic() + self.close_wait
        try:
            while (left := deadline - time.monotonic()) > 0:
                sock.settimeout(left)
                if not sock.recv(4096):
                    return
        except OSError:
            return
