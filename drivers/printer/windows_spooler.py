"""Windows printers through the spooler (pywin32): ``win://PRINTER NAME``.

Labels go to the spooler with datatype ``RAW`` (the ZPL reaches the printer untouched).
Documents are printed by the PDF viewer registered with Windows (``ShellExecute``
"printto"), or sent ``RAW`` with ``method="raw"`` for printers that print PDF directly.

pywin32 is imported only when a job is sent (``importlib``), so this module imports
on Linux and macOS; there a job raises DeviceNotFound. Tests inject fake modules
through the ``win32print``/``win32api`` arguments. Blocking; call from a worker thread.
"""

from __future__ import annotations

import importlib
import tempfile
import time
from pathlib import Path
from typing import Any

from drivers.printer.directory import write_job_file
from fulfilstation.ports import DeviceError, DeviceNotFound, PrinterStatus

_SPOOL_DIR = Path(tempfile.gettempdir()) / "fulfilstation-print"
_KEEP_SECONDS = 3600.0


def _load(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise DeviceNotFound(
            f"{module} is not available: {exc}",
            user_message="Windows printers (win://) work only on Windows with pywin32 "
            "installed: choose a cups:// or tcp:// printer here.",
        ) from exc


def send_raw(api: Any, printer: str, data: bytes, job_name: str) -> None:
    """One RAW spooler job: OpenPrinter, StartDoc/Page, WritePrinter, End, Close."""
    try:
        handle = api.OpenPrinter(printer)
    except Exception as exc:
        raise DeviceNotFound(
            f"OpenPrinter({printer!r}) failed: {exc}",
            user_message=f"There is no printer called '{printer}' on this computer: "
            "check the name in the station settings (Settings > Printers).",
        ) from exc
    try:
        api.StartDocPrinter(handle, 1, (job_name, None, "RAW"))
        try:
            api.StartPagePrinter(handle)
            api.WritePrinter(handle, data)
            api.EndPagePrinter(handle)
        finally:
            api.EndDocPrinter(handle)
    except Exception as exc:
        raise DeviceError(
            f"spooling {job_name!r} to {printer!r} failed: {exc}",
            user_message=f"Windows could not send the job to '{printer}': {exc}",
        ) from exc
    finally:
        api.ClosePrinter(handle)


class WindowsLabelPrinter:
    """``win://ZDesigner ZD421-203dpi``: a RAW spooler queue; one-way."""

    def __init__(self, uri: str, printer: str, *, win32print: Any = None) -> None:
        self.uri, self.printer = uri, printer
        self._win32print = win32print

    def status(self) -> PrinterStatus:
        return PrinterStatus(two_way=False)

    def send(self, data: bytes, job_name: str = "label") -> None:
        api = self._win32print or _load("win32print")
        send_raw(api, self.printer, data, job_name)


def _prune(folder: Path) -> None:
    """Forget spooled PDFs older than an hour (the viewer has long read them)."""
    cutoff = time.time() - _KEEP_SECONDS
    for old in folder.glob("*.pdf"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            continue


class WindowsDocumentPrinter:
    """``win://HP LaserJet``: PDF via the registered viewer, or RAW (``method=raw``)."""

    def __init__(
        self,
        uri: str,
        printer: str,
        *,
        method: str = "shell",
        win32print: Any = None,
        win32api: Any = None,
        spool_dir: Path = _SPOOL_DIR,
    ) -> None:
        if method not in ("shell", "raw"):
            raise ValueError(f"method must be 'shell' or 'raw', not {method!r}")
        self.uri, self.printer, self.method = uri, printer, method
        self._win32print, self._win32api, self._spool_dir = (
            win32print,
            win32api,
            spool_dir,
        )

    def print_pdf(self, pdf: bytes, job_name: str = "document") -> None:
        if self.method == "raw":
            send_raw(
                self._win32print or _load("win32print"), self.printer, pdf, job_name
            )
            return
        api = self._win32api or _load("win32api")
        if self._spool_dir.exists():
            _prune(self._spool_dir)
        path = write_job_file(self._spool_dir, pdf, job_name, ".pdf")
        try:
            api.ShellExecute(0, "printto", str(path), f'"{self.printer}"', ".", 0)
        except Exception as exc:
            raise DeviceError(
                f"ShellExecute printto {path} on {self.printer!r} failed: {exc}",
                user_message="Windows could not print the PDF: install a PDF viewer "
                "that can print (for example SumatraPDF or Acrobat Reader).",
            ) from exc
