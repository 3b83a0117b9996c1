"""Moving stock between bins (SQLite and PostgreSQL): free units move, reserved ones never;
the destination level is made or added to (a lot keeps its expiry); every move is a
``move`` stock move with its user and station, and audited; each refusal says what to do
and changes nothing; a batch (what a scanner carried) is one transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Bin, Product, ProductComponent, Station, StockLevel, StockMove
from fulfilstation.services.app import AppServices
from fulfilstation.services.changes import Changes
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.stock import MoveItem, StockFilter, StockRefused, StockRow
from tests.support.app import STATION, app_for, sign_in
from tests.support.warehouse import case_barcode, make_order, stock_lot, unit_barcode

MUG, TEA = "MUG-CER-350", "TEA-EARL-100"


def level(app: AppServices, sku: str, bin_code: str | None = None, lot: str | None = None) -> StockRow:
    """The product's first level holding stock (in ``bin_code``, of ``lot``)."""
    rows = app.stock.levels(StockFilter(sku=sku, bin=bin_code, lot=lot))
    assert rows, (sku, bin_code, lot)
    return rows[0]


def figures(app: AppServices, sku: str, bin_code: str, lot: str = "") -> tuple[int, int]:
    """(on hand, reserved) of one level; (0, 0) when it holds nothing."""
    rows = [row for row in app.stock.levels(StockFilter(sku=sku, bin=bin_code, include_empty=True)) if row.lot == lot]
    return (rows[0].on_hand, rows[0].reserved) if rows else (0, 0)


def empty_bins(database: Database, count: int = 1) -> list[str]:
    """Active pickable bins holding nothing at all, in pick order."""
    with database.unit_of_work() as session:
        used = select(StockLevel.bin_id).where(StockLevel.on_hand > 0)
        return list(session.scalars(select(Bin.code).where(Bin.id.not_in(used), Bin.kind == "pickable",
                                                           Bin.active.is_(True))
                                    .order_by(Bin.pick_sequence).limit(count)))


def snapshot(database: Database) -> tuple[object, ...]:
    """Every level's figures, the ledger's length and the audit log's: what a refusal must not change."""
    with database.unit_of_work() as session:
        levels = tuple(session.execute(select(StockLevel.product_id, StockLevel.bin_id, StockLevel.lot_code,
                                              StockLevel.on_hand, StockLevel.reserved).order_by(StockLevel.id)))
        return (levels, session.scalar(select(func.count()).select_from(StockMove)),
                session.scalar(select(func.count()).select_from(AuditEntry)))


def test_a_packer_moves_free_units_and_the_ledger_says_who_and_where(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer = sign_in(app, "packer")
    source = level(app, MUG)
    target, second = empty_bins(db, 2)
    moved = app.stock.move(packer, MUG, source.bin, target, 5)
    assert (moved.sku, moved.quantity, moved.from_bin, moved.to_bin, moved.lot) == (MUG, 5, source.bin, target, "")
    assert moved.left_in_source == source.on_hand - 5
    assert figures(app, MUG, source.bin) == (source.on_hand - 5, source.reserved)
    assert figures(app, MUG, target) == (5, 0)
    app.stock.move(packer, MUG, source.bin, target.lower(), 3)  # a typed code in lower case is the same bin
    assert figures(app, MUG, target) == (8, 0)
    app.stock.move(packer, MUG, target, second, 8)  # all of it: the emptied level stays, at 0
    assert figures(app, MUG, target) == (0, 0) and figures(app, MUG, second) == (8, 0)
    entry = app.stock.moves(sku=MUG, bin=second)[0]
    assert (entry.reason, entry.quantity, entry.from_bin, entry.to_bin, entry.user, entry.station) == (
        "move", 8, target, second, "Pat Packer", STATION)
    assert entry.signed_for(second) == 8 and entry.signed_for(target) == -8
    with db.unit_of_work() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "stock.moved")
                                .order_by(AuditEntry.id)).all()
        assert len(audit) == 3 and audit[0].details["items"] == [{"sku": MUG, "lot": "", "quantity": 5}]
        assert audit[0].details["by"] == "packer"
        assert session.scalar(select(Station.name).where(Station.id == audit[0].station_id)) == STATION
    assert app.stock.check().consistent


def test_reserved_units_never_move_and_the_refusal_says_how_many_are_free(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer = sign_in(app, "packer")
    (target,) = empty_bins(db)
    source = level(app, MUG)
    with db.unit_of_work() as session:  # a level holding 10, of which the orders below reserve 7
        session.execute(update(StockLevel).where(StockLevel.reserved == 0, StockLevel.product_id == select(
            Product.id).where(Product.sku == MUG).scalar_subquery()).values(on_hand=0))
    order = make_order(db, [(MUG, 7)])
    source = level(app, MUG)
    free = source.on_hand - source.reserved
    before = snapshot(db)
    with pytest.raises(StockRefused) as refused:
        app.stock.move(packer, MUG, source.bin, target, free + 1)
    assert refused.value.code == "not-free"
    assert f"Only {free} units of {MUG} in bin {source.bin} are free to move" in refused.value.message
    assert order in refused.value.message and f"move at most {free}" in refused.value.message
    assert snapshot(db) == before
    app.stock.move(packer, MUG, source.bin, target, free)
    assert figures(app, MUG, source.bin) == (source.reserved, source.reserved)  # what is left is all reserved
    with pytest.raises(StockRefused, match="Only 0 units"):
        app.stock.move(packer, MUG, source.bin, target, 1)


def test_each_refusal_says_what_to_do_and_changes_nothing(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer = sign_in(app, "packer")
    source = level(app, MUG)
    target, inactive = empty_bins(db, 2)
    with db.unit_of_work() as session:
        session.execute(update(Bin).where(Bin.code == inactive).values(active=False))
        kit = Product(sku="KIT-MUG-2", name="Two mugs", weight_g=760)
        session.add(kit)
        session.flush()
        mug_id = session.scalar(select(Product.id).where(Product.sku == MUG))
        session.add(ProductComponent(kit_id=kit.id, component_id=mug_id, quantity=2))
        session.add(StockLevel(product_id=kit.id, bin_id=session.scalar(select(Bin.id).where(Bin.code == source.bin)),
                               on_hand=3))  # a wrong figure from before the kit was a kit: it still may not move
    before = snapshot(db)
    cases = {
        "unknown-bin": lambda: app.stock.move(packer, MUG, "NO-SUCH-BIN", target, 1),
        "unknown-sku": lambda: app.stock.move(packer, "NO-SUCH-SKU", source.bin, target, 1),
        "same-bin": lambda: app.stock.move(packer, MUG, source.bin, source.bin, 1),
        "bin-inactive": lambda: app.stock.move(packer, MUG, source.bin, inactive, 1),
        "kit": lambda: app.stock.move(packer, "KIT-MUG-2", source.bin, target, 1),
        "not-in-bin": lambda: app.stock.move(packer, MUG, target, source.bin, 1),
        "not-free": lambda: app.stock.move(packer, MUG, source.bin, target, 1_000_000),
    }
    for code, call in cases.items():
        with pytest.raises(StockRefused) as refused:
            call()
        assert refused.value.code == code, (code, refused.value.message)
        assert refused.value.message.endswith((".", ")")), refused.value.message
    for quantity in (0, -3):
        with pytest.raises(StockRefused, match="give a whole number of units above 0") as refused:
            app.stock.move(packer, MUG, source.bin, target, quantity)
        assert refused.value.code == "bad-quantity"
    with pytest.raises(StockRefused, match="already in bin"):
        app.stock.move(packer, MUG, source.bin, source.bin.lower(), 1)
    with pytest.raises(NotAllowed):
        app.stock.move(None, MUG, source.bin, target, 1)  # type: ignore[arg-type]
    assert snapshot(db) == before


def test_a_lot_is_named_when_the_bin_holds_several_and_keeps_its_expiry(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer = sign_in(app, "packer")
    tea = level(app, TEA)
    target, other = empty_bins(db, 2)
    assert tea.expiry is not None
    app.stock.move(packer, TEA, tea.bin, target, 4)  # one lot in the bin: it is the one meant
    moved = level(app, TEA, target)
    assert (moved.lot, moved.expiry, moved.on_hand) == (tea.lot, tea.expiry, 4)
    stock_lot(db, TEA, "LNEW1", 6, dt.date(2031, 1, 31), bin_code=target)  # now two lots there
    with pytest.raises(StockRefused) as refused:
        app.stock.move(packer, TEA, target, other, 1)
    assert refused.value.code == "lot-needed" and tea.lot in refused.value.message and "LNEW1" in refused.value.message
    with pytest.raises(StockRefused, match="holds no TEA-EARL-100 of lot NOPE"):
        app.stock.move(packer, TEA, target, other, 1, lot="NOPE")
    app.stock.move(packer, TEA, target, other, 2, lot="LNEW1")
    assert (level(app, TEA, other).lot, level(app, TEA, other).expiry) == ("LNEW1", dt.date(2031, 1, 31))
    entry = app.stock.moves(sku=TEA, lot="LNEW1")[0]
    assert (entry.lot, entry.quantity, entry.to_bin) == ("LNEW1", 2, other)


def test_a_batch_is_one_transaction(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer = sign_in(app, "packer")
    mug = level(app, MUG)
    (target,) = empty_bins(db)
    with db.unit_of_work() as session:  # a second product in the mug's bin
        soap = session.scalar(select(Product.id).where(Product.sku == "SOAP-LAV-100"))
        mug_bin = session.scalar(select(Bin.id).where(Bin.code == mug.bin))
        session.add(StockLevel(product_id=soap, bin_id=mug_bin, on_hand=4))
        session.add(StockMove(product_id=soap, to_bin_id=mug_bin, quantity=4, reason="receive"))
    before = snapshot(db)
    with pytest.raises(StockRefused, match="Only 4 units of SOAP-LAV-100"):
        app.stock.move_many(packer, mug.bin, target, [MoveItem(MUG, 2), MoveItem("SOAP-LAV-100", 5)])
    assert snapshot(db) == before
    moved = app.stock.move_many(packer, mug.bin, target, [MoveItem(MUG, 2), MoveItem("SOAP-LAV-100", 4),
                                                          MoveItem(MUG, 1)])
    assert [(m.sku, m.quantity) for m in moved] == [(MUG, 3), ("SOAP-LAV-100", 4)]  # one move per product and lot
    assert figures(app, MUG, target) == (3, 0) and figures(app, "SOAP-LAV-100", target) == (4, 0)
    with pytest.raises(StockRefused, match="Nothing to move"):
        app.stock.move_many(packer, mug.bin, target, [])
    assert app.stock.check().consistent


def test_what_a_scan_is(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    mug = level(app, MUG)
    bin_ = app.stock.identify(mug.bin)
    assert (bin_.kind, bin_.code) == ("bin", mug.bin)
    unit = app.stock.identify(unit_barcode(db, MUG))
    assert (unit.kind, unit.code, unit.units, unit.lot) == ("product", MUG, 1, None)
    case, pack = case_barcode(db, MUG)
    assert app.stock.identify(case).units == pack > 1
    gs1 = app.stock.identify(f"01{unit_barcode(db, TEA)}10L26ABC")
    assert (gs1.code, gs1.units, gs1.lot, gs1.lot_tracked) == (TEA, 1, "L26ABC", True)
    by_sku = app.stock.identify(MUG)  # the label of an item without a barcode carries its SKU
    assert (by_sku.kind, by_sku.code, by_sku.units) == ("product", MUG, 1)
    with pytest.raises(StockRefused) as refused:
        app.stock.identify("ZZ-NOT-A-THING")
    assert refused.value.code == "unknown-code" and "neither a bin label nor a product barcode" in str(refused.value)


def test_moves_and_adjustments_report_the_tables_they_changed(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    heard: list[Changes] = []
    app.changes.subscribe(heard.append)
    mug = level(app, MUG)
    (target,) = empty_bins(db)
    app.stock.move(sign_in(app, "packer"), MUG, mug.bin, target, 1)
    assert heard[-1].tables == {"stock_levels", "stock_moves", "audit_log"}
    assert heard[-1].use_case == "StockService.move" and heard[-1].username == "packer"
    app.stock.adjust(sign_in(app, "manager"), MUG, target, "counted", by=2)
    assert heard[-1].tables == {"stock_levels", "stock_moves", "audit_log"}
    count = len(heard)
    with pytest.raises(StockRefused):
        app.stock.move(sign_in(app, "packer"), MUG, target, target, 1)
    app.stock.levels()
    app.stock.check()
    assert len(heard) == count  # refusals and queries report nothing
