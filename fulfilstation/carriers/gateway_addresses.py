"""The site's ship-from and an order's ship-to as a carrier gateway takes them
(``gateway.PostalAddress``). Reads inside the caller's unit of work; CarrierProblem in words
when the site's address is not set up."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.carriers.gateway import CarrierProblem, PostalAddress
from fulfilstation.db.models import Order, SiteSetting


def ship_from_postal(session: Session) -> PostalAddress:
    """The site's ship-from address (site setting ``ship_from``)."""
    value = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "ship_from"))
    site = value if isinstance(value, dict) else {}
    if not site.get("line1") or not site.get("postal_code"):
        raise CarrierProblem("The site's ship-from address is not set up: enter it with "
                             "'fulfilstation site set-address'.")
    return PostalAddress(str(site.get("name", "")), str(site["line1"]), str(site.get("city", "")),
                         str(site["postal_code"]), str(site.get("country", "US")), site.get("line2"),
                         site.get("region"), site.get("company"), site.get("phone"), site.get("email"),
                         residential=False)


def ship_to_postal(order: Order) -> PostalAddress:
    """The order's ship-to address."""
    return PostalAddress(order.ship_to_name, order.ship_to_line1, order.ship_to_city, order.ship_to_postal_code,
                         order.ship_to_country, order.ship_to_line2, order.ship_to_region, order.ship_to_company,
                         order.ship_to_phone, order.ship_to_email, residential=bool(order.ship_to_residential))
