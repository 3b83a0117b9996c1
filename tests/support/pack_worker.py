"""A packing station in its own process, for the concurrency test (importable by spawn)."""

from __future__ import annotations

import random
from multiprocessing.synchronize import Barrier

from fulfilstation.db.database import Database
from fulfilstation.db.url import parse_url
from fulfilstation.services.orders.queries import show_order
from fulfilstation.services.packing import PackRefused, Refusal, Weighing, scan_item, ship, start_pack
from fulfilstation.services.stations.registry import ensure_station
from tests.support.warehouse import user_id


def pack_orders(url: str, station: str, numbers: list[str], barrier: Barrier, seed: int) -> dict[str, str]:
    """Try to pack each order; return order number → "shipped:<tracking>" or the refusal code."""
    database = Database.connect(parse_url(url))
    station_id = ensure_station(database, station).id
    packer = user_id(database, "packer")
    order = list(numbers)
    random.Random(seed).shuffle(order)
    barrier.wait(timeout=60)
    results: dict[str, str] = {}
    for number in order:
        try:
            results[number] = _pack_one(database, number, station_id, packer)
        except PackRefused as refused:
            results[number] = refused.code.value
    database.dispose()
    return results


def _pack_one(database: Database, number: str, station_id: int, packer: int) -> str:
    info = show_order(database, number)
    view = start_pack(database, number, station_id, packer)
    for line in info.lines:
        for _unit in range(line.quantity):
            outcome = scan_item(database, view.session_id, line.barcodes[0])
            if outcome.pending:  # serial or lot by a second scan
                outcome = scan_item(database, view.session_id, f"{station_id}-{number}-{line.sku}-{_unit}")
            if not outcome.accepted:
                raise PackRefused(outcome.refusal or Refusal.UNKNOWN_BARCODE, outcome.message)
    assert info.expected_weight_g is not None
    weight = (info.expected_weight_g["min"] + info.expected_weight_g["max"]) // 2
    shipment_id, _labels = ship(database, view.session_id, Weighing(weight))
    return f"shipped:{shipment_id}"
