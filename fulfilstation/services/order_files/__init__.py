"""Order files: Shopify's order export, the generic order file and saved column mappings,
parsed into ``IncomingOrder``s (pure: ``shopify``, ``generic``, ``values``) and written
through the one intake door (``services.orders.intake.write``). Formats:
docs/import-formats.md."""

from fulfilstation.services.order_files.mappings import MappingView
from fulfilstation.services.order_files.refusals import OrderFileRefused
from fulfilstation.services.order_files.rows import OrderFileFormat
from fulfilstation.services.order_files.service import OrderFilesService

__all__ = ["MappingView", "OrderFileFormat", "OrderFileRefused", "OrderFilesService"]
