"""The batch reservation's plan (pure): the same all-or-nothing, in-order answer as reserving
the orders one after another."""

from __future__ import annotations

from fulfilstation.services.orders.batch_reserve import Level, Need, plan


def levels(product_id: int, *free: int) -> list[Level]:
    return [Level(product_id * 100 + index, product_id, units, f"B-{product_id}-{index}", None)
            for index, units in enumerate(free)]


def test_orders_are_served_in_the_order_given_all_or_nothing() -> None:
    needs = {1: [Need(1, 11, 7, "SKU-7", 3)],
             2: [Need(2, 21, 7, "SKU-7", 2), Need(2, 22, 8, "SKU-8", 1)],
             3: [Need(3, 31, 7, "SKU-7", 1)]}
    stock = {7: levels(7, 2, 2), 8: levels(8, 5)}
    planned = plan([1, 2, 3], needs, stock)
    assert {order: [(need.line_id, level.id, units) for need, level, units in takes]
            for order, takes in planned.takes.items()} == {1: [(11, 700, 2), (11, 701, 1)], 3: [(31, 701, 1)]}
    (shortage,) = planned.shortages[2]
    assert (shortage.sku, shortage.needed, shortage.available) == ("SKU-7", 2, 1)
    assert [level.free for level in stock[8]] == [5]  # the short order took nothing of SKU-8 either
    assert stock[7] == []


def test_two_lines_of_one_product_are_summed_and_an_order_with_nothing_to_reserve_fits() -> None:
    needs = {1: [Need(1, 11, 7, "SKU-7", 2), Need(1, 12, 7, "SKU-7", 2)], 2: []}
    planned = plan([1, 2], needs, {7: levels(7, 3)})
    assert planned.takes == {2: []}
    (shortage,) = planned.shortages[1]
    assert (shortage.needed, shortage.available, shortage.short) == (4, 3, 1)
