"""Picking stations racing (real processes, PostgreSQL): three stations creating lists from
the same ready orders at the same moment never put an order on two lists; three pickers
scanning the same row at once never pick it over its quantity."""

from __future__ import annotations

import multiprocessing

from sqlalchemy import func, select
from sqlalchemy.engine import URL

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, PickList, PickListLine, PickListOrder
from tests.support.app import app_for, sign_in
from tests.support.pick_worker import create_lists, pick_units
from tests.support.picking import ready_order
from tests.support.warehouse import unit_barcode

STATIONS = 3


def _twice_listed(db: Database) -> int:
    with db.unit_of_work() as session:
        twice = (select(PickListOrder.order_id).join(PickList, PickList.id == PickListOrder.pick_list_id)
                 .where(PickList.status != "cancelled").group_by(PickListOrder.order_id)
                 .having(func.count() > 1).subquery())
        return int(session.scalar(select(func.count()).select_from(twice)) or 0)


def test_stations_creating_lists_at_once_never_share_an_order(postgres_seeded_url: URL) -> None:
    db = Database.connect(postgres_seeded_url)
    url = postgres_seeded_url.render_as_string(hide_password=False)
    app = app_for(db)
    named = [ready_order(app, sign_in(app, "manager"), [("NB-A5-LIN", 1)]) for _ in range(3)]
    with db.unit_of_work() as session:
        pickable = int(session.scalar(select(func.count()).select_from(Order).where(
            Order.status == "ready", Order.hold.is_(False))) or 0) - len(named)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(STATIONS)
        with context.Pool(STATIONS) as pool:
            by_name = pool.starmap(create_lists, [(url, f"PICK-{n}", barrier, 1, 0, named) for n in range(STATIONS)])
            by_next = pool.starmap(create_lists, [(url, f"PICK-{n}", barrier, 4, 5, []) for n in range(STATIONS)])
    winners = [made for rounds in by_name for made in rounds if made]
    assert winners == [named], "exactly one station got the named orders"
    taken = [order for rounds in by_next for made in rounds for order in made]
    assert len(taken) == len(set(taken)), "an order went onto two lists"
    assert len(taken) == min(STATIONS * 4 * 5, pickable)  # every pickable order, each listed once
    assert _twice_listed(db) == 0
    db.dispose()


def test_pickers_scanning_one_row_at_once_never_pick_it_over(postgres_seeded_url: URL) -> None:
    db = Database.connect(postgres_seeded_url)
    url = postgres_seeded_url.render_as_string(hide_password=False)
    app = app_for(db)
    order = ready_order(app, sign_in(app, "manager"), [("NB-A5-LIN", 5)])
    created = app.picking.create(sign_in(app, "packer"), [order])
    (row,) = created.view.rows
    code = unit_barcode(db, "NB-A5-LIN")
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(STATIONS)
        with context.Pool(STATIONS) as pool:
            outcomes = pool.starmap(pick_units, [(url, f"PICK-{n}", barrier, created.number, row.bin, code, 4)
                                                 for n in range(STATIONS)])
    flat = [outcome for each in outcomes for outcome in each]
    assert flat.count("picked") == 5
    assert set(flat) - {"picked"} <= {"list-closed", "too-many", "picked-meanwhile"}
    with db.unit_of_work() as session:
        assert session.scalar(select(func.sum(PickListLine.picked_quantity))
                              .where(PickListLine.pick_list_id == select(PickList.id).where(
                                  PickList.number == created.number).scalar_subquery())) == 5
        assert session.scalar(select(PickList.status).where(PickList.number == created.number)) == "done"
    db.dispose()
