"""``ProductFilesService``: product files in and out — import (Shopify's export or the
generic file) and export (the generic file).

Importing changes the catalogue, a manager's right (``EDIT_CATALOG``); exporting is a read
(prices and barcodes are no secret in the warehouse), a query like the other areas' lists.

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

from fulfilstation.domain.roles import Permission
from fulfilstation.imports import ImportProgress, ImportReport
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.product_files import export, importer
from fulfilstation.services.product_files.rows import ProductFileFormat


class ProductFilesService(AreaService):
    @use_case(Permission.EDIT_CATALOG, "import products")
    def import_products(self, actor: Actor, data: bytes, *, file_format: ProductFileFormat | str | None = None,
                        dry_run: bool = False, progress: ImportProgress | None = None,
                        file_name: str | None = None) -> ImportReport:
        """Import a product file (``file_format`` detected from its header when None): the
        valid rows go in, each broken row is in the report with its line and reason; one
        transaction; ``dry_run`` writes nothing. ProductFileRefused when the file cannot be
        read as a product file at all, or the catalogue changed under the import."""
        return importer.import_products(self.database, actor, data, file_format=file_format, dry_run=dry_run,
                                        progress=progress, file_name=file_name)

    # -- queries

    def export_products(self) -> bytes:
        """The whole catalogue as a generic product file (UTF-8 with BOM), which imports back unchanged."""
        return export.export_products(self.database)
