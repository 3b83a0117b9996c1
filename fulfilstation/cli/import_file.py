"""Reading the file an ``import …`` command names: its bytes, or one ``error:`` line (exit 1)."""

from __future__ import annotations

from pathlib import Path

from fulfilstation.cli.context import CommandError


def read_import_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file; nothing was imported.", code=1) from None
    except IsADirectoryError:
        raise CommandError(f"{path} is a folder, not a CSV file; nothing was imported.", code=1) from None
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}; nothing was imported.", code=1) from None
