"""Reading Shopify's product export (pure): variants, names from options, image rows,
grams, barcodes blank / invalid / damaged by Excel, missing SKUs, both header
generations, and the generic file's barcodes and components; the cell readers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fulfilstation.imports import read_csv_bytes
from fulfilstation.services.product_files.formats import FormatUnknown, detect, parse
from fulfilstation.services.product_files.generic import read_barcodes, read_components
from fulfilstation.services.product_files.importer import read
from fulfilstation.services.product_files.rows import ParsedFile, ProductFileFormat, ProductRow
from fulfilstation.services.product_files.values import CellInvalid, read_barcode, read_decimal, read_flag, read_whole

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def shopify(name: str = "shopify_products.csv") -> tuple[ParsedFile, dict[str, ProductRow]]:
    parsed = parse(read_csv_bytes((DATA / name).read_bytes()))
    first: dict[str, ProductRow] = {}
    for row in parsed.rows:
        first.setdefault(row.sku, row)
    return parsed, first


def test_one_row_per_variant_and_image_rows_are_not_products() -> None:
    parsed, rows = shopify()
    assert parsed.format is ProductFileFormat.SHOPIFY
    assert parsed.lines == 12  # 12 records on 16 physical lines (a description holds 4 newlines)
    assert [row.sku for row in parsed.rows] == [
        "TEE-BLU-S", "TEE-BLU-M", "TEE-RED-S", "CAMP-MUG-350", "APRON-LIN", "SCARF-WL", "GIFT-OAT",
        "TEE-BLU-S", "SLATE-MUG"]  # the duplicate is the planner's to reject (it knows line 2)
    assert [row.line for row in parsed.rows][:4] == [2, 7, 8, 11]


def test_names_come_from_the_title_and_the_options() -> None:
    _parsed, rows = shopify()
    assert rows["TEE-BLU-M"].fields["name"] == "Classic Tee — Blue / M"
    assert rows["CAMP-MUG-350"].fields["name"] == "Enamel Camp Mug"  # Default Title: the title alone
    assert rows["GIFT-OAT"].fields["name"] == "Gift Set — Oatmeal"


def test_product_fields_come_from_the_first_row_and_grams_are_grams() -> None:
    _parsed, rows = shopify()
    later = rows["TEE-BLU-M"]
    assert later.fields["description"].startswith("<p>Soft, heavy cotton.</p>\n<ul>")
    assert later.fields["active"] is True and later.fields["weight_g"] == 190
    assert rows["CAMP-MUG-350"].fields["weight_g"] == 340  # shown in lb by the shop: grams stay grams
    assert rows["CAMP-MUG-350"].price == Decimal("12.50")  # written 12,50
    assert rows["SCARF-WL"].fields["active"] is False  # archived
    assert rows["TEE-RED-S"].fields["image_path"].endswith("tee-red.jpg")
    assert rows["CAMP-MUG-350"].fields["image_path"].endswith("mug.jpg")


def test_barcodes_blank_invalid_and_damaged_by_excel() -> None:
    parsed, rows = shopify()
    assert rows["TEE-BLU-S"].barcodes == (("04006381333948", 1),)
    assert rows["TEE-RED-S"].barcodes is None  # blank: fine, no warning
    for sku in ("CAMP-MUG-350", "APRON-LIN", "SCARF-WL"):
        assert rows[sku].barcodes is None
    warnings = {problem.line: problem.reason for problem in parsed.problems if not problem.rejects}
    assert warnings[11] == ("imported without its barcode: 5012345678925 is not a valid GTIN: its check digit "
                            "should be 4, not 5")
    assert "looks like the UPC-A 061414100007 with its leading zero dropped by Excel" in warnings[12]
    assert "6.14141E+11 is in Excel's scientific notation" in warnings[13]


def test_a_variant_without_a_sku_is_rejected_with_the_reason() -> None:
    parsed, _rows = shopify()
    [rejected] = [problem for problem in parsed.problems if problem.rejects]
    assert rejected.line == 14 and "has no SKU" in rejected.reason and "gift-set" in rejected.reason


def test_the_2025_headers_with_semicolons_and_decimal_commas() -> None:
    parsed, rows = shopify("shopify_products_2025_semicolon.csv")
    assert parsed.format is ProductFileFormat.SHOPIFY and list(rows) == ["SOCK-GRY-M", "SOCK-GRY-L"]
    assert parsed.lines == 3
    assert rows["SOCK-GRY-M"].fields["name"] == "Wool Socks — M"
    assert rows["SOCK-GRY-M"].fields["weight_g"] == 86  # 85,5 g rounds half up
    assert rows["SOCK-GRY-M"].price == Decimal("12.90")
    assert rows["SOCK-GRY-M"].barcodes == (("04006381333931", 1),)
    assert rows["SOCK-GRY-L"].fields["description"] == "<p>Warm;\nsoft.</p>"
    assert rows["SOCK-GRY-L"].fields["image_path"] == "https://cdn.shopify.com/socks.jpg"


def test_a_product_without_a_title_rejects_its_variants() -> None:
    data = b"Handle,Title,Option1 Value,Variant SKU\nmystery,,Default Title,MYS-1\n"
    parsed = parse(read_csv_bytes(data))
    assert parsed.rows == () and "has no Title on its first row (line 2)" in parsed.problems[0].reason


def test_the_format_is_told_from_the_header() -> None:
    assert detect(read_csv_bytes(b"Handle,Title\n")) is ProductFileFormat.SHOPIFY
    assert detect(read_csv_bytes(b"SKU;Name;Barcodes\n")) is ProductFileFormat.GENERIC
    with pytest.raises(FormatUnknown, match="neither Shopify's product export"):
        detect(read_csv_bytes(b"item,qty\n"))
    with pytest.raises(FormatUnknown, match="not a Shopify product export"):
        parse(read_csv_bytes(b"sku,name\n"), "shopify")


@pytest.mark.parametrize(("text", "value"), [("12.50", "12.50"), ("12,50", "12.50"), ("1,234.50", "1234.50"),
                                             ("1.234,50", "1234.50"), ("1 234,5", "1234.5"), ("1,234", "1234"),
                                             ("$8.42", "8.42"), ("0", "0"), (".5", "0.5")])
def test_numbers_as_spreadsheets_write_them(text: str, value: str) -> None:
    assert read_decimal(text, "the price") == Decimal(value)


@pytest.mark.parametrize("text", ["-1", "12.5.0", "abc", "1e3", ""])
def test_what_is_not_a_number_says_so(text: str) -> None:
    with pytest.raises(CellInvalid, match="is not a number"):
        read_decimal(text, "the price")


def test_whole_numbers_flags_and_barcodes() -> None:
    assert read_whole("12.0", "the weight") == 12
    with pytest.raises(CellInvalid, match="whole number"):
        read_whole("12.5", "the weight")
    assert read_flag("Yes", "hazmat") is True and read_flag("0", "hazmat") is False
    with pytest.raises(CellInvalid, match="not yes or no"):
        read_flag("maybe", "hazmat")
    assert read_barcode("614141000012") == "00614141000012"
    with pytest.raises(CellInvalid, match="11 digits, which is no GTIN"):
        read_barcode("61414100001")
    assert read_barcodes("0614141000012; 10614141000019x12") == (("00614141000012", 1), ("10614141000019", 12))
    with pytest.raises(CellInvalid, match="listed twice"):
        read_barcodes("614141000012;0614141000012")
    assert read_components("MUG-1:2; SOAP:1") == (("MUG-1", 2), ("SOAP", 1))
    with pytest.raises(CellInvalid, match="must be SKU:quantity"):
        read_components("MUG-1")
    with pytest.raises(CellInvalid, match="quantity of 1 or more"):
        read_components("MUG-1:0")


def test_a_ragged_line_is_rejected_not_guessed() -> None:
    data = b"Handle,Title,Option1 Value,Variant SKU,Variant Price\nmug,Mug,Default Title,MUG-1,12,50,extra\n"
    parsed = parse(read_csv_bytes(data))
    assert parsed.rows == ()
    assert parsed.problems[0].line == 2 and "has 7 fields but the header names 5" in parsed.problems[0].reason


def test_the_note_counts_one_line_in_the_singular() -> None:
    assert "read as a generic product file: 1 line" in read(b"sku,name\nA1,x\n", None)[1]
    assert "read as a Shopify product export: 2 lines, 1 of them image rows (not products)" in read(
        b"Handle,Title,Variant SKU,Image Src\nh,T,S-1,a.jpg\nh,,,b.jpg\n", None)[1]
