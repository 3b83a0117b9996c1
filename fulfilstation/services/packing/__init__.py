"""The packing bench: claim an order, verify each scan, choose the box, weigh and close
packages, cancel (``PackingService``), and the values it returns.

Threading: every use case blocks on the database; call them from worker threads. They are
safe to call from many stations at once: races are settled by conditional updates and
unique constraints in the database.

Names load on first use (``lazy_exports``): importing one module of this area does not
import the whole area.
"""

from typing import TYPE_CHECKING

from fulfilstation.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from fulfilstation.services.packing.boxes import Weighing
    from fulfilstation.services.packing.holders import HEARTBEAT_S
    from fulfilstation.services.packing.queue import QueuedOrder, QueueSnapshot
    from fulfilstation.services.packing.service import PackingService
    from fulfilstation.services.packing.views import LineView, PackRefused, PackView, Refusal, ScanOutcome

__all__ = ["HEARTBEAT_S", "LineView", "PackRefused", "PackView", "PackingService", "QueueSnapshot", "QueuedOrder",
           "Refusal",
           "ScanOutcome", "Weighing"]

__getattr__, __dir__ = lazy_exports(__name__, {
    "fulfilstation.services.packing.boxes": ("Weighing",),
    "fulfilstation.services.packing.holders": ("HEARTBEAT_S",),
    "fulfilstation.services.packing.queue": ("QueuedOrder", "QueueSnapshot"),
    "fulfilstation.services.packing.service": ("PackingService",),
    "fulfilstation.services.packing.views": ("LineView", "PackRefused", "PackView", "Refusal", "ScanOutcome"),
})
