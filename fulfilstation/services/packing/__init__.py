"""The packing bench: claim an order, verify each scan, choose the box, weigh and close
packages, cancel (``PackingService``), and the values it returns.

Threading: every use case blocks on the database; call them from worker threads. They are
safe to call from many stations at once: races are settled by conditional updates and
unique constraints in the database.
"""

from fulfilstation.services.packing.boxes import Weighing
from fulfilstation.services.packing.holders import HEARTBEAT_S
from fulfilstation.services.packing.queue import QueuedOrder, QueueSnapshot
from fulfilstation.services.packing.service import PackingService
from fulfilstation.services.packing.views import LineView, PackRefused, PackView, Refusal, ScanOutcome

__all__ = ["HEARTBEAT_S", "LineView", "PackRefused", "PackView", "PackingService", "QueueSnapshot", "QueuedOrder",
           "Refusal",
           "ScanOutcome", "Weighing"]
