"""Product files: importing a catalogue (Shopify's product export, the generic product file)
and exporting it (the generic file). Parsing is pure (``shopify``, ``generic``,
``values``); ``plan`` decides each row, ``write`` writes in bulk, ``importer`` holds the
one transaction. Formats: docs/import-formats.md."""

from fulfilstation.imports import ImportProgress, ImportReport, RowProblem
from fulfilstation.services.product_files.refusals import ProductFileRefused
from fulfilstation.services.product_files.rows import ProductFileFormat
from fulfilstation.services.product_files.service import ProductFilesService

__all__ = ["ImportProgress", "ImportReport", "ProductFileFormat", "ProductFileRefused", "ProductFilesService",
           "RowProblem"]
