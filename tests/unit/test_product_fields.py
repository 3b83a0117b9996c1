"""The product field rules shared by the editor, the CLI and the importers."""

from __future__ import annotations

import pytest

from fulfilstation.domain.product_fields import FieldInvalid, check_country, check_hs_code, check_name, check_sku


def test_good_values_come_back_as_stored() -> None:
    assert check_sku("  MUG-01 blue ") == "MUG-01 blue"
    assert check_name(" Mug \n  blue ") == "Mug blue"
    assert check_hs_code("0901.21") == "0901.21" and check_hs_code(" ") is None
    assert check_country("de") == "DE" and check_country(None) is None


@pytest.mark.parametrize(("check", "value", "reason"), [
    (check_sku, "", "blank"), (check_sku, "MÜG", "ASCII"), (check_sku, "X" * 65, "at most 64"),
    (check_name, "   ", "blank"), (check_hs_code, "12AB", "6 to 10 digits"), (check_country, "DEU", "two-letter"),
])
def test_bad_values_say_why(check: object, value: str, reason: str) -> None:
    with pytest.raises(FieldInvalid, match=reason):
        check(value)  # type: ignore[operator]
