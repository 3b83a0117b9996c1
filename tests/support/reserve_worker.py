"""A manager's desk reserving stock in its own process, for the reserve race test
(importable by spawn): its own ``AppServices``, the manager signed in there with their PIN."""

from __future__ import annotations

from multiprocessing.synchronize import Barrier

from fulfilstation.db.database import Database
from fulfilstation.db.url import parse_url
from tests.support.app import app_for, sign_in


def reserve_orders(url: str, desk: str, numbers: list[str], barrier: Barrier, rounds: int) -> dict[str, list[str]]:
    """Reserve each order (one call per order, ``rounds`` times over, meeting the other desk at
    ``barrier`` before each call); order number → the results of this desk's calls."""
    database = Database.connect(parse_url(url))
    app = app_for(database, station=desk)
    manager = sign_in(app, "manager")
    results: dict[str, list[str]] = {number: [] for number in numbers}
    for _round in range(rounds):
        for number in numbers:
            barrier.wait(timeout=60)
            (outcome,) = app.orders.reserve_stock(manager, [number])
            results[number].append(outcome.result)
    database.dispose()
    return results
