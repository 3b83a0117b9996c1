"""The Products screen of the workspace (managers and owners): the catalogue — products,
their barcodes and kits, scanner-driven search."""

from ui.products.screen import ProductsScreen

__all__ = ["ProductsScreen"]
