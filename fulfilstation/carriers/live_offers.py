"""The offers of a shipment once the carriers' live rates are in.

``with_live_rates`` takes the offers priced from the site's rate tables (one per candidate
service, in the candidates' order) and what the gateway accounts answered
(``live_rates.LiveAnswers``), and returns the offers the routing rules choose from:

* Nothing asked, or no account answered (offline, every account failed): the table offers
  unchanged — every service priced from the tables, the choice's source ``table``.
* Otherwise, for each candidate:

  - its account was not asked (an own courier with a number range, an EasyPost account):
    its table offer stays;
  - its account answered: its offer is the carrier's own price for the service
    (``LiveRate.service_code`` equal to the service's ``service_code`` or ``code``, case
    aside; several: the cheapest) and its arrival (the carrier's date, else its transit days
    counted from today). A service the carrier did not quote for this shipment is left out;
  - its account was left out (an error, no answer in time): its services are left out; the
    reason is in the answers, and the choice shows it.

Pure: no database (the candidates' rows are only read), no network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fulfilstation.carriers.gateway import LiveRate
from fulfilstation.carriers.live_rates import LiveAnswers
from fulfilstation.carriers.rating import Parcel, Price, add_business_days
from fulfilstation.carriers.routing import Offer

if TYPE_CHECKING:
    from fulfilstation.carriers.rate_shop import Candidate

TABLE = "table"
LIVE = "live"


@dataclass(frozen=True)
class PricedOffers:
    """The candidates still offered, their offers (same order) and the keys priced live."""

    candidates: tuple[Candidate, ...]
    offers: tuple[Offer, ...]
    live_keys: frozenset[str]


def with_live_rates(candidates: Sequence[Candidate], table_offers: Sequence[Offer], answers: LiveAnswers | None,
                    parcels: Sequence[Parcel], today: dt.date) -> PricedOffers:
    """See the module doc."""
    if answers is None or not answers.any_answered:
        return PricedOffers(tuple(candidates), tuple(table_offers), frozenset())
    kept: list[Candidate] = []
    offers: list[Offer] = []
    live: set[str] = set()
    weight = sum(p.weight_g for p in parcels)
    for candidate, offer in zip(candidates, table_offers, strict=True):
        account_id = candidate.account.id
        if account_id not in answers.asked:
            kept.append(candidate)
            offers.append(offer)
            continue
        rate = _quoted(answers.rates.get(account_id, ()), candidate)
        if rate is None:  # left out, or the carrier quoted no such service for this shipment
            continue
        kept.append(candidate)
        offers.append(live_offer(offer, rate, weight, today))
        live.add(candidate.key)
    return PricedOffers(tuple(kept), tuple(offers), frozenset(live))


def live_offer(offer: Offer, rate: LiveRate, weight_g: int, today: dt.date) -> Offer:
    """``offer`` priced by the carrier's ``rate``."""
    price = Price(rate.cost_minor, 0, 0, rate.cost_minor, rate.currency, weight_g)
    arrives = rate.estimated_delivery
    if arrives is None and rate.transit_days is not None and rate.transit_days >= 0:
        arrives = add_business_days(today, rate.transit_days)
    return Offer(offer.key, offer.name, price, arrives)


def _quoted(rates: Sequence[LiveRate], candidate: Candidate) -> LiveRate | None:
    codes = {candidate.service.service_code.lower(), candidate.service.code.lower()}
    matching = [r for r in rates if r.service_code.lower() in codes]
    return min(matching, key=lambda r: r.cost_minor) if matching else None
