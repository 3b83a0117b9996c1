"""The Bins area on SQLite and PostgreSQL: an owner lays out bins (add, edit, deactivate,
reactivate), nobody deactivates a bin that holds stock, codes are unique, and the list comes
in walking order."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Bin, Product, StockLevel
from fulfilstation.services.bins import BinFields, BinsRefused
from fulfilstation.services.refused import NotAllowed
from tests.support.app import app_for, sign_in


def held_bin(database: Database) -> tuple[str, int, str]:
    """(code, units on hand, a SKU in it) of a demo bin holding stock."""
    with database.unit_of_work() as session:
        code, units = session.execute(select(Bin.code, func.sum(StockLevel.on_hand)).join(
            StockLevel, StockLevel.bin_id == Bin.id).group_by(Bin.code).order_by(Bin.code).limit(1)).one()
        sku = session.scalar(select(Product.sku).join(StockLevel, StockLevel.product_id == Product.id)
                             .join(Bin, Bin.id == StockLevel.bin_id).where(Bin.code == code).limit(1))
        return code, int(units), str(sku)


def empty_bin(database: Database) -> str:
    with database.unit_of_work() as session:
        return str(session.scalar(select(Bin.code).where(~Bin.id.in_(select(StockLevel.bin_id)))
                                  .order_by(Bin.code).limit(1)))


def test_an_owner_adds_edits_and_the_list_is_in_walking_order(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    added = app.bins.add(owner, BinFields(" Z-01-1 ", zone="Z", aisle="Z", bay="01", level="1", pick_sequence=5,
                                          kind="Storage"))
    assert (added.code, added.kind, added.active, added.units) == ("Z-01-1", "storage", True, 0)
    app.bins.add(owner, BinFields("Z-02-1", zone="Z", pick_sequence=3))
    assert [b.code for b in app.bins.list(zone="z")] == ["Z-02-1", "Z-01-1"]
    edited = app.bins.edit(owner, "Z-01-1", BinFields("Z-01-9", zone="Z", aisle="Z", bay="01", level="9",
                                                      pick_sequence=1, kind="pickable"))
    assert (edited.code, edited.level, edited.kind) == ("Z-01-9", "9", "pickable")
    assert [b.code for b in app.bins.list(zone="Z")] == ["Z-01-9", "Z-02-1"]
    every = app.bins.list()
    assert [(b.pick_sequence, b.code) for b in every] == sorted((b.pick_sequence, b.code) for b in every)
    assert {b.kind for b in app.bins.list(kind="receiving")} == {"receiving"}
    with seeded_database.unit_of_work() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("bin.%"))).all()
    assert actions == ["bin.added", "bin.added", "bin.edited"]


def test_a_code_is_unique_and_fields_are_checked(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    with pytest.raises(BinsRefused, match="Bin code A-01-1 is already a pickable bin in zone A"):
        app.bins.add(owner, BinFields("A-01-1", zone="A"))
    with pytest.raises(BinsRefused, match="already"):
        app.bins.edit(owner, "A-01-2", BinFields("A-01-1", zone="A"))
    for fields, words in ((BinFields("X" * 33), "at most 32"), (BinFields("BIN\tTAB"), "ASCII"),
                          (BinFields("Ü-1"), "ASCII"), (BinFields("B-1", kind="shelf"), "use one of pickable"),
                          (BinFields("B-1", pick_sequence=-1), "whole number"), (BinFields(""), "blank")):
        with pytest.raises(BinsRefused, match=words):
            app.bins.add(owner, fields)
    with pytest.raises(BinsRefused, match="There is no bin 'NOPE'"):
        app.bins.show("NOPE")


def test_a_bin_holding_stock_cannot_be_deactivated(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    code, units, sku = held_bin(seeded_database)
    with pytest.raises(BinsRefused, match=rf"Bin {code} holds {units} units \({units} × {sku}\): move them"):
        app.bins.deactivate(owner, code)
    assert app.bins.show(code).bin.active
    shown = app.bins.show(code)
    assert shown.bin.units == units and shown.stock[0].sku == sku
    free = empty_bin(seeded_database)
    assert not app.bins.deactivate(owner, free).active
    assert [b.code for b in app.bins.list(active=False)] == [free]
    assert app.bins.reactivate(owner, free).active


def test_only_an_owner_lays_out_bins(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    for who in ("packer", "manager"):
        with pytest.raises(NotAllowed, match="only an owner can lay out bins"):
            app.bins.add(sign_in(app, who), BinFields("NEW-1"))
    assert app.bins.list(zone="NEW") == []
    assert app.bins.show("A-01-1").bin.code == "A-01-1"  # anyone may look


def test_two_owners_adding_the_same_code_at_once_one_wins(seeded_database: Database) -> None:
    apps = [app_for(seeded_database) for _ in range(2)]
    owners = [sign_in(app, "owner") for app in apps]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def add(index: int) -> None:
        start.wait()
        try:
            apps[index].bins.add(owners[index], BinFields("RACE-1", zone=f"Z{index}"))
            outcomes.append("added")
        except BinsRefused as refused:
            outcomes.append(str(refused.code))

    threads = [threading.Thread(target=add, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["added", "code-taken"]
    assert [b.code for b in apps[0].bins.list() if b.code == "RACE-1"] == ["RACE-1"]


def test_a_code_that_differs_only_in_case_is_refused_but_a_bin_may_recase_its_own(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    with pytest.raises(BinsRefused, match="Bin code A-01-1 is already"):
        app.bins.add(owner, BinFields("a-01-1", zone="A"))
    with pytest.raises(BinsRefused, match="Bin code A-01-1 is already"):
        app.bins.edit(owner, "A-01-2", BinFields("a-01-1", zone="A"))
    app.bins.add(owner, BinFields("z-case", zone="Z"))
    assert app.bins.edit(owner, "z-case", BinFields("Z-CASE", zone="Z")).code == "Z-CASE"
