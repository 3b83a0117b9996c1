"""The carriers' live rates for a pack about to ship, asked before the ship transaction.

``live_answers`` reads, in one short read-only unit of work, what the carriers need (the
parcels as they will be recorded — the closed packages, and the open one at the weight just
read in the box scanned or suggested —, the ship-from and ship-to addresses, the gateway
accounts that could take the shipment, the site's time limit), leaves the transaction, and
then asks every such account at once (``carriers.live_rates.ask_accounts``). The ship
transaction hands the answers to ``choose_carrier``.

Invariants:

* No carrier is asked inside a transaction, and the time limit bounds the wait.
* Only the accounts rate shopping would ship on are asked (``rate_shop.usable_candidates``:
  one account per carrier, the default first) that are reached through a gateway
  (``gateway_accounts.is_gateway_account``). None: nothing is asked, None is returned, and
  the choice is the rate tables' as before.
* A pack gone or closed meanwhile returns None: the ship transaction then refuses with its
  own words. Without any gateway account only the candidates are read (no parcels).

Threading: blocking (database and network, up to the time limit); call from worker threads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.carriers.gateway import CarrierGateway, Parcel, PostalAddress, RateRequest
from fulfilstation.carriers.gateway_accounts import GatewayAccount, GatewayFactory, is_gateway_account
from fulfilstation.carriers.live_rates import AccountToAsk, LiveAnswers, ask_accounts
from fulfilstation.carriers.rate_shop import Candidate, takes, usable_candidates
from fulfilstation.db.database import Database
from fulfilstation.db.models import BoxType, Order, Package, PackSession, SiteSetting
from fulfilstation.domain.enums import PackSessionStatus
from fulfilstation.services.packing.boxes import Weighing
from fulfilstation.services.packing.loading import load_state, suggested_box
from fulfilstation.services.site.live_rates import live_rate_timeout_of


def live_answers(database: Database, session_id: int, weighing: Weighing,
                 make_gateway: GatewayFactory) -> LiveAnswers | None:
    """What the gateway accounts answer for the pack ``session_id`` (None: none to ask)."""
    asking = _to_ask(database, session_id, weighing)
    if asking is None:
        return None
    accounts, request, timeout_s = asking
    return ask_accounts([AccountToAsk(a.account_id, a.name, _maker(make_gateway, a), own)
                         for a, own in accounts], request, timeout_s)


def _maker(make_gateway: GatewayFactory, account: GatewayAccount) -> Callable[[float], CarrierGateway]:
    def make(timeout_s: float) -> CarrierGateway:
        return make_gateway(account.name, account.keyring_name, account.settings, timeout_s=timeout_s)
    return make


def _to_ask(database: Database, session_id: int, weighing: Weighing) \
        -> tuple[list[tuple[GatewayAccount, RateRequest | None]], RateRequest, float] | None:
    with database.unit_of_work() as session:
        pack = session.get(PackSession, session_id)
        if pack is None or pack.status != PackSessionStatus.OPEN.value:
            return None
        candidates = [c for c in usable_candidates(session) if is_gateway_account(c.account.settings)]
        if not candidates:  # the usual case without gateway accounts: nothing more is read
            return None
        parcels = _parcels(session, pack, weighing)
        accounts = _gateway_accounts([c for c in candidates if takes(c, len(parcels))])
        if not accounts or not parcels:
            return None
        order = session.get_one(Order, pack.order_id)
        request = RateRequest(ship_from(session), ship_to(order), tuple(parcels))
        asked = [(account, replace(request, ship_from=ship_from(session, origin)) if origin else None)
                 for account, origin in accounts]
        return asked, request, live_rate_timeout_of(session)


def _gateway_accounts(candidates: list[Candidate]) -> list[tuple[GatewayAccount, str | None]]:
    """The gateway accounts of ``candidates``, once each, each with its own origin postal code
    (None: the site's)."""
    seen: dict[int, tuple[GatewayAccount, str | None]] = {}
    for c in candidates:
        settings = dict(c.account.settings or {})
        if c.account.id in seen:
            continue
        carrier = settings.get("karrio_carrier") or settings.get("carrier") or c.carrier.code
        account = GatewayAccount(c.account.id, c.account.name, str(carrier), c.account.keyring_name, settings)
        seen[c.account.id] = (account, c.account.origin_postal_code or None)
    return list(seen.values())


def _parcels(session: Session, pack: PackSession, weighing: Weighing) -> list[Parcel]:
    """The parcels as the ship transaction will record them: the closed packages not yet
    shipped, then the open package (when it holds anything) at ``weighing``'s weight."""
    parcels = [Parcel(p.weight_measured_g, p.length_mm, p.width_mm, p.height_mm, str(p.sequence))
               for p in session.scalars(select(Package).where(Package.pack_session_id == pack.id,
                                                              Package.shipment_id.is_(None))
                                        .order_by(Package.sequence))]
    state = load_state(session, pack)
    if any(state.in_package.values()):
        box = session.get(BoxType, pack.box_type_id) if pack.box_type_id else None
        box = box or suggested_box(session, state)
        parcels.append(Parcel(weighing.grams, box.inner_length_mm if box else None,
                              box.inner_width_mm if box else None, box.inner_height_mm if box else None,
                              str(state.package_sequence)))
    return parcels


def ship_from(session: Session, origin_postal_code: str | None = None) -> PostalAddress:
    """The site's ship-from address as carriers take it (the account's origin postal code first)."""
    value: Any = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "ship_from"))
    v: dict[str, Any] = value if isinstance(value, dict) else {}
    return PostalAddress(name=str(v.get("name") or v.get("company") or ""), street1=str(v.get("line1") or ""),
                         city=str(v.get("city") or ""),
                         postal_code=origin_postal_code or str(v.get("postal_code") or ""),
                         country=str(v.get("country") or "US"), street2=v.get("line2") or None,
                         state=v.get("region") or None, company=v.get("company") or None,
                         phone=v.get("phone") or None, email=v.get("email") or None)


def ship_to(order: Order) -> PostalAddress:
    return PostalAddress(name=order.ship_to_name, street1=order.ship_to_line1, city=order.ship_to_city,
                         postal_code=order.ship_to_postal_code, country=order.ship_to_country,
                         street2=order.ship_to_line2, state=order.ship_to_region, company=order.ship_to_company,
                         phone=order.ship_to_phone, email=order.ship_to_email,
                         residential=order.ship_to_residential)
