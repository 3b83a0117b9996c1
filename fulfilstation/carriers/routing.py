"""Choosing a service for a shipment: routing rules, then the order's request, then the
cheapest service that keeps the delivery promise. Pure functions, no database.

Routing rules (``RoutingRule.conditions``, a JSON object; every key optional, all given
keys must hold for the rule to match, a rule without conditions matches every order):

=========================  ==========================================================
``min_weight_g``,          total actual weight of the shipment in grams, inclusive
``max_weight_g``
``countries``              destination ISO country codes, e.g. ``["US", "CA"]``
``regions``                destination regions/states, e.g. ``["AK", "HI"]``
``postal_prefixes``        destination postal-code prefixes, e.g. ``["995", "967"]``
``min_order_value_minor``, order value in minor units, inclusive
``max_order_value_minor``
``hazmat``, ``fragile``    ``true``: the order holds such a product; ``false``: it holds none
``exclude_services``       not a condition: services (``carrier/service``) the rule forbids
=========================  ==========================================================

A rule with a service *forces* that service; a rule with ``exclude_services`` forbids
those. Rules are evaluated by ascending ``priority`` (then id): every matching rule adds
its exclusions, and the first matching rule that forces a service not already excluded
ends the evaluation (the first match wins). An unknown key is an error, never ignored: a
misspelt ``hazmat`` must not silently route batteries by air.

The decision, in order: a forcing rule; else the order's requested service unless a rule
excludes it or it cannot be used; else the cheapest priced service that arrives by
``deliver_by`` (ties: earlier arrival, then the order the offers came in); if none arrives
in time, the fastest; if none is priced, the first usable offer (callers list the own
courier first). Each decision carries a reason in plain words. Prices are compared as
numbers: the offers are expected to be in the site's one currency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fulfilstation.carriers.rating import Price, normalise_postal_code, short_date

_RANGES = {"min_weight_g", "max_weight_g", "min_order_value_minor", "max_order_value_minor"}
_LISTS = {"countries", "regions", "postal_prefixes", "exclude_services"}
_FLAGS = {"hazmat", "fragile"}
KNOWN_KEYS = frozenset(_RANGES | _LISTS | _FLAGS)


class RoutingRuleError(ValueError):
    """A routing rule the site set up cannot be understood; the message names it."""


class NoServiceAvailable(RuntimeError):
    """No service can take this shipment; the message says why."""


@dataclass(frozen=True)
class ShipmentFacts:
    weight_g: int
    country: str
    region: str | None
    postal_code: str
    order_value_minor: int
    hazmat: bool
    fragile: bool


@dataclass(frozen=True)
class Rule:
    name: str
    priority: int
    conditions: Mapping[str, Any]
    forces: str | None = None  # a service key, ``carrier/service``
    rule_id: int = 0


@dataclass(frozen=True)
class Offer:
    """A service that could take the shipment; ``price``/``arrives`` are None when unknown."""

    key: str
    name: str
    price: Price | None
    arrives: dt.date | None


@dataclass(frozen=True)
class Decision:
    offer: Offer
    reason: str
    excluded: Mapping[str, str] = field(default_factory=dict)  # service key -> rule name


def validate(rule: Rule) -> None:
    unknown = sorted(set(rule.conditions) - KNOWN_KEYS)
    if unknown:
        raise RoutingRuleError(f"Routing rule '{rule.name}' has conditions this version does not know: "
                               f"{', '.join(unknown)}. Known: {', '.join(sorted(KNOWN_KEYS))}.")
    for key in _RANGES & set(rule.conditions):
        if not isinstance(rule.conditions[key], int) or isinstance(rule.conditions[key], bool):
            raise RoutingRuleError(f"Routing rule '{rule.name}': {key} must be a whole number.")
    for key in _LISTS & set(rule.conditions):
        value = rule.conditions[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RoutingRuleError(f"Routing rule '{rule.name}': {key} must be a list of texts.")
    for key in _FLAGS & set(rule.conditions):
        if not isinstance(rule.conditions[key], bool):
            raise RoutingRuleError(f"Routing rule '{rule.name}': {key} must be true or false.")


def matches(rule: Rule, facts: ShipmentFacts) -> bool:
    validate(rule)
    c = rule.conditions
    checks = (
        facts.weight_g >= c.get("min_weight_g", facts.weight_g),
        facts.weight_g <= c.get("max_weight_g", facts.weight_g),
        facts.order_value_minor >= c.get("min_order_value_minor", facts.order_value_minor),
        facts.order_value_minor <= c.get("max_order_value_minor", facts.order_value_minor),
        "countries" not in c or facts.country.upper() in {v.upper() for v in c["countries"]},
        "regions" not in c or (facts.region or "").upper() in {v.upper() for v in c["regions"]},
        "postal_prefixes" not in c or any(normalise_postal_code(facts.postal_code).startswith(
            normalise_postal_code(p)) for p in c["postal_prefixes"]),
        "hazmat" not in c or c["hazmat"] == facts.hazmat,
        "fragile" not in c or c["fragile"] == facts.fragile,
    )
    return all(checks)


def apply_rules(rules: Sequence[Rule], facts: ShipmentFacts) -> tuple[Rule | None, dict[str, str]]:
    """(the forcing rule that won, or None; excluded service key -> excluding rule name)."""
    for rule in rules:  # every rule, even those after the winner: a broken rule is never silent
        validate(rule)
    excluded: dict[str, str] = {}
    for rule in sorted(rules, key=lambda r: (r.priority, r.rule_id)):
        if not matches(rule, facts):
            continue
        for key in rule.conditions.get("exclude_services", []):
            excluded.setdefault(key, rule.name)
        if rule.forces is not None and rule.forces not in excluded:
            return rule, excluded
    return None, excluded


def choose_service(offers: Sequence[Offer], rules: Sequence[Rule], facts: ShipmentFacts, requested: str | None,
                   deliver_by: dt.date | None) -> Decision:
    by_key = {offer.key: offer for offer in offers}
    forcing, excluded = apply_rules(rules, facts)
    if forcing is not None and forcing.forces is not None:
        offer = by_key.get(forcing.forces)
        if offer is None:
            raise NoServiceAvailable(f"Routing rule '{forcing.name}' sends this order by {forcing.forces}, but that "
                                     "service cannot take it: its carrier has no active account that can issue "
                                     "labels, or its labels are bought from a carrier API, one package per "
                                     "shipment.")
        return Decision(offer, f"routing rule '{forcing.name}'", excluded)
    usable = [offer for offer in offers if offer.key not in excluded]
    note = ""
    if requested is not None:
        if requested in by_key and requested not in excluded:
            return Decision(by_key[requested], f"the order asks for {by_key[requested].name}", excluded)
        why = f"routing rule '{excluded[requested]}' excludes it" if requested in excluded else "it cannot be used"
        note = f" (the order asks for {by_key[requested].name if requested in by_key else requested}, but {why})"
    if not usable:
        raise NoServiceAvailable("Every service is excluded by the routing rules for this order" if offers else
                                 "No carrier account can issue tracking numbers. Set one up with 'fulfilstation "
                                 "carriers add-account CARRIER --number … --range-kind … --first … --last …' (labels "
                                 "made here) or 'fulfilstation carriers add-easypost' and 'carriers set-key' (labels "
                                 "bought); 'fulfilstation carriers list' shows what is there.")
    best = _best(usable, deliver_by)
    return Decision(best, _reason(best, deliver_by, note), excluded)


def _best(usable: Sequence[Offer], deliver_by: dt.date | None) -> Offer:
    priced = [o for o in usable if o.price is not None]
    if not priced:
        return usable[0]
    on_time = [o for o in priced if _on_time(o, deliver_by)]
    order = {o.key: i for i, o in enumerate(usable)}
    if on_time:
        return min(on_time, key=lambda o: (_total(o), o.arrives or dt.date.max, order[o.key]))
    return min(priced, key=lambda o: (o.arrives or dt.date.max, _total(o), order[o.key]))


def _reason(best: Offer, deliver_by: dt.date | None, note: str) -> str:
    if best.price is None:
        return f"no rate on file covers this parcel: {best.name}, unpriced{note}"
    if deliver_by is None:
        return f"cheapest; no delivery date promised{note}"
    if _on_time(best, deliver_by):
        return f"cheapest that arrives by {short_date(deliver_by)}{note}"
    arrives = f"arrives {short_date(best.arrives)}" if best.arrives else "arrival unknown"
    return f"no service arrives by {short_date(deliver_by)}: fastest, {arrives}{note}"


def _on_time(offer: Offer, deliver_by: dt.date | None) -> bool:
    return deliver_by is None or (offer.arrives is not None and offer.arrives <= deliver_by)


def _total(offer: Offer) -> int:
    return offer.price.total_minor if offer.price is not None else 0
