"""Stock levels as the screen and the CLI ask for them (SQLite and PostgreSQL): filtered by
typed text, a scanned barcode (a case GTIN, a GS1 code with its lot), a bin label, SKU, bin,
lot and zone; totals per product; one product's stock with its latest moves; empty levels
only when asked for."""

from __future__ import annotations

import pytest

from fulfilstation.db.database import Database
from fulfilstation.services.stock import StockFilter, StockRefused
from tests.db.test_stock_moves import MUG, TEA, empty_bins, level
from tests.support.app import app_for, sign_in
from tests.support.warehouse import case_barcode, make_order, unit_barcode


def test_filters_find_what_was_typed_or_scanned(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    everything = app.stock.levels()
    assert len(everything) > 40 and all(row.on_hand > 0 and row.available == row.on_hand - row.reserved
                                        for row in everything)
    mug, tea = level(app, MUG), level(app, TEA)

    def skus(**wanted: object) -> set[str]:
        return {row.sku for row in app.stock.levels(StockFilter(**wanted))}  # type: ignore[arg-type]

    assert skus(text=unit_barcode(db, MUG)) == {MUG}
    assert skus(text=case_barcode(db, MUG)[0]) == {MUG}
    assert skus(text="ceramic mug") == {MUG}  # a part of the name, any case
    assert {row.bin for row in app.stock.levels(StockFilter(text=mug.bin.lower()))} == {mug.bin}
    gs1 = app.stock.levels(StockFilter(text=f"01{unit_barcode(db, TEA)}10{tea.lot}"))
    assert [(row.sku, row.lot) for row in gs1] == [(TEA, tea.lot)]
    assert [(row.sku, row.bin) for row in app.stock.levels(StockFilter(lot=tea.lot.lower()))] == [(TEA, tea.bin)]
    assert skus(text=f"01{unit_barcode(db, MUG)}10ANY") == {MUG}  # a lot on an untracked product's code: ignored
    assert skus(sku=MUG.lower()) == {MUG} and skus(text="NO-SUCH-THING") == set()
    zone = app.stock.levels(StockFilter(zone=mug.zone))
    assert zone and {row.zone for row in zone} == {mug.zone} and mug.key in {row.key for row in zone}
    assert skus(text="100%_") == set()  # LIKE wildcards are matched as themselves
    assert len(app.stock.levels(StockFilter(limit=5))) == 5


def test_totals_per_product_and_one_products_stock(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    before = app.stock.show(TEA).reserved  # the demo's orders (its gift set holds one)
    make_order(db, [(TEA, 3)])
    totals = {total.sku: total for total in app.stock.totals()}
    tea = app.stock.show(TEA)
    assert (totals[TEA].on_hand, totals[TEA].reserved, totals[TEA].available, totals[TEA].bins) == (
        tea.on_hand, tea.reserved, tea.available, len(tea.levels))
    assert tea.reserved == before + 3 and tea.lot_tracked and tea.active
    assert tea.on_hand == sum(row.on_hand for row in tea.levels) and len(tea.levels) == 2
    assert [entry.reason for entry in tea.recent] == ["receive", "receive"]
    (target,) = empty_bins(db)
    (emptied,) = [row for row in tea.levels if not row.reserved]  # the order reserved in the other one
    app.stock.move(sign_in(app, "packer"), TEA, emptied.bin, target, emptied.on_hand)
    assert emptied.key not in {row.key for row in app.stock.levels(StockFilter(sku=TEA))}
    with_empty = {row.key: row.on_hand for row in app.stock.levels(StockFilter(sku=TEA, include_empty=True))}
    assert with_empty[emptied.key] == 0  # the level stays, at 0 (a void may put units back)
    assert app.stock.show(TEA).recent[0].reason == "move"
    assert app.stock.show(TEA, recent=1).recent[0].to_bin == target
    with pytest.raises(StockRefused, match="There is no product with SKU 'NOPE'"):
        app.stock.show("NOPE")
    with pytest.raises(StockRefused, match="There is no bin 'NOPE'"):
        app.stock.moves(bin="NOPE")
