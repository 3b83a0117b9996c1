"""A file that could not be written, in words a person can act on: what could not be written,
why in plain words (never an errno or a traceback), and what to do — choose another place.

Pure: an exception in, a sentence out.
"""

from __future__ import annotations

import errno
from pathlib import Path

_WHY = {
    errno.EACCES: "this folder may not be written to (it is read-only), or the file is open in another program",
    errno.EPERM: "this folder may not be written to (it is read-only), or the file is open in another program",
    errno.EROFS: "the disk is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk is full (your share of it is used up)",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EISDIR: "a folder has that name",
}


def why_not_written(path: Path, exc: BaseException) -> str:
    """Why ``path`` could not be written, without the errno."""
    if isinstance(exc, FileNotFoundError):
        if path.parent.is_dir():  # a system folder (/proc) that takes no new files
            return "no file can be made in this folder"
        return f"the folder {path.parent} does not exist"
    if isinstance(exc, OSError):
        if exc.errno in _WHY:
            return _WHY[exc.errno]
        if exc.strerror:
            return exc.strerror[:1].lower() + exc.strerror[1:]
    if isinstance(exc, Exception):
        from fulfilstation.errors import describe_error  # as the window's other messages: loaded when needed

        return describe_error(exc)
    return type(exc).__name__


def write_error_text(path: Path, exc: BaseException) -> str:
    """"Could not write FILE: <why>. Choose another place." """
    return f"Could not write {path}: {why_not_written(path, exc)}. Choose another place."
