"""A packing station in its own process, for the concurrency test (importable by spawn).

Each process is one station: its own ``AppServices`` (as ``main`` builds them, no printers),
the packer signed in there with their PIN, every order packed through the use cases."""

from __future__ import annotations

import random
from multiprocessing.synchronize import Barrier
from pathlib import Path

from fulfilstation.db.database import Database
from fulfilstation.db.url import parse_url
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import PackRefused, Refusal, Weighing
from fulfilstation.services.refused import Refused
from tests.support.app import app_for, sign_in


def pack_orders(url: str, station: str, numbers: list[str], barrier: Barrier, seed: int,
                documents_dir: str) -> dict[str, str]:
    """Try to pack each order; return order number → "shipped:<shipment id>" or the refusal code.
    Packing slips (no document printer) are saved in ``documents_dir``."""
    database = Database.connect(parse_url(url))
    app = app_for(database, station=station, documents_dir=Path(documents_dir))
    packer = sign_in(app, "packer")  # before the race: signing in is not what is measured
    order = list(numbers)
    random.Random(seed).shuffle(order)
    barrier.wait(timeout=60)
    results: dict[str, str] = {}
    for number in order:
        try:
            results[number] = _pack_one(app, packer, number)
        except Refused as refused:
            results[number] = str(refused.code)  # a Refusal is a StrEnum: its value
    database.dispose()
    return results


def _pack_one(app: AppServices, packer: Actor, number: str) -> str:
    info = app.orders.show(number)
    view = app.packing.start(packer, number)
    for line in info.lines:
        for _unit in range(line.quantity):
            outcome = app.packing.scan(packer, view.session_id, line.barcodes[0])
            if outcome.pending:  # serial or lot by a second scan: a reserved lot (in stock), else a serial
                serial = f"{packer.station_id}-{number}-{line.sku}-{_unit}"
                second = line.lots[0].lot if line.tracking == "lot" else serial
                outcome = app.packing.scan(packer, view.session_id, second)
            if not outcome.accepted:
                raise PackRefused(outcome.refusal or Refusal.UNKNOWN_BARCODE, outcome.message)
    assert info.expected_weight_g is not None
    weight = (info.expected_weight_g["min"] + info.expected_weight_g["max"]) // 2
    shipped = app.shipping.ship(packer, view.session_id, Weighing(weight))
    return f"shipped:{shipped.shipment_id}"
