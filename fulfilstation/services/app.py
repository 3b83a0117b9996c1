"""``AppServices``: the one door. Every use case of the house, one member per area.

Built once by the composition root (``build_services``, called from ``main.bootstrap`` and
by tests) with the database and every port injected; the window, every CLI command and
every background job call these members and nothing else, and none strings use cases
together itself (``app.shipping.ship`` records, buys, prints and delivers the slip for the
window and the CLI alike). Members: the areas named in ``AREAS`` (``users`` — sign-in —,
``packing``, ``shipping``, ``manifests``, ``orders``, ``carriers``, ``site``, ``stations``,
``stock``, ``product_files``, ``products``, ``receiving``, ``bins``, ``labels``, ``webhooks``,
``integrations``, ``order_files``, ``picking``, ``returns``, ``counts``, ``replenishment``, ``slotting``,
``reports``, ``tracking``); and
``changes``, where each use case reports the tables it changed (the window refreshes its
views from that).

Threading: the object and its members hold no mutable state of their own beyond caches
guarded for threads; every method blocks (database, devices, network): call them from
worker threads, never the GUI thread.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from fulfilstation.carriers.easypost_adapter import adapter_for
from fulfilstation.carriers.gateway_accounts import gateway_for
from fulfilstation.db.database import Database
from fulfilstation.services.bins import BinsService
from fulfilstation.services.carriers import CarriersService
from fulfilstation.services.changes import ChangeHub
from fulfilstation.services.context import Ports, ServiceContext
from fulfilstation.services.counts import CountsService
from fulfilstation.services.integrations import IntegrationsService
from fulfilstation.services.labels import LabelsService
from fulfilstation.services.manifests import ManifestsService
from fulfilstation.services.order_files import OrderFilesService
from fulfilstation.services.orders import OrdersService
from fulfilstation.services.packing import PackingService
from fulfilstation.services.picking import PickingService
from fulfilstation.services.product_files import ProductFilesService
from fulfilstation.services.products import ProductsService
from fulfilstation.services.receiving import ReceivingService
from fulfilstation.services.replenishment import ReplenishmentService
from fulfilstation.services.reports import ReportsService
from fulfilstation.services.returns import ReturnsService
from fulfilstation.services.shipping import ShippingService
from fulfilstation.services.site import SiteService
from fulfilstation.services.slotting import SlottingService
from fulfilstation.services.stations import StationsService
from fulfilstation.services.stock import StockService
from fulfilstation.services.tracking import TrackingService
from fulfilstation.services.users import UsersService
from fulfilstation.services.webhooks import WebhooksService

#: Every area member of ``AppServices``, one per line (the role-matrix test walks them).
AREAS = (
    "users",
    "packing",
    "shipping",
    "manifests",
    "orders",
    "carriers",
    "site",
    "stations",
    "stock",
    "product_files",
    "products",
    "receiving",
    "bins",
    "labels",
    "webhooks",
    "integrations",
    "order_files",
    "picking",
    "returns",
    "counts",
    "replenishment",
    "slotting",
    "reports",
    "tracking",
)


@dataclass(frozen=True)
class AppServices:
    users: UsersService
    packing: PackingService
    shipping: ShippingService
    manifests: ManifestsService
    orders: OrdersService
    carriers: CarriersService
    site: SiteService
    stations: StationsService
    stock: StockService  # levels, moves, adjustments, the ledger check, lot trace
    product_files: ProductFilesService  # product import (Shopify, generic) and export
    products: ProductsService  # the catalogue: products, barcodes, kits
    receiving: ReceivingService  # purchase orders, receipts
    bins: BinsService  # the layout: bins, their kinds and walking order, bin import
    labels: LabelsService  # bin and product labels (ZPL to the station's printer, PDF sheets)
    webhooks: WebhooksService  # shop webhooks: a channel's webhook secret, a verified delivery taken once
    integrations: IntegrationsService  # sales channels, order sync, the outbox worker, stock pushes
    order_files: OrderFilesService  # order files in (Shopify, generic, saved column mappings)
    picking: PickingService  # pick lists (one order, a batch, a wave), pick confirmation, short picks
    returns: ReturnsService  # RMAs: slips, return labels, receiving and grading returned units
    counts: CountsService  # cycle counts: ABC classes, schedule, blind sheets, variances, accuracy
    replenishment: ReplenishmentService  # reorder report with a demand forecast, purchase orders from it
    slotting: SlottingService  # fast movers to the bins nearest the packing stations
    reports: ReportsService  # the dashboard and reports: read-only figures over a site-local date range
    tracking: TrackingService  # shipments followed to delivery: the carriers polled, scans and delivery recorded
    station_name: str  # this PC's station: where its sign-ins happen
    changes: ChangeHub  # what each use case changed, as it happens (``Changes``)

    def areas(self) -> dict[str, object]:
        """Each area's service by name (the role-matrix test walks them)."""
        return {name: getattr(self, name) for name in AREAS}


def build_services(database: Database, ports: Ports, station_name: str) -> AppServices:
    if ports.carrier_adapters is adapter_for:  # the default factory reads API keys from the injected store
        ports = replace(ports, carrier_adapters=functools.partial(adapter_for, store=ports.secrets))
    if ports.carrier_gateways is gateway_for:  # so does the gateways' (their secrets)
        ports = replace(ports, carrier_gateways=functools.partial(gateway_for, store=ports.secrets))
    context = ServiceContext(database, ports, station_name, ChangeHub())
    return AppServices(
        users=UsersService(context),
        packing=PackingService(context),
        shipping=ShippingService(context),
        manifests=ManifestsService(context),
        orders=OrdersService(context),
        carriers=CarriersService(context),
        site=SiteService(context),
        stations=StationsService(context),
        stock=StockService(context),
        product_files=ProductFilesService(context),
        products=ProductsService(context),
        receiving=ReceivingService(context),
        bins=BinsService(context),
        labels=LabelsService(context),
        webhooks=WebhooksService(context),
        integrations=IntegrationsService(context),
        order_files=OrderFilesService(context),
        picking=PickingService(context),
        returns=ReturnsService(context),
        counts=CountsService(context),
        replenishment=ReplenishmentService(context),
        slotting=SlottingService(context),
        reports=ReportsService(context),
        tracking=TrackingService(context),
        station_name=station_name,
        changes=context.changes,
    )
