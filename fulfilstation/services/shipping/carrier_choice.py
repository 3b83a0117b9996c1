"""Which carrier account and service a shipment uses, what it costs, and its label data.

``choose_carrier`` runs inside the ship transaction (and for ``orders show``): it rates the
order's packages with every usable service and applies the routing rules, the order's
requested service and the delivery promise (``fulfilstation.carriers.rate_shop``). The
choice carries the price (``cost_minor``/``currency``, 0 when no rate on file covers the
parcel) and the reason in words. A choice of an API carrier (``bought``) has no number
range: the ship transaction records the shipment label-pending and its label is bought
after the commit (``fulfilstation.services.shipping.api_labels``).

With the gateway accounts' live answers (``live``, asked before the ship transaction by
``live_quotes``) the choice also says where its price came from: ``rate_source`` is
``live`` (the carrier's own rate, from the account the shipment ships on) or ``table``
(the site's rate tables: no gateway account, or none answered), and ``left_out`` names each
account left out and why ("UPS main: did not answer within 4 s").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.carriers.gateway_accounts import is_gateway_account
from fulfilstation.carriers.live_offers import LIVE, TABLE
from fulfilstation.carriers.live_rates import LiveAnswers
from fulfilstation.carriers.rate_shop import rate_order
from fulfilstation.carriers.routing import NoServiceAvailable, RoutingRuleError
from fulfilstation.db.models import Carrier, CarrierAccount, CarrierService, NumberRange, Order, SiteSetting
from fulfilstation.documents.labels import Code128Data
from fulfilstation.documents.shipping_label_zpl import ShippingLabel
from fulfilstation.domain.enums import NumberRangeKind
from fulfilstation.domain.units import GRAMS_PER_POUND
from fulfilstation.services.packing.views import PackRefused, Refusal
from fulfilstation.services.shipping.own_label_marks import marks_for


@dataclass(frozen=True)
class CarrierChoice:
    carrier: Carrier
    account: CarrierAccount
    service: CarrierService
    number_range: NumberRange | None  # None: an API carrier, the label is bought
    cost_minor: int = 0
    currency: str = "USD"
    reason: str = ""
    rate_source: str = TABLE  # "live": the carrier's own rate; "table": the site's rate tables
    left_out: tuple[str, ...] = ()  # gateway accounts left out of the choice, each with its reason

    @property
    def bought(self) -> bool:
        return self.number_range is None

    @property
    def source_words(self) -> str:
        """``live rate from UPS main`` / ``rate tables``, then any account left out and why."""
        words = f"live rate from {self.account.name}" if self.rate_source == LIVE else "rate tables"
        return words + (f" (left out: {'; '.join(self.left_out)})" if self.left_out else "")

    @property
    def single_parcel(self) -> bool:
        """EasyPost labels: one package per shipment (a carrier gateway's account takes several)."""
        return self.bought and not is_gateway_account(self.account.settings)


def choose_carrier(session: Session, order: Order, today: dt.date | None = None,
                   live: LiveAnswers | None = None) -> CarrierChoice:
    """The service the order ships by, priced (by the ``live`` answers where given);
    PackRefused(NO_CARRIER) when none can take it."""
    try:
        rated = rate_order(session, order, today, live)
    except (NoServiceAvailable, RoutingRuleError) as exc:
        left = f" Carrier accounts left out: {'; '.join(live.left_out_words())}." if live and live.left_out else ""
        raise PackRefused(Refusal.NO_CARRIER, f"{exc}{left}") from exc
    chosen, price = rated.chosen, rated.decision.offer.price
    return CarrierChoice(chosen.carrier, chosen.account, chosen.service, chosen.number_range,
                         price.total_minor if price else 0, price.currency if price else chosen.service.currency,
                         rated.decision.reason, LIVE if rated.live else TABLE,
                         live.left_out_words() if live else ())


def barcode_for(choice: CarrierChoice, tracking: str, postal_code: str) -> tuple[Code128Data, str]:
    """(barcode data, human-readable caption) of the tracking barcode: GS1-128 (00) SSCC,
    USPS IMpb as GS1-128 (420) ZIP + FNC1 + tracking, otherwise plain Code 128."""
    if choice.number_range is None:
        raise ValueError("a label bought from a carrier API is not drawn by us")
    kind = NumberRangeKind(choice.number_range.kind)
    if kind is NumberRangeKind.SSCC:
        return Code128Data.gs1(("00", tracking)), f"(00) {tracking}"
    if kind is NumberRangeKind.USPS_IMPB:
        zip_code = "".join(ch for ch in postal_code if ch.isdigit())[:9]
        zip_code = zip_code if len(zip_code) in (5, 9) else zip_code[:5]
        if not zip_code:  # no routing code: the IMpb tracking part alone
            return Code128Data.gs1((tracking[:2], tracking[2:])), tracking
        return (Code128Data.gs1(("420", zip_code), (tracking[:2], tracking[2:])),
                f"(420) {zip_code} {tracking}")
    return Code128Data.plain(tracking), tracking


def ship_from(session: Session) -> tuple[str, ...]:
    value = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "ship_from"))
    if not isinstance(value, dict):
        return ("",)
    city = " ".join(str(value[key]) for key in ("city", "region", "postal_code") if value.get(key))
    return tuple(str(line) for line in (value.get("name"), value.get("company"), value.get("line1"),
                                        value.get("line2"), city, value.get("country")) if line)


def ship_to(order: Order) -> tuple[str, ...]:
    city = " ".join(p for p in (order.ship_to_city, order.ship_to_region, order.ship_to_postal_code) if p)
    lines = (order.ship_to_name, order.ship_to_company, order.ship_to_line1, order.ship_to_line2, city,
             order.ship_to_country)
    return tuple(line for line in lines if line)


def sender_lines(order: Order) -> tuple[str, ...]:
    """The order's customer as a return label's sender: at most four lines (the label's from block
    holds four), company joined to the name and the second street line to the first, so the city
    and postal code are never the lines cut."""
    city = " ".join(p for p in (order.ship_to_city, order.ship_to_region, order.ship_to_postal_code) if p)
    name = ", ".join(p for p in (order.ship_to_name, order.ship_to_company) if p)
    street = ", ".join(p for p in (order.ship_to_line1, order.ship_to_line2) if p)
    return tuple(line for line in (name, street, city, order.ship_to_country) if line)


def label_for(session: Session, choice: CarrierChoice, order: Order, tracking: str, number: int, count: int,
              weight_g: int, shipped_on: dt.date | None = None) -> ShippingLabel:
    """The label of one package; a UPS, USPS or FedEx range's label carries its guide's marks
    (``own_label_marks``), dated ``shipped_on`` (the shipment's day; default today, UTC)."""
    data, caption = barcode_for(choice, tracking, order.ship_to_postal_code)
    pounds = weight_g / GRAMS_PER_POUND
    marks = None
    if choice.number_range is not None:
        marks = marks_for(NumberRangeKind(choice.number_range.kind), service_name=choice.service.name,
                          service_code=choice.service.service_code or "", account_number=choice.account.account_number,
                          order=order, tracking=tracking, package=(number, count), weight_g=weight_g,
                          shipped_on=shipped_on or dt.datetime.now(dt.UTC).date())
    return ShippingLabel(ship_from(session), ship_to(order), choice.service.name.upper(), number, count,
                         f"{pounds:.2f} LB ({weight_g} g)", order.number, tracking, data, caption, marks)
