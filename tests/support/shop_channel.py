"""A recording ``ShopChannel`` (our own port, not a shop's API) and a clock tests move by hand.

``RecordingShop`` keeps what a shop would: fulfilments by idempotency key (a split order's
part also in ``parts``: its lines and whether it was the last) (a repeat with the
same key returns the first one, as the adapters promise), cancelled fulfilments, the stock
figure of each SKU and every call in order. ``fail_next`` queues errors the next calls
raise (a ``ChannelError`` as an adapter raises them). ``pages`` are what ``fetch_orders``
returns, one per call. Thread-safe (two workers may call it at once).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.integrations.ports import (
    ChannelConfig,
    ChannelError,
    OrderPage,
    ShippedLine,
    ShopChannel,
    StockPush,
    TrackingPush,
)
from fulfilstation.services.app import AppServices, build_services
from fulfilstation.services.context import Ports
from tests.support.app import STATION, FixedPrinters


class ManualClock:
    """A Clock that moves only when told (``advance``). It starts ten minutes ahead of the real
    time, so rows stamped by the database defaults (``utcnow``) during a test are already due."""

    def __init__(self, now: dt.datetime | None = None) -> None:
        self.current = now or dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(minutes=10)
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        with self._lock:
            return self.current

    def advance(self, seconds: float) -> dt.datetime:
        with self._lock:
            self.current += dt.timedelta(seconds=seconds)
            return self.current


@dataclass
class RecordingShop:
    name: str = "shop"
    pages: list[OrderPage] = field(default_factory=list)
    calls: list[tuple[str, Any]] = field(default_factory=list)
    fulfilments: dict[str, dict[str, Any]] = field(default_factory=dict)  # idempotency key → fulfilment
    cancelled: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    stock: dict[str, int] = field(default_factory=dict)
    stock_calls: list[list[StockPush]] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)
    states_asked: list[dict[str, Any]] = field(default_factory=list)
    parts: list[tuple[str, str, tuple[ShippedLine, ...], bool]] = field(default_factory=list)  # key, order, lines, last
    refused_skus: set[str] = field(default_factory=set)  # a set_stock naming one fails (HTTP 503) every time
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, *errors: Exception) -> None:
        with self._lock:
            self.failures.extend(errors)

    def _maybe_fail(self) -> None:
        if self.failures:
            raise self.failures.pop(0)

    def fetch_orders(self, state: Mapping[str, Any]) -> OrderPage:
        with self._lock:
            self.states_asked.append(dict(state))
            self.calls.append(("fetch_orders", dict(state)))
            self._maybe_fail()
            return self.pages.pop(0) if self.pages else OrderPage((), dict(state), False)

    def create_fulfilment(self, order_external_id: str, tracking: Sequence[TrackingPush], *,
                          notify_customer: bool, idempotency_key: str,
                          lines: Sequence[ShippedLine] | None = None, last_part: bool = True) -> Mapping[str, Any]:
        with self._lock:
            self.calls.append(("create_fulfilment", (order_external_id, tuple(tracking), notify_customer,
                                                     idempotency_key)))
            if lines is not None:
                self.parts.append((idempotency_key, order_external_id, tuple(lines), last_part))
            self._maybe_fail()
            if idempotency_key not in self.fulfilments:
                self.fulfilments[idempotency_key] = {
                    "fulfilment_id": f"F-{len(self.fulfilments) + 1}", "order": order_external_id,
                    "tracking": [t.number for t in tracking], "carriers": [t.carrier for t in tracking]}
            return dict(self.fulfilments[idempotency_key])

    def cancel_fulfilment(self, order_external_id: str, reference: Mapping[str, Any]) -> None:
        with self._lock:
            self.calls.append(("cancel_fulfilment", (order_external_id, dict(reference))))
            self._maybe_fail()
            self.cancelled.append((order_external_id, dict(reference)))

    def set_stock(self, levels: Sequence[StockPush]) -> Mapping[str, Any]:
        with self._lock:
            self.calls.append(("set_stock", list(levels)))
            self._maybe_fail()
            if any(level.sku in self.refused_skus for level in levels):
                raise ChannelError("Could not set the shop's stock: the shop had a problem (HTTP 503).",
                                   retryable=True, status=503)
            self.stock_calls.append(list(levels))
            for level in levels:
                self.stock[level.sku] = level.available
            return {"listings": {level.sku: {"external_id": f"V-{level.sku}", "inventory_item_id": f"I-{level.sku}"}
                                 for level in levels}}

    def calls_of(self, name: str) -> list[Any]:
        with self._lock:
            return [args for call, args in self.calls if call == name]


def shop_app(database: Database, shop: ShopChannel, clock: ManualClock) -> AppServices:
    """The use cases over ``database`` with ``shop`` as every channel's adapter and ``clock``."""
    configs: list[ChannelConfig] = []

    def adapters(config: ChannelConfig, secrets: SecretStore) -> ShopChannel:
        configs.append(config)
        return shop

    return build_services(database, Ports(printers=FixedPrinters(), channel_adapters=adapters, clock=clock,
                                          sleep=lambda seconds: None), STATION)  # a shop's short waits: none
