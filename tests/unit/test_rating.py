"""Rating and routing rules as pure functions, with prices worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fulfilstation.carriers.rating import (
    Parcel,
    Price,
    RateBreak,
    Tariff,
    ZoneBand,
    add_business_days,
    arrival,
    base_rate,
    billable_weight_g,
    dimensional_weight_g,
    fuel_minor,
    price_parcels,
    short_date,
    zone_for,
)
from fulfilstation.carriers.routing import (
    NoServiceAvailable,
    Offer,
    RoutingRuleError,
    Rule,
    ShipmentFacts,
    apply_rules,
    choose_service,
    matches,
)

MON, WED, THU, FRI, SAT = (dt.date(2026, 11, d) for d in (23, 25, 26, 27, 28))
NEXT_MON = dt.date(2026, 11, 30)

TARIFF = Tariff(dim_divisor=5000, fuel_surcharge_bp=1450, residential_surcharge_minor=540, currency="USD",
                rates={5: [RateBreak(1361, 1400), RateBreak(454, 1000), RateBreak(907, 1200)]},
                transit_days={5: 2})


# --------------------------------------------------------------------------- weights


def test_dimensional_weight_in_grams_from_millimetres_and_a_cm3_per_kg_divisor() -> None:
    # 30 × 20 × 15 cm = 9000 cm³; / 5000 cm³/kg = 1.8 kg = 1800 g; in mm: 9,000,000 mm³ / 5000
    assert dimensional_weight_g(Parcel(0, 300, 200, 150), 5000) == 1800
    assert dimensional_weight_g(Parcel(0, 300, 200, 150), 6000) == 1500
    # 201 × 151 × 101 = 3,065,451 mm³ / 5000 = 613.09 g: carriers round up
    assert dimensional_weight_g(Parcel(0, 201, 151, 101), 5000) == 614
    assert dimensional_weight_g(Parcel(0, 300, None, 150), 5000) == 0  # no dimensions, no dim weight


def test_billable_weight_is_the_greater_of_actual_and_dimensional() -> None:
    assert billable_weight_g(Parcel(1200, 300, 200, 150), 5000) == 1800
    assert billable_weight_g(Parcel(2500, 300, 200, 150), 5000) == 2500
    assert billable_weight_g(Parcel(700), 5000) == 700


@given(st.integers(1, 2000), st.integers(1, 2000), st.integers(1, 2000), st.integers(1, 20000))
def test_dimensional_weight_is_the_exact_ceiling(length: int, width: int, height: int, divisor: int) -> None:
    grams = dimensional_weight_g(Parcel(0, length, width, height), divisor)
    assert grams * divisor >= length * width * height > (grams - 1) * divisor


# --------------------------------------------------------------------------- prices


def test_first_break_at_or_above_the_billable_weight() -> None:
    breaks = TARIFF.rates[5]
    assert [base_rate(breaks, g) for g in (1, 454, 455, 907, 908, 1361, 1362)] == [
        1000, 1000, 1200, 1200, 1400, 1400, None]


def test_fuel_is_basis_points_of_the_base_rounded_half_up() -> None:
    assert fuel_minor(1200, 1450) == 174  # 1200 × 14.5 % = 174.0
    assert fuel_minor(1003, 1450) == 145  # 145.435
    assert fuel_minor(1010, 1450) == 146  # 146.45
    assert fuel_minor(1000, 25) == 3  # 2.5 rounds up
    assert fuel_minor(999, 0) == 0


def test_price_adds_residential_and_fuel_to_the_base() -> None:
    # 600 g, no dimensions -> 907 g break: base 1200, fuel 174, residential 540
    assert price_parcels(TARIFF, 5, [Parcel(600)], residential=True) == Price(1200, 540, 174, 1914, "USD", 600)
    assert price_parcels(TARIFF, 5, [Parcel(600)], residential=False) == Price(1200, 0, 174, 1374, "USD", 600)


def test_dimensional_weight_moves_the_parcel_up_a_break() -> None:
    # 400 g in a 200 × 150 × 100 mm box: dim 3,000,000 / 5000 = 600 g -> 907 g break
    assert price_parcels(TARIFF, 5, [Parcel(400, 200, 150, 100)], False) == Price(1200, 0, 174, 1374, "USD", 600)


def test_several_parcels_cost_the_sum_and_each_pays_the_residential_surcharge() -> None:
    # 300 g -> 1000 (+145 fuel: 145.0), 1000 g -> 1400 (+203 fuel); residential 2 × 540
    price = price_parcels(TARIFF, 5, [Parcel(300), Parcel(1000)], residential=True)
    assert price == Price(2400, 1080, 348, 3828, "USD", 1300)


def test_no_price_for_an_unknown_zone_or_an_overweight_parcel() -> None:
    assert price_parcels(TARIFF, 6, [Parcel(300)], True) is None
    assert price_parcels(TARIFF, 5, [Parcel(300), Parcel(1362)], True) is None
    assert price_parcels(TARIFF, 5, [], True) is None


# --------------------------------------------------------------------------- zones and days

BANDS = [ZoneBand("432", str(d), str(d), z) for d, z in enumerate([5, 4, 4, 5, 2, 5, 5, 6, 7, 8])] + [
    ZoneBand("432", "627", "629", 3), ZoneBand("43219", "100", "149", 1)]


@pytest.mark.parametrize("origin, dest, zone", [
    ("43219", "62704", 3),  # the more specific destination band
    ("43215", "61000", 5),
    ("43219", "12345", 1),  # the more specific origin band
    ("43215", "12345", 4),
    ("43219", "15000", 4),
    ("43219", "90210-1234", 8),
    ("10001", "62704", None),
    ("43219", "", None),
])
def test_zone_from_origin_and_destination_prefixes(origin: str, dest: str, zone: int | None) -> None:
    assert zone_for(BANDS, origin, dest) == zone


def test_business_days_skip_the_weekend() -> None:
    assert add_business_days(WED, 2) == FRI
    assert add_business_days(THU, 2) == NEXT_MON
    assert add_business_days(FRI, 1) == NEXT_MON
    assert add_business_days(SAT, 0) == NEXT_MON  # a Saturday order ships on Monday
    assert add_business_days(MON, 0) == MON
    assert arrival(TARIFF, 5, THU) == NEXT_MON and arrival(TARIFF, 6, THU) is None
    assert short_date(FRI) == "Fri 27 Nov"


# --------------------------------------------------------------------------- routing

FACTS = ShipmentFacts(weight_g=800, country="US", region="OH", postal_code="43004", order_value_minor=5000,
                      hazmat=False, fragile=True)


def offer(key: str, total: int | None, arrives: dt.date | None) -> Offer:
    price = None if total is None else Price(total, 0, 0, total, "USD", 800)
    return Offer(key, key.upper(), price, arrives)


OFFERS = [offer("courier/local", 1500, FRI), offer("usps/ground", 1200, NEXT_MON),
          offer("ups/2day", 2600, THU), offer("fedex/overnight", 4800, WED)]


@pytest.mark.parametrize("conditions, expected", [
    ({}, True),
    ({"min_weight_g": 800, "max_weight_g": 800}, True),
    ({"max_weight_g": 799}, False),
    ({"countries": ["us", "CA"]}, True),
    ({"countries": ["CA"]}, False),
    ({"regions": ["AK", "HI"]}, False),
    ({"postal_prefixes": ["430", "995"]}, True),
    ({"min_order_value_minor": 5001}, False),
    ({"max_order_value_minor": 5000, "fragile": True}, True),
    ({"hazmat": True}, False),
    ({"hazmat": False}, True),
])
def test_rule_conditions(conditions: dict[str, object], expected: bool) -> None:
    assert matches(Rule("r", 1, conditions), FACTS) is expected


@pytest.mark.parametrize("conditions, words", [
    ({"hazmatt": True}, "does not know: hazmatt"),
    ({"max_weight_g": "1kg"}, "whole number"),
    ({"countries": "US"}, "list of texts"),
    ({"fragile": "yes"}, "true or false"),
])
def test_a_rule_that_cannot_be_understood_is_an_error_not_ignored(conditions: dict[str, object],
                                                                  words: str) -> None:
    with pytest.raises(RoutingRuleError, match=words):
        matches(Rule("Broken", 1, conditions), FACTS)


def test_without_a_promise_the_cheapest_wins() -> None:
    decision = choose_service(OFFERS, [], FACTS, None, None)
    assert decision.offer.key == "usps/ground" and decision.reason == "cheapest; no delivery date promised"


def test_cheapest_that_arrives_by_the_promised_day() -> None:
    decision = choose_service(OFFERS, [], FACTS, None, FRI)
    assert decision.offer.key == "courier/local" and decision.reason == "cheapest that arrives by Fri 27 Nov"
    assert choose_service(OFFERS, [], FACTS, None, THU).offer.key == "ups/2day"


def test_when_nothing_arrives_in_time_the_fastest_is_chosen_and_said() -> None:
    decision = choose_service(OFFERS[:3], [], FACTS, None, WED)
    assert decision.offer.key == "ups/2day"
    assert decision.reason == "no service arrives by Wed 25 Nov: fastest, arrives Thu 26 Nov"


def test_requested_service_beats_price_but_not_the_rules() -> None:
    decision = choose_service(OFFERS, [], FACTS, "fedex/overnight", None)
    assert decision.offer.key == "fedex/overnight" and decision.reason == "the order asks for FEDEX/OVERNIGHT"
    no_air = Rule("Fragile by ground", 10, {"fragile": True, "exclude_services": ["fedex/overnight", "ups/2day"]})
    decision = choose_service(OFFERS, [no_air], FACTS, "fedex/overnight", THU)
    assert decision.offer.key == "courier/local" and decision.excluded == {
        "fedex/overnight": "Fragile by ground", "ups/2day": "Fragile by ground"}
    assert decision.reason == ("no service arrives by Thu 26 Nov: fastest, arrives Fri 27 Nov (the order asks for "
                               "FEDEX/OVERNIGHT, but routing rule 'Fragile by ground' excludes it)")


def test_rules_in_priority_order_first_forcing_match_wins_exclusions_add_up() -> None:
    rules = [Rule("Heavy by UPS", 20, {"min_weight_g": 500}, forces="ups/2day", rule_id=1),
             Rule("Ohio by courier", 10, {"regions": ["OH"]}, forces="courier/local", rule_id=2),
             Rule("Not courier when fragile", 5, {"fragile": True, "exclude_services": ["courier/local"]}, rule_id=3),
             Rule("Alaska", 1, {"regions": ["AK"]}, forces="usps/ground", rule_id=4)]
    forcing, excluded = apply_rules(rules, FACTS)
    assert forcing is not None and forcing.name == "Heavy by UPS"  # Ohio's forced service was excluded first
    assert excluded == {"courier/local": "Not courier when fragile"}
    decision = choose_service(OFFERS, rules, FACTS, "usps/ground", None)
    assert decision.offer.key == "ups/2day" and decision.reason == "routing rule 'Heavy by UPS'"


def test_unpriced_services_are_used_only_when_nothing_is_priced() -> None:
    unpriced = [offer("courier/local", None, None), offer("usps/ground", None, FRI)]
    decision = choose_service(unpriced, [], FACTS, None, None)
    assert decision.offer.key == "courier/local" and decision.reason.startswith("no rate on file")
    mixed = [offer("courier/local", None, None), offer("usps/ground", 2000, None)]
    assert choose_service(mixed, [], FACTS, None, None).offer.key == "usps/ground"


def test_no_service_at_all_is_explained() -> None:
    with pytest.raises(NoServiceAvailable, match="No carrier account can issue tracking numbers"):
        choose_service([], [], FACTS, None, None)
    with pytest.raises(NoServiceAvailable, match="excluded by the routing rules"):
        choose_service(OFFERS[:1], [Rule("No courier", 1, {"exclude_services": ["courier/local"]})], FACTS, None,
                       None)
    with pytest.raises(NoServiceAvailable, match="'Gone' sends this order by dhl/express"):
        choose_service(OFFERS, [Rule("Gone", 1, {}, forces="dhl/express")], FACTS, None, None)
