"""``fulfilstation import orders`` on both engines: the problems with their lines, then exactly
one last line; a re-import creates nothing; a missing file, a file of no order format and an
unknown mapping are one ``error:`` line each, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from fulfilstation.db.database import Database
from tests.db.test_order_intake import SHOPIFY
from tests.db.test_product_import_cli import fulfil

SIGN_IN = ("--user", "manager", "--pin", "2222")


def test_import_orders_prints_problems_then_one_summary_line(seeded_database: Database, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "orders_export_1.csv"
    file.write_bytes(SHOPIFY)
    code, lines, _err = fulfil(seeded_database, capsys, "import", "orders", str(file), "--dry-run", *SIGN_IN)
    assert code == 1
    assert lines[-2:] == ["dry run: nothing was changed", "imported 4, updated 0, rejected 1"]
    code, lines, _err = fulfil(seeded_database, capsys, "import", "orders", str(file), "--channel", "shop-eu",
                               *SIGN_IN)
    assert code == 1 and lines[-1] == "imported 4, updated 0, rejected 1"
    assert "line 9 (#1004): order #1004 (lines 9, 10) was not imported: line 10: the quantity 'two' of " \
           "SOAP-OAT-100 is not a whole number of at least 1" in lines
    code, lines, _err = fulfil(seeded_database, capsys, "import", "orders", str(file), "--channel", "shop-eu",
                               *SIGN_IN)
    assert lines[-1] == "imported 0, updated 0, rejected 1"


def test_unreadable_input_is_one_error_line(seeded_database: Database, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = fulfil(seeded_database, capsys, "import", "orders", str(tmp_path / "missing.csv"), *SIGN_IN)
    assert (code, lines) == (1, []) and err.startswith("error: ") and len(err.splitlines()) == 1
    other = tmp_path / "erp.csv"
    other.write_text("Ref,Item,Qty\nX-1,MUG-CER-350,1\n", encoding="utf-8")
    code, lines, err = fulfil(seeded_database, capsys, "import", "orders", str(other), *SIGN_IN)
    assert (code, lines) == (1, []) and "neither Shopify's order export" in err and len(err.splitlines()) == 1
    code, lines, err = fulfil(seeded_database, capsys, "import", "orders", str(other), "--mapping", "erp", *SIGN_IN)
    assert (code, lines) == (1, []) and "no column mapping named 'erp'" in err and len(err.splitlines()) == 1
    code, lines, err = fulfil(seeded_database, capsys, "import", "orders", str(other), "--user", "packer",
                              "--pin", "1111")
    assert (code, lines) == (1, []) and "manager" in err
