"""A recording sink for printer jobs (like python-escpos's Dummy): for simulators.

Keeps every job in memory, in order, and optionally as numbered files ``0001.zpl``,
``0002.zpl``... written atomically (temporary file, then rename). Thread-safe: ``add``
from any thread, ``wait_for`` blocks on a condition (no polling).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


class JobStore:
    """Thread-safe list of received jobs, optionally mirrored as numbered files."""

    def __init__(self, out_dir: Path | str | None, suffix: str) -> None:
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.suffix = suffix
        self.jobs: list[bytes] = []
        self.cond = threading.Condition()
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)

    def add(self, data: bytes) -> tuple[int, Path | None]:
        with self.cond:
            self.jobs.append(data)
            number = len(self.jobs)
            path = self._write(number, data)
            self.cond.notify_all()
        return number, path

    def _write(self, number: int, data: bytes) -> Path | None:
        if self.out_dir is None:
            return None
        path = self.out_dir / f"{number:04d}{self.suffix}"
        temporary = path.with_name(f".{path.name}.part")
        temporary.write_bytes(data)
        os.replace(temporary, path)
        return path

    def snapshot(self) -> list[bytes]:
        """Every job so far, in order (a copy)."""
        with self.cond:
            return list(self.jobs)

    def wait_for(self, count: int, timeout: float) -> list[bytes]:
        with self.cond:
            if not self.cond.wait_for(lambda: len(self.jobs) >= count, timeout):
                raise TimeoutError(
                    f"{len(self.jobs)} of {count} jobs within {timeout} s"
                )
            return list(self.jobs)


class JobRecorder:
    """Mixin for simulators that keep their jobs in ``self._store``."""

    _store: JobStore

    @property
    def jobs(self) -> list[bytes]:
        """Every label received so far, in order (a copy)."""
        return self._store.snapshot()

    def wait_for_jobs(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """Block until ``count`` labels arrived; return them. TimeoutError otherwise."""
        return self._store.wait_for(count, timeout)
