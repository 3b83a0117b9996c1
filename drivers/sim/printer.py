"""Printer simulators: a ZPL printer on TCP, and in-process ``sim:`` printers.

:class:`ZplPrinterSimulator` listens on a real TCP socket (a background thread per
connection), splits what it receives into labels (``^XA…^XZ``; ``~`` commands are not
labels), keeps them in ``jobs`` and as numbered ``.zpl`` files in ``out_dir``, and
answers ``~HS`` with the three status strings of its ``state`` (none when ``silent``).
``state`` may change at any time from any thread. :func:`run_printer_simulator` serves
one until Ctrl+C (``fulfilstation simulate printer``).

:class:`SimLabelPrinter` / :class:`SimDocumentPrinter` are the ``sim:`` LabelPrinter and
DocumentPrinter of demo mode: they record jobs in memory (and optionally a folder).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Self

from drivers.printer.directory import write_job_file
from drivers.printer.job_store import JobRecorder, JobStore
from drivers.printer.zpl_status import build_host_status, no_answer, parse_host_status
from drivers.printer.zpl_stream import Label, TildeCommand, ZplStreamSplitter
from fulfilstation.ports import DeviceNotFound, PrinterStatus

STATES = (
    "ok",
    "paper-out",
    "head-open",
    "ribbon-out",
    "paused",
    "buffer-full",
    "silent",
)
#: In-process only: ``off`` refuses jobs like a printer that is switched off.
SIM_STATES = (*STATES, "off")

_FLAGS = {
    "paper-out": "paper_out",
    "head-open": "head_open",
    "ribbon-out": "ribbon_out",
    "paused": "paused",
    "buffer-full": "buffer_full",
}


def status_reply(state: str) -> bytes | None:
    """The ``~HS`` answer a printer in ``state`` gives (None: it stays silent)."""
    if state not in SIM_STATES:
        raise ValueError(f"unknown printer state {state!r}; use one of {SIM_STATES}")
    if state in ("silent", "off"):
        return None
    flag = _FLAGS.get(state)
    return build_host_status(**({flag: True} if flag else {}))


class ZplPrinterSimulator(JobRecorder):
    """A Zebra-like printer on ``host:port`` (port 0 picks a free one; see ``address``).

    ``log`` (if given) receives one line per label and per ``~HS``; it is called on the
    connection threads. ``stop`` is idempotent; also a context manager.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        out_dir: Path | str | None = None,
        state: str = "ok",
        *,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.state = state
        self._store = JobStore(out_dir, ".zpl")
        self._log = log
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._threads_lock = threading.Lock()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._server = socket.create_server((host, port), family=family, backlog=8)
        self._server.settimeout(0.1)
        self.address: tuple[str, int] = self._server.getsockname()[:2]
        self._acceptor = threading.Thread(
            target=self._accept_loop, name="zpl-sim accept", daemon=True
        )
        self._acceptor.start()

    @property
    def uri(self) -> str:
        host, port = self.address
        return f"tcp://[{host}]:{port}" if ":" in host else f"tcp://{host}:{port}"

    @property
    def state(self) -> str:
        return self._state

    @state.setter
    def state(self, value: str) -> None:
        if value not in STATES:
            raise ValueError(f"unknown printer state {value!r}; use one of {STATES}")
        self._state = value

    def stop(self) -> None:
        self._stopping.set()
        self._acceptor.join()
        with self._threads_lock:
            threads, self._threads = self._threads, []
        for thread in threads:
            thread.join()
        self._server.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve_in_thread(self, conn: socket.socket) -> None:
        thread = threading.Thread(
            target=self._serve, args=(conn,), name="zpl-sim connection", daemon=True
        )
        with self._threads_lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(0.1)
            self._serve_in_thread(conn)

    def _serve(self, conn: socket.socket) -> None:
        splitter = ZplStreamSplitter()
        with conn:
            while not self._stopping.is_set():
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not data:
                    return
                for event in splitter.feed(data):
                    self._handle(conn, event)

    def _handle(self, conn: socket.socket, event: Label | TildeCommand) -> None:
        if isinstance(event, Label):
            number, path = self._store.add(event.data)
            where = f" -> {path}" if path else ""
            self._say(f"label {number}: {len(event.data)} bytes{where}")
        elif event.name == "~HS":
            reply = status_reply(self.state)
            self._say(f"~HS: state {self.state}" + ("" if reply else " (no answer)"))
            if reply is not None:
                conn.sendall(reply)

    def _say(self, line: str) -> None:
        if self._log is not None:
            self._log(line)


class SimLabelPrinter(JobRecorder):
    """``sim:`` label printer: ``send`` records the labels (``jobs``); ``status``
    follows ``state`` (any of :data:`SIM_STATES`, settable at runtime). Thread-safe."""

    def __init__(
        self, uri: str = "sim:", *, state: str = "ok", out_dir: Path | str | None = None
    ) -> None:
        self.uri = uri
        self.state = state
        self._store = JobStore(out_dir, ".zpl")

    @property
    def state(self) -> str:
        return self._state

    @state.setter
    def state(self, value: str) -> None:
        status_reply(value)  # validates
        self._state = value

    def status(self) -> PrinterStatus:
        reply = status_reply(self.state)
        return no_answer() if reply is None else parse_host_status(reply)

    def send(self, data: bytes, job_name: str = "label") -> None:
        if self.state == "off":
            raise DeviceNotFound(
                f"{self.uri}: simulated printer is off",
                user_message="The label printer does not answer: check that it is "
                "switched on and its cable is plugged in.",
            )
        labels = [
            e.data for e in ZplStreamSplitter().feed(data) if isinstance(e, Label)
        ]
        for label in labels:
            self._store.add(label)


class SimDocumentPrinter:
    """``sim:`` document printer: keeps each PDF in ``documents`` (and ``out_dir``)."""

    def __init__(self, uri: str = "sim:", *, out_dir: Path | str | None = None) -> None:
        self.uri = uri
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.documents: list[tuple[str, bytes]] = []
        self._lock = threading.Lock()

    def print_pdf(self, pdf: bytes, job_name: str = "document") -> None:
        with self._lock:
            self.documents.append((job_name, pdf))
        if self.out_dir is not None:
            write_job_file(self.out_dir, pdf, job_name, ".pdf")


def parse_listen(listen: str) -> tuple[str, int]:
    """``"127.0.0.1:9100"`` / ``"[::1]:9100"`` / ``":9100"`` -> (host, port)."""
    host, colon, port = listen.rpartition(":")
    if not colon or not port.isdigit() or int(port) > 65535:
        raise ValueError(f"listen address must be HOST:PORT, not {listen!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


def run_printer_simulator(
    listen: str,
    out_dir: Path,
    state: str = "ok",
    out: Callable[[str], None] = print,
    *,
    stop: threading.Event | None = None,
) -> None:
    """Serve a :class:`ZplPrinterSimulator` until Ctrl+C (or ``stop`` is set).

    Raises ValueError for a bad ``listen``/``state``, OSError when the port is taken.
    """
    host, port = parse_listen(listen)
    stop = stop or threading.Event()
    with ZplPrinterSimulator(host, port, out_dir, state, log=out) as simulator:
        out(
            f"ZPL printer simulator listening on {simulator.uri} (state {state}); "
            f"labels are saved in {out_dir}. Press Ctrl+C to stop."
        )
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        out(f"printer simulator stopped after {len(simulator.jobs)} label(s)")
