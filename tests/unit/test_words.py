"""The plurals helper: every count shown agrees with its noun."""

from __future__ import annotations

import pytest

from fulfilstation.domain.words import noun, plural


@pytest.mark.parametrize("count, word, expected", [
    (1, "shipment", "1 shipment"), (0, "shipment", "0 shipments"), (2, "shipment", "2 shipments"),
    (3, "box", "3 boxes"), (2, "batch", "2 batches"), (2, "delivery", "2 deliveries"), (2, "day", "2 days"),
    (1, "order line", "1 order line"), (4, "order line", "4 order lines"), (2, "RMA", "2 RMAs"),
    (-1, "unit", "-1 unit"),
])
def test_plural_agrees_with_the_count(count: int, word: str, expected: str) -> None:
    assert plural(count, word) == expected


def test_an_irregular_plural_may_be_given() -> None:
    assert plural(2, "person") == "2 people"
    assert plural(5, "case", "cases of 6") == "5 cases of 6"
    assert noun(1, "item") == "item" and noun(7, "item") == "items"
