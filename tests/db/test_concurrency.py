"""Eight stations (processes) pack overlapping orders at once on PostgreSQL, each through its
own ``AppServices`` with the packer signed in there: no order ships twice, no stock goes
negative, no tracking number repeats, no units are lost, and every shipment names the
station and the actor that shipped it."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import URL

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, OrderLine, Package, Shipment, Station, StockLevel, StockMove, User
from tests.support.app import app_for
from tests.support.pack_worker import pack_orders

STATIONS = 8
RACE_TIMEOUT_S = 300  # about 25 s on an idle machine


def test_eight_stations_racing_for_the_same_orders(postgres_seeded_url: URL, tmp_path: Path) -> None:
    database = Database.connect(postgres_seeded_url)
    numbers = [order.number for order in app_for(database).orders.list("ready")][:24]
    on_hand_before = _total(database, StockLevel.on_hand)
    url = postgres_seeded_url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(STATIONS)
        with context.Pool(STATIONS) as pool:
            racing = pool.starmap_async(pack_orders, [(url, f"RACE-{n}", numbers, barrier, n,
                                                       str(tmp_path / "slips")) for n in range(STATIONS)])
            results = racing.get(timeout=RACE_TIMEOUT_S)  # a station that hangs fails the test, not the run
    shipped = [number for result in results for number, outcome in result.items() if outcome.startswith("shipped")]
    refusals = {outcome for result in results for outcome in result.values() if not outcome.startswith("shipped")}
    assert sorted(shipped) == sorted(numbers), "every order ships exactly once"
    assert refusals <= {"order-being-packed", "order-shipped"}, refusals
    assert refusals, "the stations never met: the test did not race"
    with database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Shipment)) == len(numbers)
        tracking = session.scalars(select(Package.tracking_number)).all()
        assert len(tracking) == len(set(tracking)) == len(numbers)
        assert session.scalar(select(func.min(StockLevel.on_hand))) >= 0
        assert session.scalar(select(func.min(StockLevel.reserved))) >= 0
        units = session.scalar(select(func.sum(OrderLine.quantity)).join(Order).where(Order.number.in_(numbers)))
        moved = session.scalar(select(func.sum(StockMove.quantity)).where(StockMove.reason == "ship"))
        assert moved == units
        shipped_at = {int(outcome.split(":")[1]): f"RACE-{n}" for n, result in enumerate(results)
                      for outcome in result.values() if outcome.startswith("shipped")}
        assert dict(session.execute(select(Shipment.id, Station.name).join(
            Station, Station.id == Shipment.station_id)).all()) == shipped_at
        assert set(session.scalars(select(User.username).join(Shipment, Shipment.created_by_id == User.id))) == {
            "packer"}
    assert _total(database, StockLevel.on_hand) == on_hand_before - units
    slips = list((tmp_path / "slips").glob("RACE-*/packing-slip-*.pdf"))  # in each station's own folder
    assert len(slips) == len(numbers)  # one slip per shipment
    database.dispose()


def _total(database: Database, column: object) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.sum(column))) or 0)  # type: ignore[arg-type]
