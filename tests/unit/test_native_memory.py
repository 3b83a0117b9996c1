"""``ui.native_memory``: on glibc, free heap pages held in the middle of an arena go back to
the system when ``trim`` runs (a fresh process, so nothing else moves its memory)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import ctypes, sys
from ui import native_memory

def rss_mb():
    with open('/proc/self/statm') as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20

assert native_memory.limit_arenas()
libc = ctypes.CDLL('libc.so.6')
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
blocks = []
for _ in range(2000):  # 64 KB blocks (below malloc's mmap threshold: in the heap) and a small one after each
    big = libc.malloc(64 * 1024)
    ctypes.memset(big, 1, 64 * 1024)
    blocks.append((big, libc.malloc(64)))
held = rss_mb()
for big, _small in blocks:  # the small ones stay: the heap cannot shrink from its top
    libc.free(big)
freed = rss_mb()
trimmed = native_memory.trim()
print(held, freed, rss_mb(), trimmed)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim: Linux only")
def test_trim_gives_back_the_free_pages_in_the_middle_of_the_heap() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    held, freed, after, trimmed = done.stdout.split()
    assert float(held) - float(freed) < 20, "free() alone kept the pages (the blocks sit between kept ones)"
    assert trimmed == "True"
    assert float(freed) - float(after) > 100, f"trim gave back {float(freed) - float(after):.1f} MB of 125"


def test_elsewhere_both_do_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import native_memory

    monkeypatch.setattr(native_memory.sys, "platform", "win32")
    native_memory._glibc.cache_clear()
    try:
        assert native_memory.limit_arenas() is False and native_memory.trim() is False
    finally:
        monkeypatch.undo()
        native_memory._glibc.cache_clear()
