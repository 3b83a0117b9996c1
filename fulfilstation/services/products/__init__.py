"""The catalogue (``ProductsService``): products, their barcodes and kits.

``availability.available_units`` is the one rule for how many units of a product (or kit)
can be sold now; the stock and orders areas call it.
"""

from fulfilstation.services.products.refused import ProductRefused
from fulfilstation.services.products.service import ProductsService
from fulfilstation.services.products.views import (
    SORTS,
    STATUS_FILTERS,
    BarcodeInfo,
    BarcodeSpec,
    BinStock,
    ComponentInfo,
    KitUse,
    ProductChanges,
    ProductDetail,
    ProductFields,
    ProductPage,
    ProductRow,
    StockSummary,
)

__all__ = ["SORTS", "STATUS_FILTERS", "BarcodeInfo", "BarcodeSpec", "BinStock", "ComponentInfo", "KitUse",
           "ProductChanges", "ProductDetail", "ProductFields", "ProductPage", "ProductRefused", "ProductRow",
           "ProductsService", "StockSummary"]
