"""A picking station in its own process, for the picking race tests (importable by spawn):
its own ``AppServices``, a packer signed in there with their PIN, meeting the other
stations at a barrier before each call."""

from __future__ import annotations

from multiprocessing.synchronize import Barrier

from fulfilstation.db.database import Database
from fulfilstation.db.url import parse_url
from fulfilstation.services.picking import PickingRefused
from tests.support.app import app_for, sign_in


def create_lists(url: str, station: str, barrier: Barrier, rounds: int, count: int,
                 named: list[str]) -> list[list[str]]:
    """Each round: create a list of the ``named`` orders (when given) or of the next
    ``count``; the orders of each list made (a refused round adds an empty list)."""
    database = Database.connect(parse_url(url))
    app = app_for(database, station=station)
    packer = sign_in(app, "packer")
    made: list[list[str]] = []
    for _round in range(rounds):
        barrier.wait(timeout=60)
        try:
            created = app.picking.create(packer, named) if named else app.picking.create(packer, next=count)
            made.append([tote.order for tote in created.view.totes])
        except PickingRefused:
            made.append([])
    database.dispose()
    return made


def pick_units(url: str, station: str, barrier: Barrier, number: str, bin_code: str, code: str,
               scans: int) -> list[str]:
    """Scan ``code`` at ``bin_code`` ``scans`` times; "picked" or the refusal's code per scan."""
    database = Database.connect(parse_url(url))
    app = app_for(database, station=station)
    packer = sign_in(app, "packer")
    outcomes: list[str] = []
    for _scan in range(scans):
        barrier.wait(timeout=60)
        try:
            app.picking.pick(packer, number, bin_code, code)
            outcomes.append("picked")
        except PickingRefused as refused:
            outcomes.append(str(refused.code))
    database.dispose()
    return outcomes
