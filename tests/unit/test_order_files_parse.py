"""Order files parsed without a database: Shopify's export with its quirks (the file in
tests/data/imports/), the cells as shops and spreadsheets write them, the generic file with
order fields repeated or only on the first row, and a file read through a mapping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fulfilstation.imports import read_csv_bytes
from fulfilstation.services.order_files import generic, shopify, values

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def test_cells_as_shops_write_them() -> None:
    assert [values.quantity(text) for text in ("2", " 3 ", "2.0", "two", "1.5", "", "-1")] == \
        [2, 3, 2, None, None, None, None]
    assert [values.money_minor(text) for text in ("12.50", "$1,234.50", "12,50", "7", "", "abc", "0.5")] == \
        [1250, 123450, 1250, 700, None, None, 50]
    assert values.moment("2026-11-30 14:02:11 -0500") == dt.datetime(2026, 11, 30, 19, 2, 11, tzinfo=dt.UTC)
    assert values.moment("2026-11-30T14:02:11Z") == dt.datetime(2026, 11, 30, 14, 2, 11, tzinfo=dt.UTC)
    assert values.moment("2026-11-30") == dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    assert values.moment("last Tuesday") is None
    assert [values.postal_code(text) for text in ("'02134", "'62704-1234", " 10117 ")] == \
        ["02134", "62704-1234", "10117"]


def test_shopify_export_with_its_quirks() -> None:
    table = read_csv_bytes((DATA / "shopify_orders.csv").read_bytes())
    assert shopify.is_shopify(table) and not generic.is_generic(table)
    parsed = shopify.parse(table, "shopify-csv")
    by_name = {order.number: order for order in parsed.orders}
    assert sorted(str(name) for name in by_name) == ["#1001", "#1002", "#1003", "#1005", "#1006"]
    first = by_name["#1001"]
    assert first.external_id == "5123456789001" and first.source_lines == (2, 4)
    assert [(line.sku, line.quantity, line.unit_price_minor, line.source_line) for line in first.lines] == \
        [("MUG-ENA-300", 2, 1290, 2), ("BTL-SS-750", 1, 1190, 4)]
    assert first.ship_to_postal_code == "02134" and first.ship_to_region == "MA"
    assert first.note is not None and "\n" in first.note and first.total_minor == 3770
    assert by_name["#1005"].shop_status == "cancelled"
    assert by_name["#1003"].ship_to_postal_code == "62704-1234"
    assert by_name["#1006"].ship_to_name == "山田 太郎" and by_name["#1006"].financial_status == "pending"
    assert [line.sku for line in by_name["#1002"].lines] == ["TEA-EARL-100"]  # the gift card needs no shipping
    assert [(problem.line, problem.rejects) for problem in parsed.problems] == [(6, False), (9, True)]


def test_generic_order_fields_repeated_or_on_the_first_row_only() -> None:
    text = (b"order_id;sku;quantity;ship_to_name;ship_to_country;status;unit_price\n"
            b"A;X-1;1;Ana;US;;1.00\n"
            b"B;Y-1;2;Bo;DE;on hold;2.00\n"
            b"A;X-2;3;;;;\n"
            b"B;Y-2;2;Bo;DE;on hold;2.00\n"
            b"C;Z-1;lots;Cy;US;;\n")
    parsed = generic.parse(read_csv_bytes(text), "csv")
    orders = {order.external_id: order for order in parsed.orders}
    assert [(line.sku, line.quantity) for line in orders["A"].lines] == [("X-1", 1), ("X-2", 3)]
    assert orders["A"].ship_to_name == "Ana" and orders["A"].total_minor == 100
    assert orders["B"].shop_status == "on-hold" and orders["B"].total_minor == 800
    assert [problem.describe() for problem in parsed.problems] == [
        "line 6 (C): order C was not imported: line 6: the quantity 'lots' of Z-1 is not a whole number of at "
        "least 1"]


def test_a_file_through_a_mapping() -> None:
    table = read_csv_bytes(b"Ref,Item,Qty,Name\nR1,S-1,2,Di\n")
    mapped = generic.through(table, {"order_id": "ref", "sku": "Item", "quantity": "QTY", "ship_to_name": "Name"})
    assert generic.is_generic(mapped)
    (order,) = generic.parse(mapped, "erp").orders
    assert (order.external_id, order.ship_to_name, order.lines[0].sku, order.lines[0].quantity) == \
        ("R1", "Di", "S-1", 2)
