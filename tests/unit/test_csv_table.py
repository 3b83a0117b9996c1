"""``read_csv`` reads files as shops and spreadsheets export them, with true line numbers."""

from __future__ import annotations

import codecs

import pytest

from fulfilstation.imports import CsvUnreadable, ImportReport, RowProblem, read_csv_bytes
from fulfilstation.services.product_files import shopify


def test_bom_semicolons_and_quoted_newlines_keep_line_numbers() -> None:
    text = 'Handle;Title;Body (HTML)\nmug;"Mug; blue";"<p>line one\nline two</p>"\n\ncup;Cup;""\n'
    table = read_csv_bytes(codecs.BOM_UTF8 + text.encode())
    assert table.delimiter == ";"
    assert table.headers == ("Handle", "Title", "Body (HTML)")
    assert [(row.line, row.get("handle")) for row in table.rows] == [(2, "mug"), (5, "cup")]
    assert table.rows[0].get("TITLE") == "Mug; blue"
    assert table.rows[0].get("Body (HTML)") == "<p>line one\nline two</p>"


def test_windows_1252_is_read_and_said() -> None:
    table = read_csv_bytes("sku,name\nA1,Café crème\n".encode("cp1252"))
    assert table.rows[0].get("name") == "Café crème"
    assert table.encoding == "windows-1252" and table.notes


def test_utf16_tab_separated_from_excel() -> None:
    table = read_csv_bytes("sku\tname\r\nA1\tZürich\r\n".encode("utf-16"))
    assert table.delimiter == "\t" and table.rows[0].get("name") == "Zürich"


def test_an_unclosed_quote_names_its_line() -> None:
    with pytest.raises(CsvUnreadable, match="line 3: a quoted field"):
        read_csv_bytes(b'sku,name\nA1,ok\nA2,"never closed\nA3,x\n')


def test_ragged_rows_are_flagged_not_dropped() -> None:
    table = read_csv_bytes(b"sku,name\nA1,ok,extra\nA2\n")
    assert table.rows[0].width_problem == "has 3 fields but the header names 2"
    assert table.rows[1].get("name") == "" and table.rows[1].width_problem is None


@pytest.mark.parametrize("data", [b"", b"\x89PNG\r\n\x1a\n\x00\x00"])
def test_empty_or_binary_files_are_refused_plainly(data: bytes) -> None:
    with pytest.raises(CsvUnreadable):
        read_csv_bytes(data)


def test_report_summary_is_the_one_closing_line() -> None:
    report = ImportReport(imported=3, updated=1, rejected=1, problems=(
        RowProblem(7, "weight is not a number", "MUG-1"), RowProblem(9, "barcode blank", rejects=False)))
    assert report.summary() == "imported 3, updated 1, rejected 1"
    assert [p.describe() for p in report.problems] == ["line 7 (MUG-1): weight is not a number",
                                                      "line 9: warning: barcode blank"]


@pytest.mark.parametrize("header", [b"sku,name,sku", b"sku,name,SKU", b"SKU,name, sku "])
def test_a_column_named_twice_reads_the_first_and_says_so(header: bytes) -> None:
    """``sku,name,sku`` used to read the *last* sku silently: the product went in under B1."""
    table = read_csv_bytes(header + b"\nA1,x,B1\n")
    assert table.rows[0].get("sku") == "A1" and table.rows[0].get("SKU") == "A1"
    assert any("is named 2 times (columns 1, 3)" in note and "first" in note for note in table.notes)


def test_a_shopify_column_named_twice_reads_the_first() -> None:
    table = read_csv_bytes(b"Handle,Title,Variant SKU,Variant SKU\nh,T,FIRST-1,SECOND-1\n")
    parsed = shopify.parse(table)
    assert [row.sku for row in parsed.rows] == ["FIRST-1"]
