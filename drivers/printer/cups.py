"""CUPS queues through the ``lp`` command: raw label queues and PDF document queues.

``cups://QUEUE`` as a label printer sends ZPL with ``lp -d QUEUE -o raw`` (raw queues
are deprecated in CUPS and gone in CUPS 3: prefer ``tcp://``); as a document printer it
sends the PDF with ``lp -d QUEUE`` and lets CUPS render it. The job goes on stdin; every
call has a timeout. ``lpstat -p QUEUE`` tells whether a queue exists. CUPS queues are
one-way: ``status`` says so. Blocking; call from a worker thread.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from fulfilstation.ports import (
    DeviceError,
    DeviceNotFound,
    DeviceTimeout,
    PrinterStatus,
)

_NO_CLIENT = (
    "Printing through CUPS needs the 'lp' and 'lpstat' commands: install the CUPS "
    "client (package cups-client), or give the printer's network address (tcp://...)."
)


def _command(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DeviceNotFound(
            f"the {name!r} command is not installed", user_message=_NO_CLIENT
        )
    return path


def _run(
    argv: list[str], data: bytes, timeout: float
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LC_ALL": "C"}  # messages we can recognise
    try:
        return subprocess.run(
            argv, input=data, capture_output=True, timeout=timeout, env=env, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise DeviceTimeout(
            f"{argv[0]} did not finish within {timeout} s",
            user_message="The computer's print system did not take the job in time: "
            "check that CUPS is running, then print again.",
        ) from exc
    except OSError as exc:
        raise DeviceNotFound(
            f"cannot run {argv[0]}: {exc}", user_message=_NO_CLIENT
        ) from exc


def queue_exists(queue: str, *, timeout: float = 10.0) -> bool:
    """True when CUPS knows ``queue`` (``lpstat -p QUEUE``). Raises DeviceNotFound
    when lpstat is not installed, DeviceTimeout when it hangs."""
    return _run([_command("lpstat"), "-p", queue], b"", timeout).returncode == 0


def _unknown_queue(queue: str, detail: str) -> DeviceNotFound:
    return DeviceNotFound(
        f"CUPS queue {queue!r} does not exist: {detail}",
        user_message=f"There is no printer called '{queue}' on this computer: "
        "check the name in the station settings ('lpstat -p' lists the printers).",
    )


def submit(
    queue: str, data: bytes, *, raw: bool, job_name: str, timeout: float
) -> None:
    """Run ``lp -d QUEUE [-o raw] -t JOB`` with ``data`` on stdin; raise DeviceError
    subclasses with the fix on failure."""
    argv = [_command("lp"), "-d", queue, *(["-o", "raw"] if raw else [])]
    result = _run([*argv, "-t", job_name], data, timeout)
    if result.returncode == 0:
        return
    detail = (
        result.stderr.decode("utf-8", "replace").strip() or f"exit {result.returncode}"
    )
    if "does not exist" in detail or "nknown destination" in detail:
        raise _unknown_queue(queue, detail)
    try:
        exists = queue_exists(queue, timeout=timeout)
    except DeviceError:
        exists = True  # cannot tell: report lp's own message
    if not exists:
        raise _unknown_queue(queue, detail)
    raise DeviceError(
        f"lp -d {queue} failed: {detail}",
        user_message=f"The print system refused the job for '{queue}': {detail}",
    )


class CupsLabelPrinter:
    """``cups://QUEUE`` for labels: a raw queue; one-way."""

    def __init__(self, uri: str, queue: str, *, timeout: float = 30.0) -> None:
        self.uri, self.queue, self.timeout = uri, queue, timeout

    def status(self) -> PrinterStatus:
        return PrinterStatus(two_way=False)

    def exists(self) -> bool:
        return queue_exists(self.queue, timeout=self.timeout)

    def send(self, data: bytes, job_name: str = "label") -> None:
        submit(self.queue, data, raw=True, job_name=job_name, timeout=self.timeout)


class CupsDocumentPrinter:
    """``cups://QUEUE`` for documents: CUPS renders the PDF."""

    def __init__(self, uri: str, queue: str, *, timeout: float = 60.0) -> None:
        self.uri, self.queue, self.timeout = uri, queue, timeout

    def exists(self) -> bool:
        return queue_exists(self.queue, timeout=self.timeout)

    def print_pdf(self, pdf: bytes, job_name: str = "document") -> None:
        submit(self.queue, pdf, raw=False, job_name=job_name, timeout=self.timeout)
