"""``fulfilstation export products --out FILE.csv``: the catalogue as a generic product file.

A read (no sign-in): every product with its barcodes, packs and kit components, in the
format ``import products`` reads back unchanged (docs/import-formats.md). The file is
written whole or not at all (a temporary file beside it, then renamed).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.domain.words import plural
from fulfilstation.imports import read_csv_bytes


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    group = commands.add_parser("export", help="export products to CSV")
    sub = group.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    products = sub.add_parser("products", parents=[common], help="every product as a generic product CSV")
    products.add_argument("--out", type=Path, required=True, metavar="FILE.csv", help="the file to write")
    products.set_defaults(handler=export_products_command)


def export_products_command(args: argparse.Namespace, context: CliContext) -> int:
    data = context.app().product_files.export_products()
    write_whole(args.out, data)
    print(f"wrote {plural(len(read_csv_bytes(data).rows), 'product')} to {args.out}")
    return 0


def write_whole(path: Path, data: bytes) -> None:
    """``data`` to ``path``, whole or not at all; CommandError (exit 1) saying why not.

    The file gets the mode a plain ``open`` would give it (0666 less the umask: others may read
    a report or an export as they may read any file written here), not ``mkstemp``'s 0600. An
    existing ``path`` that is not a regular file (a device, a pipe, ``/dev/stdout``) is refused:
    the rename would replace it."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not path.is_file():
        raise CommandError(f"cannot write {path}: it is not a regular file; give a file name", code=1)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise CommandError(f"cannot write in {folder}: {exc.strerror or exc}", code=1) from None
    try:
        with os.fdopen(handle, "wb") as out:
            os.chmod(temporary, 0o666 & ~_umask())
            out.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}", code=1) from None


def _umask() -> int:
    """The process's umask (read by setting it and putting it back; the CLI is one thread here)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
