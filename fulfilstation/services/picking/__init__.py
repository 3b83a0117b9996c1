"""Picking: pick lists for one order, a batch or a wave, merged per bin in walking order and
split by zone; confirming picks by scanning bin then item; short picks.

Threading: every use case blocks on the database; call them from worker threads.

Names load on first use (``lazy_exports``): importing one module of this area does not
import the whole area.
"""

from typing import TYPE_CHECKING

from fulfilstation.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from fulfilstation.services.picking.service import PickingService
    from fulfilstation.services.picking.views import (
        BinCheck,
        Cancelled,
        Created,
        Picked,
        PickingRefused,
        PickListSummary,
        PickListView,
        PickRow,
        Selection,
        Shorted,
        ShortPreview,
        ToteOrder,
        ToteShare,
        Wave,
    )

__all__ = ["BinCheck", "Cancelled", "Created", "Picked", "PickingRefused", "PickListSummary", "PickListView",
           "PickRow", "PickingService", "Selection", "Shorted", "ShortPreview", "ToteOrder", "ToteShare", "Wave"]

__getattr__, __dir__ = lazy_exports(__name__, {
    "fulfilstation.services.picking.service": ("PickingService",),
    "fulfilstation.services.picking.views": (
        "BinCheck", "Cancelled", "Created", "Picked", "PickingRefused", "PickListSummary", "PickListView",
        "PickRow", "Selection", "Shorted", "ShortPreview", "ToteOrder", "ToteShare", "Wave"
    ),
})
