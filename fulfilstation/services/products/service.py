"""``ProductsService``: the catalogue — products, their barcodes and kits.

Queries (anyone): ``list`` (search by SKU, name or any barcode; filters; pages) and
``show`` (everything about one product). Use cases (``Permission.EDIT_CATALOG``: managers
and owners): create, edit, deactivate, reactivate, add and remove a barcode, set a kit's
components. Each is audited; refusals are ``ProductRefused``.

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

from collections.abc import Sequence

from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.products.barcodes import add_barcode, remove_barcode
from fulfilstation.services.products.detail import show_product
from fulfilstation.services.products.editing import create_product, edit_product, set_active
from fulfilstation.services.products.kits import set_components
from fulfilstation.services.products.listing import list_products
from fulfilstation.services.products.views import (
    BarcodeSpec,
    ProductChanges,
    ProductDetail,
    ProductFields,
    ProductPage,
)

_EDIT = "change the catalogue (products, barcodes, kits)"


class ProductsService(AreaService):
    # -- queries

    def list(self, search: str | None = None, status: str = "active", kits: bool | None = None,
             sort: str = "sku", offset: int = 0, limit: int | None = None) -> ProductPage:
        """Products matching ``search`` (SKU, name, any barcode — a scan finds its product),
        ``status`` one of ``STATUS_FILTERS``, ``kits`` True (only kits) / False (no kits),
        sorted by ``sort`` (``sku`` or ``name``), ``limit`` of them from ``offset``."""
        return list_products(self.database, search, status, kits, sort, offset, limit)

    def show(self, sku: str) -> ProductDetail:
        """Everything about one product; ProductRefused when there is none."""
        return show_product(self.database, sku)

    # -- use cases

    @use_case(Permission.EDIT_CATALOG, _EDIT)
    def create(self, actor: Actor, fields: ProductFields, barcodes: Sequence[BarcodeSpec] = ()) -> ProductDetail:
        """A new active product with its barcodes; audited as ``product.created``."""
        return create_product(self.database, actor, fields, barcodes)

    @use_case(Permission.EDIT_CATALOG, _EDIT)
    def edit(self, actor: Actor, sku: str, changes: ProductChanges) -> ProductDetail:
        """Change the fields ``changes`` gives (``sku`` renames); audited as ``product.edited``."""
        return edit_product(self.database, actor, sku, changes)

    @use_case(Permission.EDIT_CATALOG, _EDIT)
    def deactivate(self, actor: Actor, sku: str) -> ProductDetail:
        """Take the product out of the catalogue (its history and stock stay)."""
        return set_active(self.database, actor, sku, False)

    @use_case(Permission.EDIT_CATALOG, _EDIT)
    def reactivate(self, actor: Actor, sku: str) -> ProductDetail:
        return set_active(self.database, actor, sku, True)

    @use_case(Permission.EDIT_CATALOG, _EDIT)
    def add_barcode(self, actor: Actor, sku: str, code: str, pack_quantity: int = 1) -> ProductDetail:
        """Give the product ``code`` (one scan counts ``pack_quantity`` units); refused, naming
        the other product, when another product has it."""
        return add_barcode(self.database, actor, sku, code, pack_quantity)

    @use_case(Permission.EDIT_CATALOG, _EDIT)
    def remove_barcode(self, actor: Actor, sku: str, code: str) -> ProductDetail:
        return remove_barcode(self.database, actor, sku, code)

    @use_case(Permission.EDIT_CATALOG, _EDIT)
    def set_components(self, actor: Actor, sku: str, components: Sequence[tuple[str, int]]) -> ProductDetail:
        """Make ``sku`` a kit of ``components`` ((SKU, units per kit)), replacing any it had;
        none makes it a plain product. Audited as ``product.kit_set``."""
        return set_components(self.database, actor, sku, components)
