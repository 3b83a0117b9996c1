"""The packing station's use cases: claim an order, verify each scan, choose the box,
weigh, ship, print after the commit, reprint, void.

Threading: every function blocks on the database (and ``print_shipment`` on the printer);
call them from worker threads. They are safe to call from many stations at once: races are
settled by conditional updates and unique constraints in the database.
"""

from fulfilstation.services.packing.boxes import Weighing, choose_box, close_package, ship
from fulfilstation.services.packing.scanning import scan_item
from fulfilstation.services.packing.start import cancel_pack, next_order, open_session_for_station, start_pack
from fulfilstation.services.packing.views import LineView, PackRefused, PackView, Refusal, ScanOutcome
from fulfilstation.services.shipping.printing import (
    PrintOutcome,
    last_shipment_of_station,
    print_shipment,
    tracking_numbers,
    void_shipment,
)

__all__ = [
    "LineView", "PackRefused", "PackView", "PrintOutcome", "Refusal", "ScanOutcome", "Weighing",
    "cancel_pack", "choose_box", "close_package", "last_shipment_of_station", "next_order", "open_session_for_station",
    "print_shipment", "scan_item", "ship", "start_pack", "tracking_numbers", "void_shipment",
]
