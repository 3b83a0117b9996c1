"""Which gateway tracks a carrier account's shipments: the seam between the tracking poller
and the carriers' web APIs (issue #17, point 6).

``tracker_for(account, secrets)`` answers something with the port's ``track`` call
(``carriers.gateway.CarrierGateway.track``) for an API carrier account, or None when that
account's gateway cannot track (its shipments are then not polled):

* ``settings["gateway"] == "karrio"``: the account's ``KarrioGateway``, built as every use
  case builds it (``gateway_accounts.gateway_for``: the account's settings, its secrets from
  the keyring), when its ``info.capabilities`` include ``Capability.TRACKING``. A missing
  karrio or carrier extension is the gateway's ``CarrierProblem`` naming the command that adds
  it;
* any other API account is an EasyPost account: ``EasyPostAdapter.track`` (EasyPost's Tracker
  API), with the account's ``easypost_carrier`` setting as the carrier's name.

Invariants: the API key is read from the OS keyring here and only held by the SDK client;
every failure to build a tracker is a ``CarrierProblem`` whose message a person can act on.
Threading: blocking (keyring); call outside any database transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from fulfilstation.carriers.easypost_adapter import EasyPostAdapter, adapter_for
from fulfilstation.carriers.easypost_errors import EasyPostProblem
from fulfilstation.carriers.gateway import Capability, CarrierProblem, TrackingStatus
from fulfilstation.carriers.gateway_accounts import gateway_for
from fulfilstation.credentials import SecretStore


class Tracks(Protocol):
    def track(self, tracking_numbers: Sequence[str]) -> Sequence[TrackingStatus]: ...


@dataclass(frozen=True)
class TrackedAccount:
    """A carrier account as the poller knows it (plain values, no ORM object)."""

    id: int
    name: str
    carrier_code: str
    keyring_name: str | None
    settings: Mapping[str, Any] = field(default_factory=dict)


TrackerFactory = Callable[[TrackedAccount, SecretStore], "Tracks | None"]
"""``make(account, secrets)`` → the account's tracker, None when its gateway cannot track."""


@dataclass(frozen=True)
class EasyPostTracker:
    adapter: EasyPostAdapter
    carrier: str | None

    def track(self, tracking_numbers: Sequence[str]) -> Sequence[TrackingStatus]:
        return self.adapter.track(tracking_numbers, self.carrier)


def tracker_for(account: TrackedAccount, secrets: SecretStore) -> Tracks | None:
    if str(account.settings.get("gateway") or "").lower() == "karrio":
        return _karrio(account, secrets)
    try:
        adapter = adapter_for(account.name, account.keyring_name, account.settings, secrets)
    except EasyPostProblem as problem:
        raise CarrierProblem(problem.message) from None
    carrier = account.settings.get("easypost_carrier")
    return EasyPostTracker(adapter, str(carrier) if carrier else None)


def _karrio(account: TrackedAccount, secrets: SecretStore) -> Tracks | None:
    gateway = gateway_for(account.name, account.keyring_name, account.settings, secrets)
    return gateway if Capability.TRACKING in gateway.info.capabilities else None
