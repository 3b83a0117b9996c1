"""Giving the C heap's free memory back to the system (glibc on Linux; elsewhere nothing).

A station's threads (the pool running use cases, the scale and change readers) each get
their own malloc arena, and glibc keeps the pages a freed block leaves in the middle of an
arena: after a few hundred packs a station held ~10 MB of free heap it never returned
(issue #15, point 6). ``limit_arenas`` (called once, before any thread starts) caps the
arenas at a few, and ``trim`` (``malloc_trim(0)``: every arena's free pages handed back)
is run by ``GuiThreadCollector`` every ``TRIM_S`` seconds (about 1 ms each).

Threading: ``trim`` may run on any thread (glibc locks each arena); ctypes releases the GIL
while it runs, a few milliseconds for a station's heap.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys

M_ARENA_MAX = -8  # mallopt's parameter number (malloc.h)
ARENAS = 2


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim.argtypes, libc.malloc_trim.restype = [ctypes.c_size_t], ctypes.c_int
        libc.mallopt.argtypes, libc.mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    except (OSError, AttributeError):  # not glibc (musl has neither)
        return None
    return libc


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas (True when it took)."""
    libc = _glibc()
    return bool(libc is not None and libc.mallopt(M_ARENA_MAX, arenas) == 1)


def trim() -> bool:
    """Hand every arena's free pages back to the system (True when some were)."""
    libc = _glibc()
    return bool(libc is not None and libc.malloc_trim(0) == 1)
