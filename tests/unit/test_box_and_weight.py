from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fulfilstation.domain.box_fit import BoxOption, ItemSize, fits, suggest_box
from fulfilstation.domain.weight_check import ExpectedWeight, Tolerance, WeightVerdict

BOXES = [
    BoxOption("BOX-L", 400, 300, 200, 25000, 420),
    BoxOption("BOX-S", 200, 150, 100, 10000, 150),
    BoxOption("BOX-M", 300, 200, 150, 20000, 260),
    BoxOption("POLY", 250, 180, 30, 2000, 15),
]


def test_smallest_box_that_fits_is_suggested() -> None:
    mug = ItemSize(120, 90, 100, 380)
    assert suggest_box([mug], BOXES).code == "BOX-S"  # type: ignore[union-attr]
    socks = ItemSize(220, 100, 20, 80)
    assert suggest_box([socks], BOXES).code == "POLY"  # type: ignore[union-attr]


def test_long_item_needs_a_long_box_even_if_volume_is_small() -> None:
    board = ItemSize(400, 250, 20, 1150)
    assert suggest_box([board], BOXES).code == "BOX-L"  # type: ignore[union-attr]


def test_volume_with_fill_factor_and_weight_limit() -> None:
    mugs = ItemSize(120, 90, 100, 380, quantity=2)  # 2.16 l; BOX-S holds 3 l * 0.8 = 2.4 l
    assert fits([mugs], BOXES[1])
    assert not fits([ItemSize(120, 90, 100, 380, quantity=3)], BOXES[1])
    heavy = ItemSize(100, 100, 100, 6000, quantity=2)
    assert not fits([heavy], BOXES[1]) and fits([heavy], BOXES[2])


def test_nothing_fits_gives_none() -> None:
    assert suggest_box([ItemSize(700, 100, 100)], BOXES) is None


@given(st.lists(st.tuples(st.integers(1, 500), st.integers(1, 500), st.integers(1, 500)), min_size=1, max_size=4))
def test_suggested_box_always_fits_and_no_smaller_one_does(dims: list[tuple[int, int, int]]) -> None:
    items = [ItemSize(*d) for d in dims]
    chosen = suggest_box(items, BOXES)
    smaller = [b for b in BOXES if chosen is None or b.volume < chosen.volume]
    assert chosen is None or fits(items, chosen)
    assert not any(fits(items, b) for b in smaller)


def test_weight_range_uses_the_larger_allowance() -> None:
    small = ExpectedWeight.of(400, 150, Tolerance(grams=60, percent=5))  # 5% of 550 = 28 < 60
    assert (small.min_g, small.max_g) == (490, 610)
    large = ExpectedWeight.of(9000, 780, Tolerance(grams=60, percent=5))  # 5% of 9780 = 489
    assert (large.min_g, large.max_g) == (9291, 10269)


def test_verdicts_name_the_likely_cause() -> None:
    expected = ExpectedWeight.of(400, 150, Tolerance(60, 5))
    assert expected.verdict(550) is WeightVerdict.OK and expected.explain(550) == ""
    assert expected.verdict(930) is WeightVerdict.OVER and "extra item" in expected.explain(930)
    assert expected.verdict(170) is WeightVerdict.UNDER and "missing" in expected.explain(170)


def test_weight_messages_use_the_sites_unit_and_say_when_the_scale_is_empty() -> None:
    expected = ExpectedWeight.of(400, 150, Tolerance(60, 5))  # 550 g, 490 … 610 g
    assert expected.explain(380, "kg") == ("The parcel is 0.170 kg lighter than expected: an item may be "
                                           "missing.")
    assert "0.84 lb heavier than expected" in expected.explain(930, "lb")
    assert expected.range_text("kg") == "0.490 kg – 0.610 kg" and expected.difference(380, "g") == "170 g"
    for empty in (0, -12):
        assert expected.verdict(empty) is WeightVerdict.UNDER
        message = expected.explain(empty, "lb")
        assert "nothing is on it" in message and "missing" not in message
    light = ExpectedWeight.of(20, 0, Tolerance(50, 5))  # the allowance is larger than the parcel
    assert light.min_g == 1 and light.verdict(0) is WeightVerdict.UNDER and light.verdict(5) is WeightVerdict.OK
    assert light.range_text("lb") == "0.01 lb – 0.15 lb"  # not "0.00 lb": an empty scale is not in it


@given(st.integers(0, 20_000), st.integers(0, 1_000), st.integers(0, 5_000), st.floats(0, 50))
def test_no_expected_range_includes_an_empty_scale(contents: int, tare: int, grams: int, percent: float) -> None:
    expected = ExpectedWeight.of(contents, tare, Tolerance(grams, percent))
    assert 1 <= expected.min_g <= expected.max_g and expected.verdict(0) is WeightVerdict.UNDER
