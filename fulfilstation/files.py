"""``SystemFileOpener``: the ``FileOpener`` port on this PC — the system's default viewer.

It claims to have opened a file only when a viewer took it: on Windows the file type's
associated program (``os.startfile`` raises without one); elsewhere ``open``/``xdg-open``
must exist and must not fail within ``OPEN_WAIT_S`` (``xdg-open`` exits 3 or 4 at once when
no program can show the file; a viewer starting keeps it running or exits 0). Otherwise
it raises ``OSError`` saying so, and the caller shows the path instead.

Threading: blocks up to ``OPEN_WAIT_S``: call it from a worker thread.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

OPEN_WAIT_S = 2.0


class NoViewer(OSError):
    """No program on this PC showed the file."""


class SystemFileOpener:
    def open(self, path: str) -> None:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606 - Windows only
            return
        command = "open" if sys.platform == "darwin" else "xdg-open"
        found = shutil.which(command)
        if found is None:
            raise NoViewer(f"no PDF viewer was found ({command} is not installed): open {path} yourself")
        process = subprocess.Popen([found, path], stdout=subprocess.DEVNULL,  # noqa: S603
                                   stderr=subprocess.DEVNULL)
        try:
            code = process.wait(timeout=OPEN_WAIT_S)
        except subprocess.TimeoutExpired:
            return  # the viewer is starting (or showing it)
        if code != 0:
            raise NoViewer(f"no program on this PC could show {path}: open it yourself")
