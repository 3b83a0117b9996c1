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
    """``data`` to ``path``, whole or not at all; CommandError (exit 1) saying why not."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise CommandError(f"cannot write in {folder}: {exc.strerror or exc}", code=1) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}", code=1) from None
