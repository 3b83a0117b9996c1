"""Bad input (issue #15 point 5): every CSV file reader, fed files as people bring them and
worse (``tests/support/fuzz_csv``), either reads the file — every row accounted for, as
parsed or as a problem naming its line — or refuses it with the module's documented refusal
and a message a person can act on. Never another exception, never a hang (each example has
a deadline).

The database half of each import (planning against the catalogue, writing, the dry run) is
fuzzed on both engines in ``tests/db/test_fuzz_imports_db.py``; here are the pure readers:
``read_csv_bytes``, the product file's and the order file's formats, the bins file's rows,
and the carriers' rate, zone and transit tables.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fulfilstation.imports import CsvUnreadable, read_csv_bytes
from fulfilstation.imports.report import RowProblem
from fulfilstation.services.bins import importing as bins_importing
from fulfilstation.services.carriers import tables
from fulfilstation.services.order_files import generic as generic_orders
from fulfilstation.services.order_files import shopify as shopify_orders
from fulfilstation.services.order_files.importer import read as read_orders
from fulfilstation.services.order_files.refusals import OrderFileRefused
from fulfilstation.services.product_files import generic as generic_products
from fulfilstation.services.product_files.importer import read as read_products
from fulfilstation.services.product_files.refusals import ProductFileRefused
from tests.support.fuzz_csv import csv_files

FUZZ = settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.data_too_large])

SHOPIFY_PRODUCT_COLUMNS = ("Handle", "Title", "Variant SKU", "Variant Grams", "Variant Weight Unit", "Variant Price",
                           "Variant Barcode", "Status", "Option1 Value", "Variant HS Code",
                           "Variant Country of Origin")
SHOPIFY_ORDER_COLUMNS = (*shopify_orders.REQUIRED, "Email", "Financial Status", "Created at", "Lineitem price",
                         "Shipping Name", "Shipping Address1", "Shipping City", "Shipping Zip", "Shipping Country",
                         "Shipping Province", "Shipping Phone", "Currency", "Total", "Cancelled at", "Id")
product_files = st.sampled_from([generic_products.COLUMNS, SHOPIFY_PRODUCT_COLUMNS]).flatmap(csv_files)
order_files = st.sampled_from([generic_orders.COLUMNS, SHOPIFY_ORDER_COLUMNS]).flatmap(csv_files)
RATE_COLUMNS = ("weight_lb", "Lbs", "Weight (kg)", "weight_g", "oz", "Zone 2", "2", "zone_3", "Zone 004")
ZONE_COLUMNS = ("Dest. ZIP", "dest_from", "dest_to", "zone", "origin", "Ground")
TRANSIT_COLUMNS = ("zone", "days")


def assert_clear(message: str) -> None:
    """A refusal a person can act on: words, not a repr or a traceback."""
    assert message.strip(), "an empty refusal"
    assert "Traceback" not in message and "object at 0x" not in message


def assert_lines_known(problems: tuple[RowProblem, ...] | list[RowProblem], last_line: int) -> None:
    for problem in problems:
        assert 0 <= problem.line <= last_line, problem
        assert_clear(problem.reason)


@FUZZ
@given(csv_files(("code", "name", "sku", "quantity")))
def test_read_csv_bytes_reads_or_refuses_plainly(data: bytes) -> None:
    try:
        table = read_csv_bytes(data)
    except CsvUnreadable as unreadable:
        assert_clear(str(unreadable))
        return
    assert any(table.headers)
    lines = [row.line for row in table.rows]
    assert lines == sorted(lines) and all(line >= 2 for line in lines)
    assert len(set(lines)) == len(lines)


@FUZZ
@given(product_files, st.sampled_from([None, "generic", "shopify", "bogus"]))
def test_product_files_parse_or_refuse(data: bytes, file_format: str | None) -> None:
    try:
        parsed, notes = read_products(data, file_format)
    except ProductFileRefused as refused:
        assert_clear(refused.message)
        return
    last = max([row.line for row in read_csv_bytes(data).rows], default=1)
    assert_lines_known(parsed.problems, last)
    assert all(note.strip() for note in notes)
    rejected_lines = {problem.line for problem in parsed.problems if problem.rejects}
    assert not rejected_lines & {row.line for row in parsed.rows}, "a row both parsed and rejected"


@FUZZ
@given(order_files, st.sampled_from([None, "generic", "shopify", "bogus"]),
       st.sampled_from([None, "", "web", "x" * 40]))
def test_order_files_parse_or_refuse(data: bytes, file_format: str | None, channel: str | None) -> None:
    try:
        parsed, notes = read_orders(None, data, channel=channel, mapping=None,  # type: ignore[arg-type]
                                    file_format=file_format)  # no mapping: the database is not read
    except OrderFileRefused as refused:
        assert_clear(refused.message)
        return
    last = max([row.line for row in read_csv_bytes(data).rows], default=1)
    assert_lines_known(parsed.problems, last)
    assert all(note.strip() for note in notes)
    for order in parsed.orders:
        assert order.external_id.strip() and order.lines
        assert all(line.quantity > 0 and line.sku.strip() for line in order.lines)


@FUZZ
@given(csv_files(bins_importing.COLUMNS))
def test_bins_rows_parse_or_are_problems(data: bytes) -> None:
    try:
        table = read_csv_bytes(data)
    except CsvUnreadable:
        return
    problems: list[RowProblem] = []
    parsed = bins_importing._parse(table.rows, problems)
    assert_lines_known(problems, max([row.line for row in table.rows], default=1))
    assert {row.line for row in parsed} | {p.line for p in problems} == {row.line for row in table.rows}
    assert all(row.code.strip() for row in parsed)


@FUZZ
@given(csv_files(RATE_COLUMNS))
def test_rate_tables_parse_or_are_refused(data: bytes) -> None:
    try:
        found = tables.parse_rates(tables.read_rows(data), "USD")
    except tables.TableRefused as refused:
        assert_clear(str(refused))
        assert refused.problems
        return
    assert all(grams > 0 and price >= 0 for _line, _zone, grams, price in found)


@FUZZ
@given(csv_files(ZONE_COLUMNS), st.sampled_from([None, "004", "x"]), st.sampled_from([None, "Ground", "zone"]))
def test_zone_charts_parse_or_are_refused(data: bytes, origin: str | None, column: str | None) -> None:
    try:
        tables.parse_zones(tables.read_rows(data), origin, column)
    except tables.TableRefused as refused:
        assert_clear(str(refused))
        assert refused.problems


@FUZZ
@given(csv_files(TRANSIT_COLUMNS))
def test_transit_tables_parse_or_are_refused(data: bytes) -> None:
    try:
        found = tables.parse_transit(tables.read_rows(data))
    except tables.TableRefused as refused:
        assert_clear(str(refused))
        assert refused.problems
        return
    assert all(days >= 0 for _line, _zone, days in found)


HUGE_FIELD = b'zone,days\n"' + b"x" * 140_000 + b'"\n'


def test_a_field_over_the_csv_module_limit_is_refused_in_words() -> None:
    """Found by the fuzzing above: the carriers' tables let ``_csv.Error`` escape."""
    try:
        read_csv_bytes(HUGE_FIELD)
    except CsvUnreadable as unreadable:
        assert str(unreadable).startswith("line 2: a field here is longer than 131,072 characters")
    else:
        raise AssertionError("read")
    try:
        tables.read_rows(HUGE_FIELD)
    except tables.TableRefused as refused:
        assert refused.problems == [(2, "a field here is longer than 131,072 characters (a quote opened and "
                                        "never closed, or not a CSV file)")]
    else:
        raise AssertionError("read")
