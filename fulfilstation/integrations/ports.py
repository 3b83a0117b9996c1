"""The contract between the house and the shops.

``IncomingOrder`` is an order as it arrives, before validation: from a CSV file, a shop's
API or a webhook, every source produces these and one door writes them
(``services.orders.intake``). Amounts are integers in minor units of ``currency``; the
address parts are as the source sent them (the intake cleans and checks them).

``ShopChannel`` is what a shop adapter does. Every call is blocking network I/O with a
timeout: call it from a worker thread or the CLI, never from the GUI thread. An adapter
raises ``ChannelError`` for every failure, saying in plain words what went wrong and
whether trying again later can help (``retryable``; ``retry_after`` seconds when the shop
said so, e.g. HTTP 429 ``Retry-After`` or a throttled GraphQL query's cost).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

#: How long a push waits when the channel is not set up right (no token, no location, a key the
#: shop refuses): a person fixes the settings, and the waiting pushes then go by themselves
#: (after the retry limit they fail and show as integration problems).
SETUP_RETRY_SECONDS = 600.0


def no_keyring(channel: str, secret: str, detail: str) -> str:
    """What a shop call says when this computer has no usable keyring to read its secret from
    (a setup problem: the pushes wait and are tried again, ``SETUP_RETRY_SECONDS`` apart)."""
    return (f"This computer has no usable keyring, so the {secret} of channel {channel} cannot be read "
            f"({detail}). On Linux install and unlock a Secret Service provider such as GNOME Keyring or KWallet "
            "(or set PYTHON_KEYRING_BACKEND), then store the secret again (fulfilstation integrations set-secret); "
            "until then the shop's pushes wait and are tried again every 10 minutes.")


class ChannelError(Exception):
    """A shop call that failed; ``str()`` is shown to a manager as is."""

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after
        self.status = status


@dataclass(frozen=True)
class IncomingLine:
    sku: str
    quantity: int
    unit_price_minor: int = 0
    name: str | None = None
    external_line_id: str | None = None
    source_line: int | None = None  # the file's line number, for reports


@dataclass(frozen=True)
class IncomingOrder:
    """An order as a source sent it. ``(channel, external_id)`` identifies it for good."""

    channel: str
    external_id: str
    number: str | None  # the shop's order name (#1001), shown to people
    ship_to_name: str
    ship_to_line1: str
    ship_to_city: str
    ship_to_postal_code: str
    ship_to_country: str
    lines: tuple[IncomingLine, ...]
    ship_to_company: str | None = None
    ship_to_line2: str | None = None
    ship_to_region: str | None = None
    ship_to_phone: str | None = None
    ship_to_email: str | None = None
    bill_to_country: str | None = None
    financial_status: str | None = None  # paid, pending, authorized, partially_paid, refunded, voided …
    shop_status: str = "open"  # open, cancelled, on-hold
    total_minor: int = 0
    currency: str = "USD"
    shipping_charged_minor: int | None = None  # what the customer paid for shipping (None: the source did not say)
    ordered_at: dt.datetime | None = None
    note: str | None = None  # the customer's note / gift message
    shipping_method: str | None = None  # as the shop names it ("Standard", "UPS Ground")
    source_lines: tuple[int, ...] = field(default=())  # the file's line numbers, for reports


@dataclass(frozen=True)
class OrderPage:
    """One page of a shop's orders. ``state`` is the bookmark to store with them (a cursor,
    ``modified_after``); ``more`` says another page follows at once."""

    orders: tuple[IncomingOrder, ...]
    state: Mapping[str, Any]
    more: bool


@dataclass(frozen=True)
class TrackingPush:
    """A shipment's tracking, to be told to the shop (one per package)."""

    number: str
    carrier: str  # the carrier's name as shops know it (UPS, USPS, FedEx …)
    url: str | None = None


@dataclass(frozen=True)
class ShippedLine:
    """A line of the shop's order a shipment carries part of (partial shipments):
    ``external_line_id`` is the shop's line item id, ``quantity`` the units shipped."""

    external_line_id: str
    quantity: int
    sku: str = ""


@dataclass(frozen=True)
class StockPush:
    sku: str
    available: int  # already less the buffer, never below zero
    external_id: str | None = None  # the listing's variant/product id when known
    inventory_item_id: str | None = None


class ShopChannel(Protocol):
    """A shop's API. ``name`` is the sales channel's name (``orders.channel``)."""

    name: str

    def fetch_orders(self, state: Mapping[str, Any]) -> OrderPage:
        """The next page of orders changed since ``state`` (empty: from the beginning):
        new unfulfilled paid orders, and changes (cancelled, on hold, edited) to known ones."""
        ...

    def create_fulfilment(self, order_external_id: str, tracking: Sequence[TrackingPush], *,
                          notify_customer: bool, idempotency_key: str,
                          lines: Sequence[ShippedLine] | None = None, last_part: bool = True) -> Mapping[str, Any]:
        """Tell the shop the order shipped with ``tracking``; returns the shop's reference
        (e.g. ``{"fulfilment_id": …}``). Idempotent: when a fulfilment with this key's
        tracking already exists (a repeat after a lost response) it returns that one.
        ``lines`` None: the whole order (what is left of it) shipped. Given (a split order's
        part): only those lines and quantities shipped; ``last_part`` says whether every
        other part of the shop's order has shipped (or was cancelled) too."""
        ...

    def cancel_fulfilment(self, order_external_id: str, reference: Mapping[str, Any]) -> None:
        """Undo a fulfilment (the shipment was voided). Idempotent."""
        ...

    def set_stock(self, levels: Sequence[StockPush]) -> Mapping[str, Any]:
        """Set the shop's available quantity of each product. Idempotent (absolute values)."""
        ...


@dataclass(frozen=True)
class ChannelConfig:
    """A sales channel's settings as stored (``sales_channels``), without its secrets: an
    adapter reads those from the keyring (``SecretStore``) under ``channel:NAME:…``."""

    name: str
    kind: str  # a ChannelKind value
    base_url: str | None = None
    location_id: str | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- addresses


@dataclass(frozen=True)
class AddressVerdict:
    """What an address check found. ``problems`` are (code, message, holds) triples in plain
    words; ``corrected`` is the address as the checker would ship to (None: unchanged)."""

    problems: tuple[tuple[str, str, bool], ...] = ()
    corrected: Mapping[str, str] | None = None


class AddressCheck(Protocol):
    """Checks (and may correct) a ship-to address. Offline it checks formats (country and
    region codes, the postal code's shape for the country, the phone); a carrier gateway can
    verify the address against the carrier's data. Blocking; ``address`` has the keys of
    ``fulfilstation.domain.address.Address`` (name, line1, city, postal_code, country …)."""

    def check(self, address: Mapping[str, str | None]) -> AddressVerdict:
        ...
