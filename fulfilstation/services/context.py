"""What every area's use cases are built with: the database and the injected ports.

``Ports`` is filled by the composition root (``main.bootstrap``) and by tests, nowhere
else: printers, the carrier and shop adapter factories, the carrier gateways (``gateways``:
karrio's carriers, their settings schemas and each account's gateway; ``carrier_gateways``: the
gateway of an account as labels, voids, manifests and live rates ask it), the carrier trackers
(``carrier_trackers``: what tracks an API account's shipments), the secret store, the clock, the
file opener, this PC's places for files, and the ship-to address check (offline: format checks).
``ServiceContext`` adds the database and this PC's station.

Threading: immutable; shared by every thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fulfilstation import paths
from fulfilstation.carriers.easypost_adapter import EasyPostAdapter, adapter_for
from fulfilstation.carriers.gateway_accounts import GatewayFactory, gateway_for
from fulfilstation.carriers.gateway_catalogue import GatewayCatalogue
from fulfilstation.carriers.karrio_catalogue import KarrioCatalogue
from fulfilstation.carriers.trackers import TrackerFactory, tracker_for
from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.integrations.factory import ChannelFactory, channel_for
from fulfilstation.integrations.offline_address import OfflineAddressCheck
from fulfilstation.integrations.ports import AddressCheck
from fulfilstation.ports import Clock, FileOpener, StationPrinters, SystemClock
from fulfilstation.services.changes import ChangeHub

AdapterFactory = Callable[[str, str | None, Mapping[str, Any]], EasyPostAdapter]
"""``make(account name, keyring entry name, account settings)`` → the carrier API adapter."""


class NoPrinters:
    """A ``StationPrinters`` with no printer at all (a job that prints nothing)."""

    def label_printer(self, station: str, configured: str | None) -> None:
        return None

    def document_printer(self, station: str, configured: str | None) -> None:
        return None


@dataclass(frozen=True)
class Ports:
    printers: StationPrinters = field(default_factory=NoPrinters)
    carrier_adapters: AdapterFactory = adapter_for
    carrier_trackers: TrackerFactory = tracker_for  # an API carrier account's tracking (EasyPost, karrio)
    gateways: GatewayCatalogue = field(default_factory=KarrioCatalogue)  # karrio's carriers, schemas, gateways
    carrier_gateways: GatewayFactory = gateway_for  # an account's CarrierGateway (labels, void, manifests, live rates)
    channel_adapters: ChannelFactory = channel_for  # a sales channel's shop adapter (Shopify, WooCommerce)
    secrets: SecretStore = field(default_factory=SecretStore)
    clock: Clock = field(default_factory=SystemClock)
    sleep: Callable[[float], None] = time.sleep  # a short wait a shop asked for (sync's retries); tests fake it
    files: FileOpener | None = None
    documents_dir: Path = field(default_factory=paths.documents_dir)
    journal_dir: Path = field(default_factory=paths.journal_dir)  # labels printed, not yet recorded
    settings_file: Path | None = None  # this PC's station.toml (device settings are saved there)
    settings_read_only: bool = False  # written by a newer version: never overwritten
    address_check: AddressCheck = field(default_factory=OfflineAddressCheck)  # a carrier gateway may replace it


@dataclass(frozen=True)
class ServiceContext:
    database: Database
    ports: Ports
    station_name: str  # this PC's station (its settings file's name)
    changes: ChangeHub = field(default_factory=ChangeHub)  # where use cases report what they changed
