"""Which product format a file is in, from its header; the one entry to parsing.

Shopify's export names its product column ``Handle`` (``URL handle`` in the 2025 export);
the generic format has ``sku`` and ``name`` columns. A header with neither cannot be
imported: ``FormatUnknown`` says what it lacks. Pure: no database, no Qt.
"""

from __future__ import annotations

from fulfilstation.imports import CsvTable
from fulfilstation.services.product_files import generic, shopify
from fulfilstation.services.product_files.rows import ParsedFile, ProductFileFormat


class FormatUnknown(ValueError):
    """The file's header matches no product format; ``str()`` says what it lacks."""


def detect(table: CsvTable) -> ProductFileFormat:
    if shopify.is_shopify(table):
        return ProductFileFormat.SHOPIFY
    if generic.is_generic(table):
        return ProductFileFormat.GENERIC
    shown = ", ".join(header for header in table.headers[:6] if header)
    raise FormatUnknown(f"the header ({shown}{', …' if len(table.headers) > 6 else ''}) is neither Shopify's "
                        "product export (it has a Handle column) nor the generic product file (sku and name "
                        "columns): see docs/import-formats.md")


def parse(table: CsvTable, file_format: ProductFileFormat | str | None = None) -> ParsedFile:
    """The file read as ``file_format`` (detected from the header when None)."""
    chosen = ProductFileFormat(file_format) if file_format is not None else detect(table)
    if chosen is ProductFileFormat.SHOPIFY:
        if not shopify.is_shopify(table):
            raise FormatUnknown("this is not a Shopify product export: it has no Handle (or URL handle) column")
        return shopify.parse(table)
    if not generic.is_generic(table):
        raise FormatUnknown("this is not a generic product file: it needs sku and name columns "
                            "(see docs/import-formats.md)")
    return generic.parse(table)
