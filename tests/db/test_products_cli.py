"""``fulfilstation products …`` as a manager runs it (SQLite and PostgreSQL): list and show
read without signing in; add, edit, deactivate, reactivate, barcode add/remove and kit sign
in, and a packer is refused; a refusal prints ``error: …`` with exit 1 and changes nothing;
``--json`` keys. Most run in this process (``fulfilstation.cli.run``); one as a real process."""

from __future__ import annotations

import json

import pytest

from fulfilstation.cli import run
from fulfilstation.db.database import Database
from tests.db.test_cli import cli, plain
from tests.db.test_products_kits import put_stock

MANAGER = ("--user", "manager", "--pin", "2222")
ROW_KEYS = {"sku", "name", "barcodes", "weight_g", "price_minor", "currency", "on_hand", "available", "active", "kit"}


class Products:
    def __init__(self, db: Database, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = plain(db.engine.url)
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = run(["products", *args, "--db", self.url])
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 0, err
        return out


@pytest.fixture
def products(seeded_database: Database, capsys: pytest.CaptureFixture[str]) -> Products:
    return Products(seeded_database, capsys)


def test_add_show_edit_and_barcodes_from_the_command_line(products: Products) -> None:
    out = products.ok("add", "TEA-GRN-100", "--name", "Green tea 100 g", "--weight-g", "120", "--length-mm", "80",
                      "--price", "12.50", "--currency", "EUR", "--lot-tracked", "--hs-code", "0902.10",
                      "--country", "jp", "--barcode", "012345678905", "--barcode", "10012345678902:12", *MANAGER)
    assert out == "Added TEA-GRN-100 Green tea 100 g with 2 barcodes.\n"
    shown = json.loads(products.ok("show", "TEA-GRN-100", "--json"))
    assert shown["unit_price_minor"] == 1250 and shown["currency"] == "EUR" and shown["lot_tracked"]
    assert shown["barcodes"] == [{"code": "00012345678905", "pack_quantity": 1},
                                 {"code": "10012345678902", "pack_quantity": 12}]
    assert shown["country_of_origin"] == "JP" and shown["stock"]["available"] == 0
    text = products.ok("show", "TEA-GRN-100")
    assert text.splitlines()[0] == "TEA-GRN-100  Green tea 100 g"
    assert "Price €12.50   Weight 120 g" in text and "Barcode 10012345678902 (pack of 12)" in text
    assert products.ok("edit", "TEA-GRN-100", "--price", "13", "--no-lot-tracked", "--hs-code", "",
                       *MANAGER) == "Saved TEA-GRN-100 Green tea 100 g.\n"
    edited = json.loads(products.ok("show", "TEA-GRN-100", "--json"))
    assert edited["unit_price_minor"] == 1300 and not edited["lot_tracked"] and edited["hs_code"] is None
    assert products.ok("barcode", "add", "TEA-GRN-100", "4006381333931", "--pack-quantity", "6", *MANAGER) == \
        "4006381333931 is now a barcode of TEA-GRN-100 Green tea 100 g (a scan counts 6).\n"
    listed = json.loads(products.ok("list", "--search", "4006381333931", "--json"))
    assert [row["sku"] for row in listed] == ["TEA-GRN-100"] and set(listed[0]) == ROW_KEYS
    assert products.ok("barcode", "remove", "TEA-GRN-100", "4006381333931", *MANAGER).startswith("4006381333931 is no")
    code, _out, err = products("barcode", "add", "TEA-GRN-100", "0614141000302", *MANAGER)
    assert (code, err) == (1, "error: 0614141000302 is already the barcode of SPC-SMK-PAP Smoked Paprika 80 g: a "
                              "barcode belongs to one product. Remove it there first if it was wrong.\n")


def test_refusals_and_roles_change_nothing(products: Products) -> None:
    before = products.ok("show", "MUG-CER-350", "--json")
    code, _out, err = products("add", "MUG-CER-350", "--name", "Another mug", *MANAGER)
    assert code == 1 and err.startswith("error: SKU MUG-CER-350 is already MUG-CER-350 Ceramic Mug 350 ml, Slate")
    code, _out, err = products("edit", "MUG-CER-350", "--weight-g", "1", "--user", "packer", "--pin", "1111")
    assert code == 1 and err.startswith("error: Pat Packer is a packer: only a manager or an owner can change the "
                                        "catalogue")
    code, _out, err = products("deactivate", "MUG-CER-350")
    assert code == 2 and "sign in with --user NAME" in err
    code, _out, err = products("edit", "MUG-CER-350", "--price", "12.505", *MANAGER)
    assert code == 2 and err == "error: --price '12.505' is not a price in USD (write it like 12.50). Nothing " \
                                "changed.\n"
    code, _out, err = products("add", "NEW-1", "--name", "X", "--barcode", "4006381333932", *MANAGER)
    assert code == 1 and "check digit should be 1, not 2" in err
    assert products.ok("show", "MUG-CER-350", "--json") == before
    code, _out, err = products("show", "NOPE-1")
    assert code == 1 and err.startswith("error: There is no product with SKU 'NOPE-1'")


def test_kits_deactivation_and_listing(products: Products, seeded_database: Database) -> None:
    for sku in ("CUP-1", "LID-1", "GIFT-1"):
        products.ok("add", sku, "--name", f"{sku} thing", *MANAGER)
    put_stock(seeded_database, "CUP-1", "A-01-1", 9)
    put_stock(seeded_database, "LID-1", "A-02-1", 3)
    out = products.ok("kit", "GIFT-1", "--component", "CUP-1:2", "--component", "LID-1", *MANAGER)
    assert out == "GIFT-1 GIFT-1 thing is a kit of 2 × CUP-1, 1 × LID-1; 3 available.\n"
    code, _out, err = products("kit", "CUP-1", "--component", "GIFT-1:1", *MANAGER)
    assert code == 1 and "a kit cannot be part of another kit" in err
    assert products.ok("list", "--kits").split()[0:2] == ["GIFT-1", "3"]
    assert products.ok("kit", "GIFT-1", "--clear", *MANAGER) == "GIFT-1 GIFT-1 thing is a plain product (no " \
                                                                "components).\n"
    assert products.ok("deactivate", "CUP-1", *MANAGER) == "CUP-1 CUP-1 thing is inactive.\n"
    assert "CUP-1" not in products.ok("list", "--search", "CUP")
    assert products.ok("list", "--inactive").split()[0] == "CUP-1"
    assert products.ok("reactivate", "CUP-1", *MANAGER) == "CUP-1 CUP-1 thing is active again.\n"
    page = products.ok("list", "--limit", "2")
    assert page.splitlines()[-1].startswith("(first 2 of ")


def test_list_as_a_real_process(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    result = cli("products", "list", "--search", "]E00614141000302", "--json", "--db", url)
    assert result.returncode == 0, result.stderr
    assert [row["sku"] for row in json.loads(result.stdout)] == ["SPC-SMK-PAP"]


def test_supplier_lead_time_and_cost_are_set_shown_and_checked(products: Products) -> None:
    out = products.ok("add", "TEA-BLK-100", "--name", "Black tea", "--price", "9.00", "--currency", "EUR",
                      "--supplier", "  Tea  Traders Ltd ", "--lead-time-days", "21", "--cost", "4.20", *MANAGER)
    assert out == "Added TEA-BLK-100 Black tea.\n"
    shown = json.loads(products.ok("show", "TEA-BLK-100", "--json"))
    assert (shown["supplier"], shown["lead_time_days"], shown["cost_minor"]) == ("Tea Traders Ltd", 21, 420)
    assert "Supplier Tea Traders Ltd, lead time 21 days, cost €4.20" in products.ok("show", "TEA-BLK-100")
    products.ok("edit", "TEA-BLK-100", "--lead-time-days", "0", "--cost", "5", "--supplier", "Leaf & Co", *MANAGER)
    edited = json.loads(products.ok("show", "TEA-BLK-100", "--json"))
    assert (edited["supplier"], edited["lead_time_days"], edited["cost_minor"]) == ("Leaf & Co", 0, 500)
    code, _out, err = products("edit", "TEA-BLK-100", "--lead-time-days", "366", *MANAGER)
    assert code == 1 and "lead time in days of 366 is more than the 365 allowed" in err
    code, _out, err = products("edit", "TEA-BLK-100", "--cost", "-1", *MANAGER)
    assert code == 2 and "--cost '-1' is not an amount in EUR" in err
    products.ok("edit", "TEA-BLK-100", "--supplier", "", *MANAGER)
    cleared = json.loads(products.ok("show", "TEA-BLK-100", "--json"))
    assert cleared["supplier"] is None and cleared["lead_time_days"] == 0
    plain_add = json.loads(products.ok("add", "TEA-WHT-100", "--name", "White tea", *MANAGER) and
                           products.ok("show", "TEA-WHT-100", "--json"))
    assert plain_add["supplier"] is None and plain_add["lead_time_days"] == 14 and plain_add["cost_minor"] == 0
