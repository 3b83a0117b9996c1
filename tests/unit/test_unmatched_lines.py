"""The one reader of an order's stored unknown lines (``orders.unmatched_lines``)."""

from __future__ import annotations

from fulfilstation.domain.unmatched_lines import UnmatchedLine, unmatched_items, unmatched_of, unmatched_skus

STORED = [{"line_no": 2, "sku": "MYSTERY-BOX", "name": "Mystery Box", "quantity": 1, "unit_price_minor": 1490},
          "a stray string", None, 7,
          {"sku": "OLD-1", "quantity": "3"},
          {"line_no": "x", "sku": None, "quantity": "many"}]


def test_the_well_formed_lines_are_read_and_anything_else_is_skipped() -> None:
    assert unmatched_skus(STORED) == ["MYSTERY-BOX", "OLD-1", ""]
    assert unmatched_of(STORED) == (UnmatchedLine(2, "MYSTERY-BOX", "Mystery Box", 1),
                                    UnmatchedLine(None, "OLD-1", None, 3), UnmatchedLine(None, "", None, 0))
    items = unmatched_items(STORED)
    assert items[0]["unit_price_minor"] == 1490 and len(items) == 3


def test_no_lines_stored_reads_as_none() -> None:
    values: tuple[object, ...] = (None, [], {"sku": "not-a-list"}, "null")
    for value in values:
        assert unmatched_items(value) == [] and unmatched_of(value) == () and unmatched_skus(value) == []


def test_the_items_are_copies_a_caller_may_change() -> None:
    stored = [{"sku": "A", "quantity": 1}]
    unmatched_items(stored)[0]["sku"] = "B"
    assert stored == [{"sku": "A", "quantity": 1}]
