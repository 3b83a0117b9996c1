"""Lots while counting (SQLite and PostgreSQL): a plain product barcode in a bin holding
several lots of it is refused (scan the lot label or type the lot, the lots named); a lot the
system does not know is refused, naming the bin's lots; "bin done" covers every level of the
bin at that moment — a lot that arrived after the count was created is added as a line."""

from __future__ import annotations

import pytest

from fulfilstation.db.database import Database
from fulfilstation.services.counts import CountsRefused
from tests.db.test_stock_moves import empty_bins
from tests.support.app import app_for, sign_in
from tests.support.kits import new_product, put_stock
from tests.support.receiving import gs1_128

SKU = "TEA-LOT-TEST"


def _gtin14(body13: str) -> str:
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(body13)))
    return body13 + str((10 - total % 10) % 10)


def test_lots_are_asked_for_unknown_lots_refused_and_bin_done_covers_a_lot_arrived_since(
        seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    gtin = _gtin14("0061414199999")
    new_product(db, SKU, lot_tracked=True, barcode=gtin)
    (bin_code,) = empty_bins(db, 1)
    put_stock(db, SKU, bin_code, 10, lot="L1")
    number = app.counts.create(manager, bins=[bin_code]).number
    put_stock(db, SKU, bin_code, 4, lot="L2")  # arrived after the count was created

    with pytest.raises(CountsRefused, match=f"Scan the lot label \\(GS1\\) or type the lot: {bin_code} holds lots "
                       f"L1, L2 of {SKU}"):
        app.counts.count_bin(packer, number, bin_code, [gtin])
    with pytest.raises(CountsRefused, match=f"Lot NOLOT of {SKU} is not known: {bin_code} holds lots L1, L2"):
        app.counts.count_line(packer, number, bin_code, SKU, 150, "NOLOT")
    with pytest.raises(CountsRefused, match="Lot NOLOT"):
        app.counts.count_bin(packer, number, bin_code, [gs1_128(gtin, lot="NOLOT")])
    assert [line.counted for line in app.counts.show(number, manager).lines] == [None]  # nothing recorded

    done = app.counts.count_bin(packer, number, bin_code, [gs1_128(gtin, lot="L1")] * 10)
    assert sorted((line.lot, line.counted, line.added) for line in done.lines) == [("L1", 10, False),
                                                                                  ("L2", 0, False)]
    view = app.counts.show(number, manager)
    assert sorted((line.lot, line.counted, line.system) for line in view.lines) == [("L1", 10, 10), ("L2", 0, 4)]
