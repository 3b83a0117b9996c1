"""Folder sinks: ``dir:///path`` stores each label job, ``pdf:///path`` each document.

Every job becomes one file, written atomically: the bytes go to a hidden temporary file
in the same folder, are flushed to disk, and the file is renamed into place, so a
program watching the folder never sees half a job. Names sort in the order written:
``YYYYmmdd-HHMMSS-ffffff-NNNN-JOB.zpl``. The folder is created when missing.
Thread-safe.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import threading
from pathlib import Path

from fulfilstation.ports import DeviceError, DeviceNotFound, PrinterStatus

_counter = itertools.count(1)
_counter_lock = threading.Lock()
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _file_name(job_name: str, suffix: str) -> str:
    with _counter_lock:
        number = next(_counter) % 10000
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    safe = _UNSAFE.sub("_", job_name).strip("._")[:60] or "job"
    return f"{stamp}-{number:04d}-{safe}{suffix}"


def write_job_file(directory: Path, data: bytes, job_name: str, suffix: str) -> Path:
    """Write ``data`` as a new file in ``directory`` atomically; return its path.

    Raises DeviceNotFound when the folder cannot be created, DeviceError when the file
    cannot be written (no permission, disk full).
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeviceNotFound(
            f"cannot create {directory}: {exc}",
            user_message=f"The output folder {directory} cannot be created: check the "
            "path in the station settings.",
        ) from exc
    final = directory / _file_name(job_name, suffix)
    temporary = directory / f".{final.name}.part"
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, final)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise DeviceError(
            f"cannot write {final}: {exc}",
            user_message=f"Cannot save into the folder {directory}: {exc.strerror}.",
        ) from exc
    return final


class DirectoryLabelPrinter:
    """``dir:///path``: one ``.zpl`` file per job; one-way (no status)."""

    def __init__(
        self, uri: str, directory: Path | str, *, suffix: str = ".zpl"
    ) -> None:
        self.uri, self.directory, self.suffix = uri, Path(directory), suffix
        self.last_path: Path | None = None

    def status(self) -> PrinterStatus:
        return PrinterStatus(two_way=False)

    def send(self, data: bytes, job_name: str = "label") -> None:
        self.last_path = write_job_file(self.directory, data, job_name, self.suffix)


class PdfDirectoryPrinter:
    """``pdf:///path``: stores each document as a ``.pdf`` file instead of printing."""

    def __init__(self, uri: str, directory: Path | str) -> None:
        self.uri, self.directory = uri, Path(directory)
        self.last_path: Path | None = None

    def print_pdf(self, pdf: bytes, job_name: str = "document") -> None:
        self.last_path = write_job_file(self.directory, pdf, job_name, ".pdf")
