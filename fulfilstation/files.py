"""``SystemFileOpener``: the ``FileOpener`` port on this PC — the system's default viewer."""

from __future__ import annotations

import os
import subprocess
import sys


class SystemFileOpener:
    def open(self, path: str) -> None:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606 - Windows only
            return
        command = "open" if sys.platform == "darwin" else "xdg-open"
        try:
            subprocess.Popen([command, path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        except FileNotFoundError as exc:
            raise OSError(f"{command} is not installed: open {path} yourself") from exc
